package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ssrmock/ssrmock/conformance"
	"github.com/ssrmock/ssrmock/conformance/refvendor"
	"github.com/ssrmock/ssrmock/server"
)

// faultSpecs says which specs catch each deliberate fault of the reference vendor: running the
// suite against the fault (explore seed 1, see exploreCatches) must fail exactly these specs,
// at least one of them required.
var faultSpecs = map[string][]string{
	"accumulates-reports": {
		"enrollment-privacy/transfer-old-lea",
		"enrollment-privacy/transfer-out-at-once",
		"explore/model",
		"release-timing/amended-report",
	},
	"caches-empty-list": {
		"release-timing/first-report-after-empty",
	},
	"caches-not-found": {
		"enrollment-privacy/transfer-in-after-not-found",
	},
	"caches-pdf-by-id": {
		"explore/model",
		"release-timing/amended-report",
	},
	"caches-report-list": {
		"credential-expiry/year-long-pair",
		"explore/model",
		"release-timing/first-report-after-empty",
		"release-timing/late-fall-cast-csa",
		"release-timing/rolling-elpac",
	},
	"caps-retry-after": {
		"explore/model",
		"resilience/retry-after-partway",
	},
	"credentials-in-link": {
		"authentication/no-retry-loop",
		"authentication/no-secret-in-url",
		"authentication/renew-expired-token",
		"authentication/renew-once-on-401",
		"authentication/reuse-token",
		"authentication/school-pair-overrides",
		"authentication/token-then-bearer",
		"credential-expiry/expired-is-auth-error",
		"credential-expiry/renewed-pair",
		"credential-expiry/valid-until-expiry",
		"credential-expiry/year-long-pair",
		"enrollment-privacy/moved-on-not-found",
		"enrollment-privacy/other-lea-not-found",
		"enrollment-privacy/transfer-in-after-not-found",
		"enrollment-privacy/transfer-new-lea",
		"enrollment-privacy/transfer-old-lea",
		"enrollment-privacy/transfer-out-at-once",
		"explore/model",
		"links/fresh-after-30-minutes",
		"links/no-secret-in-link",
		"links/working-link",
		"regeneration/drop-old-tokens",
		"regeneration/either-coordinator",
		"regeneration/old-pair-is-auth-error",
		"regeneration/school-pair-newest",
		"regeneration/stop-superseded-secret",
		"release-timing/amended-report",
		"release-timing/first-report-after-empty",
		"release-timing/historical-at-once",
		"release-timing/late-fall-cast-csa",
		"release-timing/rolling-elpac",
		"report-integrity/every-family-and-language",
		"report-integrity/every-family-and-language-2025",
		"report-integrity/every-format",
		"report-integrity/every-report",
		"report-integrity/primary-language",
		"report-integrity/right-student",
		"resilience/dropped-connection",
		"resilience/failing-token-endpoint",
		"resilience/recover-after-maintenance",
		"resilience/retry-after-429",
		"resilience/retry-after-partway",
		"resilience/slow-response",
		"resilience/slow-token-endpoint",
		"resilience/truncated-download",
	},
	"drops-alternate-assessments": {
		"authentication/no-retry-loop",
		"explore/model",
		"report-integrity/every-family-and-language",
		"report-integrity/every-family-and-language-2025",
	},
	"drops-initial-elpac": {
		"authentication/school-pair-overrides",
		"explore/model",
		"report-integrity/every-family-and-language",
		"report-integrity/every-family-and-language-2025",
	},
	"district-pair-for-schools": {
		"authentication/school-pair-overrides",
		"regeneration/school-pair-newest",
	},
	"drops-translation": {
		"authentication/school-pair-overrides",
		"credential-expiry/renewed-pair",
		"credential-expiry/valid-until-expiry",
		"credential-expiry/year-long-pair",
		"enrollment-privacy/transfer-old-lea",
		"explore/model",
		"regeneration/either-coordinator",
		"regeneration/stop-superseded-secret",
		"release-timing/first-report-after-empty",
		"release-timing/rolling-elpac",
		"report-integrity/every-family-and-language",
		"report-integrity/every-family-and-language-2025",
		"report-integrity/primary-language",
		"report-integrity/right-student",
		"resilience/dropped-connection",
	},
	"expired-links": {
		"authentication/renew-expired-token",
		"authentication/renew-once-on-401",
		"enrollment-privacy/transfer-out-at-once",
		"explore/model",
		"links/fresh-after-30-minutes",
		"links/no-secret-in-link",
		"regeneration/old-pair-is-auth-error",
		"release-timing/amended-report",
		"release-timing/late-fall-cast-csa",
		"release-timing/rolling-elpac",
		"resilience/failing-token-endpoint",
		"resilience/retry-after-partway",
	},
	"gives-up-on-401": {
		"authentication/renew-once-on-401",
		"explore/model",
	},
	"ignores-new-credentials": {
		"authentication/no-retry-loop",
		"credential-expiry/renewed-pair",
		"explore/model",
		"links/no-secret-in-link",
		"regeneration/drop-old-tokens",
		"regeneration/school-pair-newest",
		"regeneration/stop-superseded-secret",
		"release-timing/first-report-after-empty",
	},
	"ignores-retry-after": {
		"explore/model",
		"resilience/quiet-until-retry-after",
		"resilience/retry-after-429",
		"resilience/retry-after-503",
		"resilience/retry-after-partway",
	},
	"keeps-transferred-student": {
		"enrollment-privacy/moved-on-not-found",
		"explore/model",
	},
	"latest-year-only": {
		"authentication/renew-expired-token",
		"authentication/renew-once-on-401",
		"authentication/token-then-bearer",
		"credential-expiry/renewed-pair",
		"credential-expiry/valid-until-expiry",
		"credential-expiry/year-long-pair",
		"enrollment-privacy/moved-on-not-found",
		"enrollment-privacy/other-lea-not-found",
		"enrollment-privacy/transfer-in-after-not-found",
		"enrollment-privacy/transfer-new-lea",
		"enrollment-privacy/transfer-old-lea",
		"enrollment-privacy/transfer-out-at-once",
		"explore/model",
		"links/fresh-after-30-minutes",
		"links/no-secret-in-link",
		"links/working-link",
		"regeneration/either-coordinator",
		"regeneration/old-pair-is-auth-error",
		"regeneration/school-pair-newest",
		"regeneration/stop-superseded-secret",
		"release-timing/amended-report",
		"release-timing/historical-at-once",
		"release-timing/late-fall-cast-csa",
		"release-timing/rolling-elpac",
		"report-integrity/every-family-and-language",
		"report-integrity/every-family-and-language-2025",
		"report-integrity/every-format",
		"report-integrity/every-report",
		"report-integrity/primary-language",
		"report-integrity/right-student",
		"resilience/dropped-connection",
		"resilience/failing-token-endpoint",
		"resilience/recover-after-maintenance",
		"resilience/retry-after-partway",
		"resilience/slow-response",
		"resilience/slow-token-endpoint",
	},
	"mixes-up-students": {
		"authentication/renew-once-on-401",
		"enrollment-privacy/transfer-out-at-once",
		"explore/model",
		"release-timing/amended-report",
		"report-integrity/every-family-and-language",
		"report-integrity/every-family-and-language-2025",
		"report-integrity/right-student",
		"resilience/retry-after-partway",
	},
	"never-reauthenticates": {
		"authentication/renew-expired-token",
		"authentication/renew-once-on-401",
		"credential-expiry/valid-until-expiry",
		"credential-expiry/year-long-pair",
		"enrollment-privacy/moved-on-not-found",
		"enrollment-privacy/transfer-old-lea",
		"explore/model",
		"links/fresh-after-30-minutes",
		"links/no-secret-in-link",
		"release-timing/amended-report",
		"release-timing/first-report-after-empty",
		"release-timing/late-fall-cast-csa",
		"release-timing/rolling-elpac",
		"resilience/failing-token-endpoint",
	},
	"no-backoff-5xx": {
		"explore/model",
		"resilience/failing-token-endpoint",
		"resilience/server-error-backoff",
	},
	"no-korean": {
		"explore/model",
		"report-integrity/every-family-and-language-2025",
	},
	"no-reports-on-auth-error": {
		"authentication/no-retry-loop",
		"authentication/renew-once-on-401",
		"credential-expiry/expired-is-auth-error",
		"explore/model",
		"regeneration/old-pair-is-auth-error",
	},
	"no-timeout": {
		"explore/model",
		"resilience/slow-response",
		"resilience/slow-token-endpoint",
	},
	"no-token-timeout": {
		"resilience/slow-token-endpoint",
	},
	"not-found-as-empty": {
		"enrollment-privacy/moved-on-not-found",
		"enrollment-privacy/other-lea-not-found",
		"enrollment-privacy/transfer-in-after-not-found",
		"explore/model",
	},
	"not-found-as-error": {
		"enrollment-privacy/moved-on-not-found",
		"enrollment-privacy/other-lea-not-found",
		"enrollment-privacy/transfer-in-after-not-found",
		"explore/model",
	},
	"primary-language-only": {
		"authentication/school-pair-overrides",
		"credential-expiry/renewed-pair",
		"credential-expiry/valid-until-expiry",
		"credential-expiry/year-long-pair",
		"enrollment-privacy/transfer-old-lea",
		"explore/model",
		"regeneration/either-coordinator",
		"regeneration/stop-superseded-secret",
		"release-timing/first-report-after-empty",
		"release-timing/rolling-elpac",
		"report-integrity/every-family-and-language",
		"report-integrity/every-family-and-language-2025",
		"report-integrity/primary-language",
		"report-integrity/right-student",
		"resilience/dropped-connection",
	},
	"retries-401-same-token": {
		"authentication/renew-once-on-401",
	},
	"pdf-only": {
		"authentication/school-pair-overrides",
		"credential-expiry/year-long-pair",
		"explore/model",
		"regeneration/school-pair-newest",
		"report-integrity/every-family-and-language-2025",
		"report-integrity/every-format",
	},
	"retries-rejected-pair": {
		"authentication/remember-rejected-pair",
		"explore/model",
	},
	"retry-401-loop": {
		"authentication/no-retry-loop",
		"authentication/remember-rejected-pair",
		"authentication/renew-once-on-401",
		"explore/model",
	},
	"retry-after-per-view": {
		"explore/model",
		"resilience/quiet-until-retry-after",
		"resilience/retry-after-429",
		"resilience/retry-after-503",
		"resilience/retry-after-partway",
	},
	"retry-after-wall-clock": {
		"explore/model",
		"resilience/recover-after-maintenance",
		"resilience/retry-after-429",
		"resilience/retry-after-partway",
	},
	"reuses-listing": {
		"authentication/renew-once-on-401",
		"enrollment-privacy/transfer-out-at-once",
		"explore/model",
		"release-timing/amended-report",
		"release-timing/late-fall-cast-csa",
		"release-timing/rolling-elpac",
		"resilience/retry-after-partway",
	},
	"secret-as-param-name": {
		"authentication/no-retry-loop",
		"authentication/no-secret-in-url",
		"authentication/renew-expired-token",
		"authentication/renew-once-on-401",
		"authentication/reuse-token",
		"authentication/school-pair-overrides",
		"authentication/token-then-bearer",
		"credential-expiry/expired-is-auth-error",
		"credential-expiry/renewed-pair",
		"credential-expiry/valid-until-expiry",
		"credential-expiry/year-long-pair",
		"enrollment-privacy/moved-on-not-found",
		"enrollment-privacy/other-lea-not-found",
		"enrollment-privacy/own-credentials-only",
		"enrollment-privacy/transfer-in-after-not-found",
		"enrollment-privacy/transfer-new-lea",
		"enrollment-privacy/transfer-old-lea",
		"enrollment-privacy/transfer-out-at-once",
		"explore/model",
		"links/fresh-after-30-minutes",
		"links/no-secret-in-link",
		"links/working-link",
		"regeneration/drop-old-tokens",
		"regeneration/either-coordinator",
		"regeneration/old-pair-is-auth-error",
		"regeneration/school-pair-newest",
		"regeneration/stop-superseded-secret",
		"release-timing/amended-report",
		"release-timing/first-report-after-empty",
		"release-timing/historical-at-once",
		"release-timing/late-fall-cast-csa",
		"release-timing/rolling-elpac",
		"report-integrity/every-family-and-language",
		"report-integrity/every-family-and-language-2025",
		"report-integrity/every-format",
		"report-integrity/every-report",
		"report-integrity/primary-language",
		"report-integrity/right-student",
		"resilience/dropped-connection",
		"resilience/failing-token-endpoint",
		"resilience/maintenance-is-unavailable",
		"resilience/quiet-until-retry-after",
		"resilience/recover-after-maintenance",
		"resilience/retry-after-429",
		"resilience/retry-after-503",
		"resilience/retry-after-partway",
		"resilience/server-error-backoff",
		"resilience/slow-response",
		"resilience/slow-token-endpoint",
	},
	"secret-in-url": {
		"authentication/no-retry-loop",
		"authentication/no-secret-in-url",
		"authentication/renew-expired-token",
		"authentication/renew-once-on-401",
		"authentication/reuse-token",
		"authentication/school-pair-overrides",
		"authentication/token-then-bearer",
		"credential-expiry/expired-is-auth-error",
		"credential-expiry/renewed-pair",
		"credential-expiry/valid-until-expiry",
		"credential-expiry/year-long-pair",
		"enrollment-privacy/moved-on-not-found",
		"enrollment-privacy/other-lea-not-found",
		"enrollment-privacy/own-credentials-only",
		"enrollment-privacy/transfer-in-after-not-found",
		"enrollment-privacy/transfer-new-lea",
		"enrollment-privacy/transfer-old-lea",
		"enrollment-privacy/transfer-out-at-once",
		"explore/model",
		"links/fresh-after-30-minutes",
		"links/no-secret-in-link",
		"links/working-link",
		"regeneration/drop-old-tokens",
		"regeneration/either-coordinator",
		"regeneration/old-pair-is-auth-error",
		"regeneration/school-pair-newest",
		"regeneration/stop-superseded-secret",
		"release-timing/amended-report",
		"release-timing/first-report-after-empty",
		"release-timing/historical-at-once",
		"release-timing/late-fall-cast-csa",
		"release-timing/rolling-elpac",
		"report-integrity/every-family-and-language",
		"report-integrity/every-family-and-language-2025",
		"report-integrity/every-format",
		"report-integrity/every-report",
		"report-integrity/primary-language",
		"report-integrity/right-student",
		"resilience/dropped-connection",
		"resilience/failing-token-endpoint",
		"resilience/maintenance-is-unavailable",
		"resilience/quiet-until-retry-after",
		"resilience/recover-after-maintenance",
		"resilience/retry-after-429",
		"resilience/retry-after-503",
		"resilience/retry-after-partway",
		"resilience/server-error-backoff",
		"resilience/slow-response",
		"resilience/slow-token-endpoint",
	},
	"shows-superseded-report": {
		"explore/model",
		"release-timing/amended-report",
	},
	"spanish-only": {
		"explore/model",
		"report-integrity/every-family-and-language",
		"report-integrity/every-family-and-language-2025",
	},
	"token-failure-is-rejection": {
		"explore/model",
		"resilience/failing-token-endpoint",
		"resilience/maintenance-is-unavailable",
		"resilience/recover-after-maintenance",
		"resilience/slow-token-endpoint",
	},
	// The server flags the token in the suite's downloads of these links (the journal's
	// secretInUrl, for credential material anywhere in a URL of any route).
	"token-in-link": {
		"authentication/no-retry-loop",
		"authentication/renew-expired-token",
		"authentication/renew-once-on-401",
		"authentication/school-pair-overrides",
		"authentication/token-then-bearer",
		"credential-expiry/renewed-pair",
		"credential-expiry/valid-until-expiry",
		"credential-expiry/year-long-pair",
		"enrollment-privacy/moved-on-not-found",
		"enrollment-privacy/other-lea-not-found",
		"enrollment-privacy/transfer-in-after-not-found",
		"enrollment-privacy/transfer-new-lea",
		"enrollment-privacy/transfer-old-lea",
		"enrollment-privacy/transfer-out-at-once",
		"links/fresh-after-30-minutes",
		"links/no-secret-in-link",
		"links/working-link",
		"regeneration/either-coordinator",
		"regeneration/old-pair-is-auth-error",
		"regeneration/school-pair-newest",
		"regeneration/stop-superseded-secret",
		"release-timing/amended-report",
		"release-timing/first-report-after-empty",
		"release-timing/historical-at-once",
		"release-timing/late-fall-cast-csa",
		"release-timing/rolling-elpac",
		"report-integrity/every-family-and-language",
		"report-integrity/every-family-and-language-2025",
		"report-integrity/every-format",
		"report-integrity/every-report",
		"report-integrity/primary-language",
		"report-integrity/right-student",
		"resilience/dropped-connection",
		"resilience/failing-token-endpoint",
		"resilience/recover-after-maintenance",
		"resilience/retry-after-429",
		"resilience/retry-after-partway",
		"resilience/slow-response",
		"resilience/slow-token-endpoint",
	},
	"token-in-query": {
		"authentication/no-retry-loop",
		"authentication/no-secret-in-url",
		"authentication/renew-expired-token",
		"authentication/renew-once-on-401",
		"authentication/reuse-token",
		"authentication/school-pair-overrides",
		"authentication/token-then-bearer",
		"credential-expiry/expired-is-auth-error",
		"credential-expiry/renewed-pair",
		"credential-expiry/valid-until-expiry",
		"credential-expiry/year-long-pair",
		"enrollment-privacy/moved-on-not-found",
		"enrollment-privacy/other-lea-not-found",
		"enrollment-privacy/own-credentials-only",
		"enrollment-privacy/transfer-in-after-not-found",
		"enrollment-privacy/transfer-new-lea",
		"enrollment-privacy/transfer-old-lea",
		"enrollment-privacy/transfer-out-at-once",
		"explore/model",
		"links/fresh-after-30-minutes",
		"links/no-secret-in-link",
		"links/working-link",
		"regeneration/drop-old-tokens",
		"regeneration/either-coordinator",
		"regeneration/old-pair-is-auth-error",
		"regeneration/school-pair-newest",
		"regeneration/stop-superseded-secret",
		"release-timing/amended-report",
		"release-timing/first-report-after-empty",
		"release-timing/historical-at-once",
		"release-timing/late-fall-cast-csa",
		"release-timing/rolling-elpac",
		"report-integrity/every-family-and-language",
		"report-integrity/every-family-and-language-2025",
		"report-integrity/every-format",
		"report-integrity/every-report",
		"report-integrity/primary-language",
		"report-integrity/right-student",
		"resilience/dropped-connection",
		"resilience/failing-token-endpoint",
		"resilience/recover-after-maintenance",
		"resilience/retry-after-429",
		"resilience/retry-after-partway",
		"resilience/server-error-backoff",
		"resilience/slow-response",
		"resilience/slow-token-endpoint",
	},
	"unavailable-as-empty": {
		"explore/model",
		"resilience/failing-token-endpoint",
		"resilience/maintenance-is-unavailable",
		"resilience/retry-after-429",
		"resilience/retry-after-partway",
		"resilience/server-error-backoff",
		"resilience/slow-response",
		"resilience/slow-token-endpoint",
	},
	"uses-first-lea-pair": {
		"authentication/school-pair-overrides",
		"enrollment-privacy/other-lea-not-found",
		"enrollment-privacy/own-credentials-only",
		"enrollment-privacy/transfer-new-lea",
		"explore/model",
		"regeneration/school-pair-newest",
	},
}

// helperEnv makes the test binary act as the ssrmock command (see TestConformHelperProcess).
// Ginkgo's RunSpecs runs once per process, so every suite run is a process of its own.
const helperEnv = "GO_SSRMOCK_CONFORM_HELPER"

// TestConformHelperProcess is not a test: run with helperEnv=1 it is the ssrmock command, with
// the arguments after "--".
func TestConformHelperProcess(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		return
	}
	args := os.Args
	if i := slices.Index(args, "--"); i >= 0 {
		args = args[i+1:]
	}
	err := run(context.Background(), args, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	os.Exit(exitCode(err, os.Stderr))
}

// raceEnabled reports whether this binary was built with the race detector.
func raceEnabled() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range info.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// selfCommand is a shell command running this test binary as `ssrmock args…`.
func selfCommand(args ...string) string {
	parts := []string{shellQuote(os.Args[0]), "-test.run=^TestConformHelperProcess$", "--"}
	for _, a := range args {
		parts = append(parts, shellQuote(a))
	}
	return strings.Join(parts, " ")
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// conformRun is one run of `ssrmock conform` in a process of its own.
type conformRun struct {
	code           int
	stdout, stderr string
	summary        *conformance.Summary
	elapsed        time.Duration
	dir            string // the report directory
}

// runConformProcess runs `ssrmock conform args…` with --report-dir set to a new directory and
// reads its JSON report when there is one.
func runConformProcess(t *testing.T, args ...string) conformRun {
	t.Helper()
	return runConformProcessEnv(t, nil, args...)
}

// runConformProcessEnv is runConformProcess with variables added to the environment.
func runConformProcessEnv(t *testing.T, env []string, args ...string) conformRun {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestConformHelperProcess$", "--", "conform", "--report-dir", dir}, args...)...)
	cmd.Env = append(append(hermeticEnv(), helperEnv+"=1"), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := conformRun{stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(start), dir: dir}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("running conform: %v", err)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "conformance.json")); err == nil {
		r.summary = new(conformance.Summary)
		if err := json.Unmarshal(data, r.summary); err != nil {
			t.Fatalf("conformance.json: %v", err)
		}
		for _, name := range []string{"junit.xml", "summary.txt"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				t.Errorf("report %s missing: %v", name, err)
			}
		}
	}
	return r
}

// hermeticEnv is the environment without SSRMOCK_* variables, which would set flags.
func hermeticEnv() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "SSRMOCK_") })
}

func failedIDs(s *conformance.Summary) []string {
	ids := slices.Concat(s.RequiredFailed, s.RecommendedFailed, s.KnownFailed, s.HarnessFailed)
	slices.Sort(ids)
	return ids
}

func TestConformUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"no driver", nil},
		{"two drivers", []string{"--driver-cmd", "true", "--driver-url", "http://127.0.0.1:1"}},
		{"bad label filter", []string{"--driver-cmd", "true", "--label-filter", "(("}},
		{"missing known-failing file", []string{"--driver-cmd", "true", "--known-failing", filepath.Join(t.TempDir(), "none")}},
		{"zero timeout", []string{"--driver-cmd", "true", "--timeout", "0s"}},
		{"stray argument", []string{"--driver-cmd", "true", "extra"}},
		{"unknown flag", []string{"--driver", "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := runConform(context.Background(), tt.args, func(string) string { return "" }, &stdout, &stderr)
			if got := exitCode(err, io.Discard); got != 2 {
				t.Errorf("exit code %d (%v), want 2", got, err)
			}
		})
	}
}

func TestConformList(t *testing.T) {
	var stdout bytes.Buffer
	err := runConform(context.Background(), []string{"--list", "--label-filter", "required && authentication"}, func(string) string { return "" }, &stdout, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) < 2 {
		t.Fatalf("got %d specs listed, want several:\n%s", len(lines), stdout.String())
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "authentication/") || !strings.Contains(l, "required") {
			t.Errorf("listed %q, want only required authentication specs", l)
		}
	}
}

func TestConformReferenceVendor(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole suite")
	}
	if raceEnabled() {
		t.Skip("the race detector slows each suite process tenfold; package conformance runs the suite against the reference vendor under -race")
	}
	t.Parallel()
	tests := []struct {
		name   string
		vendor []string
	}{
		{"handing out links", []string{"vendor"}},
		{"serving the bytes", []string{"vendor", "--serve-bytes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := runConformProcess(t, "--driver-cmd", selfCommand(tt.vendor...))
			if r.code != 0 || r.summary == nil || !r.summary.Passed {
				t.Fatalf("conform against the reference vendor: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
			}
			if got := failedIDs(r.summary); len(got) > 0 {
				t.Errorf("specs failed against the reference vendor: %v", got)
			}
			for _, res := range r.summary.Results {
				if res.State == "skipped" {
					t.Logf("skipped: %s", res.ID)
				}
			}
			t.Logf("suite against the reference vendor: %d specs in %s (process %s)", r.summary.Ran,
				time.Duration(r.summary.Seconds*float64(time.Second)).Round(time.Millisecond), r.elapsed.Round(time.Millisecond))
		})
	}
}

// sharedServer starts one mock server for many suite runs: the specs' sandboxes have the same
// seeds in every run, so the server renders each PDF once for all of them.
func sharedServer(t *testing.T) string {
	t.Helper()
	srv, err := server.New(server.Config{Seed: 1, Scenario: "2018-19", Scale: "tiny"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return ts.URL
}

// faultRuns runs the suite against every fault of the reference vendor, several at a time, on
// one shared server.
func faultRuns(t *testing.T) map[string]conformRun {
	url := sharedServer(t)
	// A first run fills the server's PDF cache; it must pass like any reference run.
	if r := runConformProcess(t, "--server", url, "--driver-cmd", selfCommand("vendor")); r.code != 0 {
		t.Fatalf("conform against the reference vendor on a shared server: exit %d, want 0\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	faults := refvendor.Faults()
	runs := make(map[string]conformRun, len(faults))
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 6)
	for _, f := range faults {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			r := runConformProcess(t, "--server", url, "--explore-seed", "1", "--driver-cmd", selfCommand("vendor", "--fault", f.Name))
			mu.Lock()
			runs[f.Name] = r
			mu.Unlock()
		}()
	}
	wg.Wait()
	return runs
}

func TestConformFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole suite once per fault")
	}
	if raceEnabled() {
		t.Skip("the race detector slows each suite process tenfold; package conformance runs the suite under -race")
	}
	t.Parallel()
	faults := refvendor.Faults()
	for name := range faultSpecs {
		if !slices.ContainsFunc(faults, func(f refvendor.Fault) bool { return f.Name == name }) {
			t.Errorf("faultSpecs names %q, which the reference vendor does not have", name)
		}
	}
	runs := faultRuns(t)
	for _, f := range faults {
		t.Run(f.Name, func(t *testing.T) {
			r := runs[f.Name]
			if r.summary == nil {
				t.Fatalf("no report: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
			}
			got := failedIDs(r.summary)
			want, ok := faultSpecs[f.Name]
			if !ok {
				t.Fatalf("fault %q (%s) is not in faultSpecs; it fails %q", f.Name, f.Description, got)
			}
			if r.code != 1 {
				t.Errorf("exit code %d, want 1: the fault (%s) must break a required rule\nstderr:\n%s", r.code, f.Description, r.stderr)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("fault %q (%s): failing specs differ (-want +got):\n%s\n%s", f.Name, f.Description, diff, r.stdout)
			}
		})
	}
}

func TestConformHarnessFailures(t *testing.T) {
	if testing.Short() {
		t.Skip("starts suite processes")
	}
	t.Parallel()
	tests := []struct {
		name string
		args []string
	}{
		{"driver exits at once", []string{"--driver-cmd", "exit 3"}},
		{"driver speaks no protocol", []string{"--driver-cmd", "echo hello; sleep 5", "--timeout", "1s"}},
		{"driver URL unreachable", []string{"--driver-url", "http://127.0.0.1:1", "--timeout", "1s"}},
		{"server unreachable", []string{"--driver-cmd", selfCommand("vendor"), "--server", "http://127.0.0.1:1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := runConformProcess(t, tt.args...)
			if r.code != 2 {
				t.Errorf("exit code %d, want 2\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
			}
		})
	}
}

func TestConformKnownFailing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts suite processes")
	}
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, ids ...string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("# known failures\n"+strings.Join(ids, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Run("a known failure that passes fails the run", func(t *testing.T) {
		t.Parallel()
		file := write("passing", "links/no-secret-in-link")
		r := runConformProcess(t, "--driver-cmd", selfCommand("vendor"), "--label-filter", "links", "--known-failing", file)
		if r.code != 1 || r.summary == nil || !slices.Equal(r.summary.KnownPassed, []string{"links/no-secret-in-link"}) {
			t.Errorf("exit %d, summary %+v; want exit 1 with links/no-secret-in-link known but passing\n%s", r.code, r.summary, r.stdout)
		}
	})
	t.Run("known failures pass the run", func(t *testing.T) {
		t.Parallel()
		const fault = refvendor.FaultSecretInURL
		var known []string
		for _, id := range faultSpecs[fault] {
			if strings.HasPrefix(id, "authentication/") {
				known = append(known, id)
			}
		}
		file := write(fault, known...)
		r := runConformProcess(t, "--driver-cmd", selfCommand("vendor", "--fault", fault), "--label-filter", "authentication", "--known-failing", file)
		if r.code != 0 || r.summary == nil || !slices.Equal(r.summary.KnownFailed, known) {
			t.Errorf("exit %d, want 0 with every failure known\n%s", r.code, r.stdout)
		}
	})
}

// TestConformDriverEnv checks that the suite's SSRMOCK_CONFORM_* settings reach the suite and
// not the driver process, while the rest of the environment does reach it.
func TestConformDriverEnv(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a suite process")
	}
	t.Parallel()
	dump := filepath.Join(t.TempDir(), "driver.env")
	driver := "env > " + shellQuote(dump) + "; exec " + selfCommand("vendor")
	env := []string{
		"SSRMOCK_CONFORM_DRIVER_CMD=" + driver,
		"SSRMOCK_CONFORM_LABEL_FILTER=links",
		"SSRMOCK_CONFORM_SEED=4242",
		"SSRMOCK_CONFORM_TIMEOUT=9s",
		"SSRMOCK_VENDOR_TIMEOUT=3s",
	}
	r := runConformProcessEnv(t, env)
	if r.code != 0 || r.summary == nil {
		t.Fatalf("conform set from the environment: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, res := range r.summary.Results {
		if res.Area != "links" && res.State != "skipped" {
			t.Errorf("spec %s ran: SSRMOCK_CONFORM_LABEL_FILTER=links did not reach the suite", res.ID)
		}
	}
	data, err := os.ReadFile(dump)
	if err != nil {
		t.Fatalf("the driver did not dump its environment: %v", err)
	}
	seen := map[string]bool{}
	for _, kv := range strings.Split(string(data), "\n") {
		name, _, _ := strings.Cut(kv, "=")
		seen[name] = true
		if strings.HasPrefix(name, "SSRMOCK_CONFORM_") {
			t.Errorf("the driver process sees the suite's %s", kv)
		}
	}
	for _, name := range []string{"SSRMOCK_VENDOR_TIMEOUT", "PATH", helperEnv} {
		if !seen[name] {
			t.Errorf("the driver process does not see %s: the environment did not reach it", name)
		}
	}
}

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
// suite against the fault must fail exactly these specs, at least one of them required.
var faultSpecs = map[string][]string{
	"caches-report-list": {
		"credential-expiry/year-long-pair",
		"release-timing/late-fall-cast-csa",
		"release-timing/rolling-elpac",
	},
	"drops-translation": {
		"authentication/renew-expired-token",
		"credential-expiry/renewed-pair",
		"credential-expiry/valid-until-expiry",
		"credential-expiry/year-long-pair",
		"enrollment-privacy/moved-on-not-found",
		"enrollment-privacy/transfer-old-lea",
		"links/working-link",
		"regeneration/either-coordinator",
		"release-timing/rolling-elpac",
		"report-integrity/primary-language",
		"report-integrity/right-student",
		"resilience/dropped-connection",
	},
	"expired-links": {
		"authentication/renew-expired-token",
		"links/fresh-after-30-minutes",
		"regeneration/old-pair-is-auth-error",
		"release-timing/amended-report",
	},
	"ignores-new-credentials": {
		"authentication/no-retry-loop",
		"credential-expiry/renewed-pair",
		"regeneration/drop-old-tokens",
		"regeneration/stop-superseded-secret",
	},
	"ignores-retry-after": {
		"resilience/quiet-until-retry-after",
		"resilience/retry-after-429",
		"resilience/retry-after-503",
	},
	"keeps-transferred-student": {
		"enrollment-privacy/moved-on-not-found",
	},
	"mixes-up-students": {
		"report-integrity/right-student",
	},
	"never-reauthenticates": {
		"authentication/renew-expired-token",
		"credential-expiry/valid-until-expiry",
		"credential-expiry/year-long-pair",
		"enrollment-privacy/moved-on-not-found",
		"enrollment-privacy/transfer-old-lea",
		"links/fresh-after-30-minutes",
		"release-timing/amended-report",
		"release-timing/late-fall-cast-csa",
		"release-timing/rolling-elpac",
	},
	"no-backoff-5xx": {
		"resilience/server-error-backoff",
	},
	"no-reports-on-auth-error": {
		"authentication/no-retry-loop",
		"credential-expiry/expired-is-auth-error",
		"regeneration/old-pair-is-auth-error",
	},
	"no-timeout": {
		"resilience/slow-response",
	},
	"retries-rejected-pair": {
		"authentication/remember-rejected-pair",
	},
	"retry-401-loop": {
		"authentication/no-retry-loop",
		"authentication/remember-rejected-pair",
	},
	"secret-in-url": {
		"authentication/no-secret-in-url",
	},
	"shows-superseded-report": {
		"release-timing/amended-report",
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
}

// runConformProcess runs `ssrmock conform args…` with --report-dir set to a new directory and
// reads its JSON report when there is one.
func runConformProcess(t *testing.T, args ...string) conformRun {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestConformHelperProcess$", "--", "conform", "--report-dir", dir}, args...)...)
	cmd.Env = append(hermeticEnv(), helperEnv+"=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := conformRun{stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(start)}
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
			r := runConformProcess(t, "--server", url, "--driver-cmd", selfCommand("vendor", "--fault", f.Name))
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
		file := write(fault, faultSpecs[fault]...)
		r := runConformProcess(t, "--driver-cmd", selfCommand("vendor", "--fault", fault), "--label-filter", "authentication", "--known-failing", file)
		if r.code != 0 || r.summary == nil || !slices.Equal(r.summary.KnownFailed, faultSpecs[fault]) {
			t.Errorf("exit %d, want 0 with every failure known\n%s", r.code, r.stdout)
		}
	})
}

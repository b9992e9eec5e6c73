package main

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ssrmock/ssrmock/conformance"
	"github.com/ssrmock/ssrmock/conformance/controlapi"
	"github.com/ssrmock/ssrmock/findings"
	"github.com/ssrmock/ssrmock/server"
)

// auditServer starts a server with a control token and two sandboxes: one whose vendor
// traffic is clean, one where the vendor put its Secret Key in the token request's URL twice.
// It returns the URL and the two sandbox ids.
func auditServer(t *testing.T) (base, clean, dirty string) {
	t.Helper()
	srv, err := server.New(server.Config{Seed: 1, Scenario: "2018-19", Scale: "tiny", ControlToken: "ctl"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	ctx := context.Background()
	api := controlapi.New(ts.URL, "ctl", ts.Client())
	traffic := func(leak bool) string {
		sb, err := api.CreateSandbox(ctx, controlapi.SandboxSpec{Seed: 2, Scale: "tiny"})
		if err != nil {
			t.Fatal(err)
		}
		leas, err := api.LEAs(ctx, sb.ID)
		if err != nil {
			t.Fatal(err)
		}
		cr, err := api.GenerateCredentials(ctx, sb.ID, leas[0].CDS, controlapi.CoordinatorCAASPP)
		if err != nil {
			t.Fatal(err)
		}
		target := sb.APIBase + "/token"
		if leak {
			target += "?secretKey=" + url.QueryEscape(cr.SecretKey)
		}
		body := `{"username":"` + cr.Username + `","secretKey":"` + cr.SecretKey + `"}`
		for range 2 {
			resp, err := ts.Client().Post(target, "application/json", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("token: %d", resp.StatusCode)
			}
		}
		return sb.ID
	}
	return ts.URL, traffic(false), traffic(true)
}

func TestAuditExitCodesAndReports(t *testing.T) {
	base, clean, dirty := auditServer(t)
	env := map[string]string{"SSRMOCK_AUDIT_CONTROL_TOKEN": "ctl"}

	t.Run("clean traffic", func(t *testing.T) {
		out, stderr, code := runCmd(t, env, "audit", "--server", base, "--sandbox", clean, "--format", "json")
		if code != 0 {
			t.Fatalf("exit %d, want 0; stderr %s", code, stderr)
		}
		s := decodeSummary(t, out)
		if !s.Passed || s.Tool != conformance.ToolAudit || s.Total != len(findings.Rules) || s.PassedCount != len(findings.Rules) {
			t.Errorf("passed %v tool %q total %d passed %d; want true, audit, %d, %d", s.Passed, s.Tool, s.Total, s.PassedCount, len(findings.Rules), len(findings.Rules))
		}
		if s.Run.Sandbox != clean || s.Run.ServerURL != base {
			t.Errorf("run %+v: want sandbox %s on %s", s.Run, clean, base)
		}
	})

	t.Run("findings", func(t *testing.T) {
		out, _, code := runCmd(t, env, "audit", "--server", base, "--sandbox", dirty, "--format", "json")
		if code != 1 {
			t.Fatalf("exit %d, want 1", code)
		}
		s := decodeSummary(t, out)
		if s.Passed || !slices.Equal(s.RequiredFailed, []string{findings.RuleSecretInURL.ID}) {
			t.Fatalf("passed %v, required failed %v; want false, [%s]", s.Passed, s.RequiredFailed, findings.RuleSecretInURL.ID)
		}
		var failure string
		for _, r := range s.Results {
			if r.ID == findings.RuleSecretInURL.ID {
				failure = r.Failure
			}
		}
		if want := "  2 time(s)"; !strings.Contains(failure, want) || !strings.Contains(failure, "journal entries #1 #2") {
			t.Errorf("failure %q: want the count (2) and entries #1 #2", failure)
		}
	})

	t.Run("text", func(t *testing.T) {
		out, _, code := runCmd(t, env, "audit", "--server", base, "--sandbox", dirty)
		if first, _, _ := strings.Cut(out, "\n"); code != 1 || first != "ssrmock audit: FINDINGS" {
			t.Errorf("exit %d, first line %q; want 1, %q", code, first, "ssrmock audit: FINDINGS")
		}
	})

	t.Run("junit", func(t *testing.T) {
		out, _, code := runCmd(t, env, "audit", "--server", base, "--sandbox", dirty, "--format", "junit")
		var suites struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Suite    struct {
				Name string `xml:"name,attr"`
			} `xml:"testsuite"`
		}
		if err := xml.Unmarshal([]byte(out), &suites); err != nil {
			t.Fatal(err)
		}
		if code != 1 || suites.Tests != len(findings.Rules) || suites.Failures != 1 || suites.Suite.Name != "ssrmock audit" {
			t.Errorf("exit %d, %d tests, %d failures, suite %q; want 1, %d, 1, ssrmock audit", code, suites.Tests, suites.Failures, suites.Suite.Name, len(findings.Rules))
		}
	})

	t.Run("html and report directory", func(t *testing.T) {
		dir := t.TempDir()
		out, _, code := runCmd(t, env, "audit", "--server", base, "--sandbox", dirty, "--format", "html", "--out", dir)
		if code != 1 || !strings.Contains(out, "<title>ssrmock audit: findings</title>") {
			t.Errorf("exit %d; want 1 and the page titled \"ssrmock audit: findings\"", code)
		}
		for _, f := range []string{"junit.xml", "audit.json", "summary.txt", "summary.html"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Error(err)
			}
		}
		data, err := os.ReadFile(filepath.Join(dir, "audit.json"))
		if err != nil {
			t.Fatal(err)
		}
		if s := decodeSummary(t, string(data)); !slices.Equal(s.RequiredFailed, []string{findings.RuleSecretInURL.ID}) {
			t.Errorf("audit.json required failed %v", s.RequiredFailed)
		}
	})

	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"no server", env, []string{"audit", "--sandbox", clean}},
		{"unknown format", env, []string{"audit", "--server", base, "--sandbox", clean, "--format", "pdf"}},
		{"unknown sandbox", env, []string{"audit", "--server", base, "--sandbox", "sbx-nothere"}},
		{"wrong control token", nil, []string{"audit", "--server", base, "--sandbox", clean, "--control-token", "nope"}},
		{"unreachable server", env, []string{"audit", "--server", "http://127.0.0.1:1", "--sandbox", clean}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, stderr, code := runCmd(t, tc.env, tc.args...); code != 2 || !strings.HasPrefix(stderr, "ssrmock:") {
				t.Errorf("exit %d, stderr %q; want 2 and a message", code, stderr)
			}
		})
	}
}

func decodeSummary(t *testing.T, s string) conformance.Summary {
	t.Helper()
	var sum conformance.Summary
	if err := json.Unmarshal([]byte(s), &sum); err != nil {
		t.Fatalf("%v in %q", err, s)
	}
	return sum
}

package conformance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func result(id string, level Level, state, failure string, known bool) SpecResult {
	area, _, _ := strings.Cut(id, "/")
	return SpecResult{Spec: Spec{ID: id, Area: area, Level: level, Rule: "rule of " + id}, State: state, Failure: failure, KnownFailing: known}
}

func TestSummarizeResults(t *testing.T) {
	tests := []struct {
		name    string
		results []SpecResult
		known   []string
		want    Summary
	}{{
		name: "all passed",
		results: []SpecResult{
			result("links/a", Required, "passed", "", false),
			result("links/b", Recommended, "skipped", "", false),
		},
		want: Summary{Passed: true, Total: 2, Ran: 1, PassedCount: 1, Skipped: 1},
	}, {
		name: "a recommended failure does not fail the run",
		results: []SpecResult{
			result("links/a", Required, "passed", "", false),
			result("links/b", Recommended, "failed", "did x", false),
		},
		want: Summary{Passed: true, Total: 2, Ran: 2, PassedCount: 1, RecommendedFailed: []string{"links/b"}},
	}, {
		name: "a required failure fails it",
		results: []SpecResult{
			result("links/a", Required, "failed", "did x", false),
		},
		want: Summary{Passed: false, Total: 1, Ran: 1, RequiredFailed: []string{"links/a"}},
	}, {
		name: "a known failure does not fail it, a known pass does, an unknown id is reported",
		results: []SpecResult{
			result("links/a", Required, "failed", "did x", true),
			result("links/b", Required, "passed", "", true),
		},
		known: []string{"links/a", "links/b", "links/gone"},
		want: Summary{Passed: false, Total: 2, Ran: 2, PassedCount: 1, KnownFailed: []string{"links/a"},
			KnownPassed: []string{"links/b"}, UnknownKnown: []string{"links/gone"}},
	}, {
		name: "a harness failure cannot judge the vendor",
		results: []SpecResult{
			result("links/a", Required, "failed", harnessMark+"the driver died", false),
		},
		want: Summary{Passed: false, Total: 1, Ran: 1, HarnessFailed: []string{"links/a"}, HarnessError: "links/a: the driver died"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarizeResults(tt.results, tt.known, nil)
			got.Results = nil
			for _, l := range []*[]string{&tt.want.RequiredFailed, &tt.want.RecommendedFailed, &tt.want.KnownFailed, &tt.want.KnownPassed} {
				if *l == nil {
					*l = []string{}
				}
			}
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("summary (-want +got):\n%s", diff)
			}
			if text := got.Text(); !strings.Contains(text, "ssrmock conformance: ") {
				t.Errorf("Text() = %q, want a verdict line", text)
			}
		})
	}
}

func TestReadKnownFailing(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	if err := os.WriteFile(good, []byte("# vendor X\nlinks/working-link  # ticket 12\n\n  resilience/slow-response\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadKnownFailing(good)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"links/working-link", "resilience/slow-response"}; !cmp.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(bad, []byte("links/working-link\nnot an id\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadKnownFailing(bad); err == nil || !strings.Contains(err.Error(), ":2:") {
		t.Errorf("bad file: err = %v, want one naming line 2", err)
	}
}

func TestWrongSecret(t *testing.T) {
	for _, secret := range []string{"PG6hPvQF4SHbFdzWQUtK", "zzzzzzzzzzzzzzzzzzzz", "99999999999999999999", ""} {
		got := wrongSecret(secret)
		if got == secret || (secret != "" && len(got) != len(secret)) {
			t.Errorf("wrongSecret(%q) = %q, want another key of the same length", secret, got)
		}
	}
}

func TestLeaks(t *testing.T) {
	const secret = "ab+cd/ef=gh"
	tests := []struct {
		link string
		want bool
	}{
		{"https://ssr.example/api/v1/files/x?sig=123", false},
		{"https://ssr.example/x?secretKey=ab+cd/ef=gh", true},
		{"https://ssr.example/x?secretKey=ab%2Bcd%2Fef%3Dgh", true},
		{"", false},
	}
	for _, tt := range tests {
		if got := leaks(tt.link, secret); got != tt.want {
			t.Errorf("leaks(%q) = %v, want %v", tt.link, got, tt.want)
		}
		if got := redact(tt.link, secret); strings.Contains(got, secret) {
			t.Errorf("redact(%q) = %q still holds the secret", tt.link, got)
		}
	}
}

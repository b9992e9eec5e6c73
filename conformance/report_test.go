package conformance

import (
	"bytes"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// mixedSummary has one spec in every state a report distinguishes.
func mixedSummary() *Summary {
	s := summarizeResults([]SpecResult{
		result("authentication/a", Required, "passed", "", false),
		result("authentication/b", Required, "failed", "did x", false),
		result("links/c", Recommended, "failed", "did y", false),
		result("links/d", Required, "failed", "did z", true),
		result("links/e", Required, "skipped", "", false),
		result("resilience/f", Required, "failed", harnessMark+"the driver died", false),
	}, []string{"links/d"}, nil)
	s.Run = RunInfo{SsrmockVersion: "v1.4.0", SpecListSHA256: "abc", Seed: 7, Driver: DriverInfo{"Acme SIS", "2.1"},
		ServerURL: "http://127.0.0.1:8080", StartedAt: time.Date(2019, 7, 1, 15, 0, 0, 0, time.UTC), FinishedAt: time.Date(2019, 7, 1, 15, 0, 9, 0, time.UTC)}
	return s
}

func TestJUnitReport(t *testing.T) {
	s := mixedSummary()
	j := junitReport(s)
	suite := j.TestSuites[0]
	if suite.Tests != 6 || suite.Skipped != 1 || suite.Failures != 3 || suite.Errors != 1 || j.Tests != 6 || j.Failures != 3 || j.Errors != 1 {
		t.Errorf("counts: tests %d skipped %d failures %d errors %d (all: %d %d %d); want 6 1 3 1",
			suite.Tests, suite.Skipped, suite.Failures, suite.Errors, j.Tests, j.Failures, j.Errors)
	}
	type kase struct{ ID, Class, Status, Kind, Message string }
	var got []kase
	for _, tc := range suite.TestCases {
		k := kase{Class: tc.Classname, Status: tc.Status}
		k.ID = regexp.MustCompile(`^\[([^\]]+)\]`).FindStringSubmatch(tc.Name)[1]
		switch {
		case tc.Failure != nil:
			k.Kind, k.Message = tc.Failure.Type, tc.Failure.Message
		case tc.Error != nil:
			k.Kind, k.Message = tc.Error.Type, tc.Error.Message
		case tc.Skipped != nil:
			k.Kind = "skipped"
		}
		got = append(got, k)
	}
	want := []kase{
		{"authentication/a", "ssrmock.conformance.authentication", "passed", "", ""},
		{"authentication/b", "ssrmock.conformance.authentication", "failed", "required", "did x"},
		{"links/c", "ssrmock.conformance.links", "failed", "recommended", "did y"},
		{"links/d", "ssrmock.conformance.links", "failed", "known-failing", "did z"},
		{"links/e", "ssrmock.conformance.links", "skipped", "skipped", ""},
		{"resilience/f", "ssrmock.conformance.resilience", "failed", "harness", "the driver died"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("test cases (-want +got):\n%s", diff)
	}
	if ts := suite.Timestamp; ts != "2019-07-01T08:00:00-07:00" {
		t.Errorf("timestamp %q, want the start in Pacific summer time, 2019-07-01T08:00:00-07:00", ts)
	}
}

// TestSummaryHTMLOrder checks that the HTML summary puts what failed first, then what passed,
// then what was skipped, and counts each area.
func TestSummaryHTMLOrder(t *testing.T) {
	var buf bytes.Buffer
	if err := mixedSummary().HTML(&buf); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	var order []string
	for _, m := range regexp.MustCompile(`<h2>([^<(]+)|<code>([^<]+)</code>`).FindAllStringSubmatch(page, -1) {
		order = append(order, m[1]+m[2])
	}
	want := []string{
		"By area",
		"Specs the harness could not judge ", "resilience/f",
		"Required rules broken ", "authentication/b",
		"Recommendations not met ", "links/c",
		"Known-failing specs that failed, as expected ", "links/d",
		"Passed ", "authentication/a",
		"Skipped ", "links/e",
		"Run",
	}
	if diff := cmp.Diff(want, order); diff != "" {
		t.Errorf("sections and specs in page order (-want +got):\n%s", diff)
	}
	var areas [][]string
	for _, m := range regexp.MustCompile(`<tr><td>([a-z-]+)</td><td class="n[^"]*">(\d+)</td><td class="n">(\d+)</td><td class="n skipped">(\d+)</td>`).FindAllStringSubmatch(page, -1) {
		areas = append(areas, m[1:])
	}
	wantAreas := map[string][]string{"authentication": {"authentication", "1", "1", "0"}, "links": {"links", "2", "0", "1"}, "resilience": {"resilience", "1", "0", "0"}}
	if len(areas) != len(Areas) {
		t.Fatalf("%d area rows, want %d", len(areas), len(Areas))
	}
	for _, row := range areas {
		w, ok := wantAreas[row[0]]
		if !ok {
			w = []string{row[0], "0", "0", "0"}
		}
		if !slices.Equal(row, w) {
			t.Errorf("area row %q, want failed, passed, skipped %q", row, w)
		}
	}
}

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onsi/ginkgo/v2/reporters"

	"github.com/ssrmock/ssrmock/conformance"
	"github.com/ssrmock/ssrmock/conformance/refvendor"
)

// TestConformReportMetadata checks that every report of a run names what produced it, with the
// same values: the ssrmock version, the spec list's digest, the seed, the driver's hello, the
// server and the run's start and end in Pacific time.
func TestConformReportMetadata(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a suite process")
	}
	t.Parallel()
	srv := sharedServer(t)
	before := time.Now()
	r := runConformProcess(t, "--driver-cmd", selfCommand("vendor"), "--server", srv, "--seed", "4242", "--label-filter", "links")
	after := time.Now()
	if r.code != 0 || r.summary == nil {
		t.Fatalf("conform: exit %d, want 0\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if r.stderr != "" {
		t.Errorf("a passing run wrote to stderr (the driver's stderr belongs in driver.log):\n%s", r.stderr)
	}
	specs, err := os.ReadFile(filepath.Join("..", "..", "conformance", "testdata", "specs.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256(specs)
	run := r.summary.Run
	want := conformance.RunInfo{
		SsrmockVersion: currentVersion(),
		SpecListSHA256: hex.EncodeToString(digest[:]),
		Seed:           4242,
		LabelFilter:    "links",
		Driver:         conformance.DriverInfo{Name: "ssrmock reference vendor", Version: refvendor.Version},
		ServerURL:      srv,
		StartedAt:      run.StartedAt,
		FinishedAt:     run.FinishedAt,
	}
	if diff := cmp.Diff(want, run); diff != "" {
		t.Errorf("conformance.json run (-want +got):\n%s", diff)
	}
	if run.StartedAt.Before(before.Truncate(time.Second)) || run.FinishedAt.After(after.Add(time.Second)) || run.FinishedAt.Before(run.StartedAt) {
		t.Errorf("run from %v to %v, not within the test's %v to %v", run.StartedAt, run.FinishedAt, before, after)
	}
	la, _ := time.LoadLocation("America/Los_Angeles")
	for _, at := range []time.Time{run.StartedAt, run.FinishedAt} {
		_, got := at.Zone()
		_, want := at.In(la).Zone()
		if got != want {
			t.Errorf("%v has offset %ds, want Pacific's %ds", at, got, want)
		}
	}

	// junit.xml: the same values as properties, one test case per spec, counts that agree.
	var junit reporters.JUnitTestSuites
	if err := xml.Unmarshal(mustRead(t, r.dir, "junit.xml"), &junit); err != nil {
		t.Fatalf("junit.xml: %v", err)
	}
	if len(junit.TestSuites) != 1 {
		t.Fatalf("junit.xml has %d test suites, want 1", len(junit.TestSuites))
	}
	suite := junit.TestSuites[0]
	props := map[string]string{}
	for _, p := range suite.Properties.Properties {
		props[p.Name] = p.Value
	}
	wantProps := map[string]string{
		"ssrmock.version":        want.SsrmockVersion,
		"ssrmock.specListSha256": want.SpecListSHA256,
		"ssrmock.seed":           "4242",
		"ssrmock.labelFilter":    "links",
		"driver.name":            want.Driver.Name,
		"driver.version":         want.Driver.Version,
		"server.url":             srv,
		"startedAt":              run.StartedAt.Format(time.RFC3339Nano),
		"finishedAt":             run.FinishedAt.Format(time.RFC3339Nano),
		"passed":                 "true",
	}
	if diff := cmp.Diff(wantProps, props); diff != "" {
		t.Errorf("junit.xml properties (-want +got):\n%s", diff)
	}
	if suite.Name != "ssrmock conformance" || suite.Package != "ssrmock.conformance" {
		t.Errorf("junit.xml test suite %q, package %q; want ssrmock conformance, ssrmock.conformance", suite.Name, suite.Package)
	}
	s := r.summary
	if suite.Tests != s.Total || len(suite.TestCases) != s.Total || suite.Skipped != s.Skipped || suite.Failures != 0 || suite.Errors != 0 {
		t.Errorf("junit.xml: tests %d (%d cases), skipped %d, failures %d, errors %d; the summary has %d specs, %d skipped, none failed",
			suite.Tests, len(suite.TestCases), suite.Skipped, suite.Failures, suite.Errors, s.Total, s.Skipped)
	}
	skipped := 0
	for i, tc := range suite.TestCases {
		res := s.Results[i]
		if wantName := "[" + res.ID + "] " + res.Rule + " [" + string(res.Level) + ", " + res.Area + "]"; tc.Name != wantName {
			t.Errorf("test case %d is %q, want %q", i, tc.Name, wantName)
		}
		if tc.Classname != "ssrmock.conformance."+res.Area || tc.Status != res.State {
			t.Errorf("test case %s: class %q status %q, want ssrmock.conformance.%s %s", res.ID, tc.Classname, tc.Status, res.Area, res.State)
		}
		if tc.Skipped != nil {
			skipped++
		}
	}
	if skipped != s.Skipped || s.Skipped == 0 {
		t.Errorf("%d test cases skipped, the summary says %d (the links filter must skip some)", skipped, s.Skipped)
	}

	// summary.txt and summary.html: the same values, in words.
	wantFields := [][2]string{
		{"driver", want.Driver.Name + " " + want.Driver.Version},
		{"ssrmock", want.SsrmockVersion},
		{"spec list", "sha256:" + want.SpecListSHA256},
		{"seed", "4242 (--seed 4242 repeats the order)"},
		{"label filter", "links"},
		{"server", srv},
		{"started", run.StartedAt.In(la).Format("2006-01-02 15:04:05 MST")},
		{"finished", run.FinishedAt.In(la).Format("2006-01-02 15:04:05 MST")},
	}
	text := string(mustRead(t, r.dir, "summary.txt"))
	_, runPart, ok := strings.Cut(text, "\nRun:\n")
	if !ok {
		t.Fatalf("summary.txt has no Run section:\n%s", text)
	}
	var gotText [][2]string
	for _, line := range strings.Split(strings.TrimRight(runPart, "\n"), "\n") {
		name, value, _ := strings.Cut(strings.TrimSpace(line), "  ")
		gotText = append(gotText, [2]string{name, strings.TrimSpace(value)})
	}
	if diff := cmp.Diff(wantFields, gotText); diff != "" {
		t.Errorf("summary.txt Run section (-want +got):\n%s", diff)
	}
	var gotHTML [][2]string
	for _, m := range regexp.MustCompile(`<dt>([^<]*)</dt><dd>([^<]*)</dd>`).FindAllStringSubmatch(string(mustRead(t, r.dir, "summary.html")), -1) {
		gotHTML = append(gotHTML, [2]string{html.UnescapeString(m[1]), html.UnescapeString(m[2])})
	}
	if diff := cmp.Diff(wantFields, gotHTML); diff != "" {
		t.Errorf("summary.html run details (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(r.dir, "driver.log")); err != nil {
		t.Errorf("no driver.log in the report directory: %v", err)
	}
}

func mustRead(tb testing.TB, dir, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

package conformance

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/onsi/ginkgo/v2/types"
)

func sampleCoverage() *Coverage {
	c := newCoverage()
	c.Walks, c.Steps = 1, 3
	c.offer("2018-19", "caa", "en")
	c.offer("2018-19", "caa", "es")
	c.view("2018-19", "caa", "en")
	c.view("2018-19", "caa", "en")
	c.schedule("reports", fk429)
	c.hit(fk429, "reports")
	c.schedule("*", "maintenance")
	c.hit("maintenance", "token")
	c.position("token life", "inside")
	c.outcome("ok")
	c.emptyThenReports("2018-19", "1234567890")
	return c
}

// TestCoverageTravels checks that the explore report reaches the summary through a Ginkgo
// report entry, in process and across parallel processes (where only its JSON travels).
func TestCoverageTravels(t *testing.T) {
	rep := &ExploreReport{Seed: 5, Steps: 3, Coverage: sampleCoverage(),
		Failure: &ExploreFailure{Scenario: "2018-19", FoundAfter: 3, Steps: []Step{{Text: "The clock moves on.", Pages: "1234567890 at LEA A"}}, Message: "Your integration: left out x", Replay: "ssrmock conform …"}}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	entry := types.ReportEntry{Name: exploreEntry, Value: types.WrapEntryValue(string(data))}
	wire, err := json.Marshal(entry)
	if err != nil {
		t.Fatal(err)
	}
	var remote types.ReportEntry
	if err := json.Unmarshal(wire, &remote); err != nil {
		t.Fatal(err)
	}
	for name, e := range map[string]types.ReportEntry{"in process": entry, "from another process": remote} {
		got := exploreReportOf(types.Report{SpecReports: types.SpecReports{{ReportEntries: types.ReportEntries{e}}}})
		if got == nil {
			t.Fatalf("%s: no explore report found", name)
		}
		if diff := cmp.Diff(rep.Coverage.Viewed, got.Coverage.Viewed); diff != "" {
			t.Errorf("%s: viewed differs (-want +got):\n%s", name, diff)
		}
		if f := got.Coverage.Faults["reports"][fk429]; f == nil || *f != (FaultUse{Scheduled: 1, Met: 1}) {
			t.Errorf("%s: 429 on reports = %+v, want scheduled 1, met 1", name, f)
		}
		if f := got.Coverage.Faults["*"]["maintenance"]; f == nil || *f != (FaultUse{Scheduled: 1, Met: 1}) {
			t.Errorf("%s: maintenance = %+v, want scheduled 1, met 1", name, f)
		}
		if got.Failure == nil || got.Failure.Steps[0].Text != "The clock moves on." {
			t.Errorf("%s: failure %+v, want the steps carried", name, got.Failure)
		}
	}
}

func TestCoverageText(t *testing.T) {
	text := sampleCoverage().Text()
	rows := map[string][]string{}
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) > 2 && (f[0] == "2018-19" || f[0] == "reports" || f[0] == "*") {
			rows[strings.Join(f[:2], " ")] = f
		}
	}
	want := map[string][]string{
		// scenario family, en es vi zh-Hant fil ko
		"2018-19 caa": {"2018-19", "caa", "2", "0", "-", "-", "-", "-"},
		// route, 401 429 503 5xx slow dropped truncated maintenance
		"reports 0/0": {"reports", "0/0", "1/1", "0/0", "0/0", "0/0", "0/0", "0/0", "-"},
		"* -":         {"*", "-", "-", "-", "-", "-", "-", "-", "1/1"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("coverage tables differ (-want +got):\n%s\n%s", diff, text)
	}
	html := string(sampleCoverage().HTML())
	for _, cell := range []string{"<td>2018-19 caa</td><td>2</td><td>0</td><td>-</td>", "<td>reports</td><td>0/0</td><td>1/1</td>"} {
		if !strings.Contains(html, cell) {
			t.Errorf("HTML coverage lacks %q:\n%s", cell, html)
		}
	}
}

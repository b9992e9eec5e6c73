package conformance

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/ssrmock/ssrmock/conformance/pacific"
)

// harnessMark starts the failure message of a spec that failed because the harness broke (the
// driver stopped answering, the server went away) rather than because of the vendor.
const harnessMark = "HARNESS: "

// Summary is the verdict of a run and what it rests on.
type Summary struct {
	// Passed is true when every required spec passed, known-failing specs aside, and no
	// known-failing spec passed.
	Passed bool `json:"passed"`
	// HarnessError, when not empty, says why the suite could not judge the vendor.
	HarnessError string `json:"harnessError,omitempty"`
	// Seconds is how long the run took.
	Seconds float64      `json:"seconds"`
	Results []SpecResult `json:"results"`

	Total       int `json:"total"`
	Ran         int `json:"ran"`
	PassedCount int `json:"passedCount"`
	Skipped     int `json:"skipped"`
	// HarnessFailed lists specs the harness could not judge (see HarnessError).
	HarnessFailed []string `json:"harnessFailed,omitempty"`
	// RequiredFailed lists required specs that failed and are not known to fail.
	RequiredFailed []string `json:"requiredFailed"`
	// RecommendedFailed lists recommended specs that failed; they do not fail the run.
	RecommendedFailed []string `json:"recommendedFailed"`
	// KnownFailed lists known-failing specs that failed, as expected.
	KnownFailed []string `json:"knownFailed"`
	// KnownPassed lists known-failing specs that passed: the list is out of date.
	KnownPassed []string `json:"knownPassed"`
	// UnknownKnown lists known-failing ids that name no spec of the suite.
	UnknownKnown []string `json:"unknownKnown,omitempty"`
	// Run says what produced the report.
	Run RunInfo `json:"run"`
	// Explore is what the explore phase did and found, when it ran.
	Explore *ExploreReport `json:"explore,omitempty"`
	// Tool is "audit" for a report of `ssrmock audit` (findings of live traffic, see
	// AuditSummary); empty for the suite's.
	Tool string `json:"tool,omitempty"`
}

// title names the report: "ssrmock conformance" or "ssrmock audit".
func (s *Summary) title() string {
	if s.Tool == ToolAudit {
		return "ssrmock audit"
	}
	return junitSuiteName
}

// summarize judges a finished suite's report.
func summarize(r types.Report, known []string, harnessErr error) *Summary {
	var results []SpecResult
	ks := knownSet(known)
	for _, sr := range r.SpecReports {
		if res, ok := resultOf(sr, ks); ok {
			results = append(results, res)
		}
	}
	if harnessErr == nil {
		for _, sr := range r.SpecReports {
			if sr.LeafNodeType.Is(types.NodeTypeBeforeSuite|types.NodeTypeSynchronizedBeforeSuite) && sr.State.Is(types.SpecStateFailureStates) {
				harnessErr = fmt.Errorf("%s", sr.Failure.Message)
				break
			}
		}
	}
	s := summarizeResults(results, known, harnessErr)
	s.Seconds = r.RunTime.Seconds()
	s.Explore = exploreReportOf(r)
	return s
}

// summarizeResults judges a list of spec results.
func summarizeResults(results []SpecResult, known []string, harnessErr error) *Summary {
	s := &Summary{Results: slices.Clone(results), RequiredFailed: []string{}, RecommendedFailed: []string{},
		KnownFailed: []string{}, KnownPassed: []string{}}
	slices.SortFunc(s.Results, func(a, b SpecResult) int { return strings.Compare(a.ID, b.ID) })
	seen := map[string]bool{}
	for _, res := range s.Results {
		seen[res.ID] = true
		s.Total++
		switch res.State {
		case "skipped":
			s.Skipped++
			continue
		case "passed":
			s.Ran++
			s.PassedCount++
			if res.KnownFailing {
				s.KnownPassed = append(s.KnownPassed, res.ID)
			}
			continue
		}
		s.Ran++
		switch {
		case strings.HasPrefix(res.Failure, harnessMark):
			s.HarnessFailed = append(s.HarnessFailed, res.ID)
			if harnessErr == nil {
				harnessErr = fmt.Errorf("%s: %s", res.ID, strings.TrimPrefix(res.Failure, harnessMark))
			}
		case res.KnownFailing:
			s.KnownFailed = append(s.KnownFailed, res.ID)
		case res.Level == Recommended:
			s.RecommendedFailed = append(s.RecommendedFailed, res.ID)
		default:
			s.RequiredFailed = append(s.RequiredFailed, res.ID)
		}
	}
	if len(s.Results) > 0 {
		for _, id := range known {
			if !seen[id] {
				s.UnknownKnown = append(s.UnknownKnown, id)
			}
		}
	}
	if harnessErr != nil {
		s.HarnessError = harnessErr.Error()
	}
	s.Passed = s.HarnessError == "" && len(s.RequiredFailed) == 0 && len(s.KnownPassed) == 0
	return s
}

// verdict is the run's verdict in words: "conforms", "does not conform" or "could not run".
func (s *Summary) verdict() string {
	switch {
	case s.HarnessError != "":
		return "could not run"
	case s.Tool == ToolAudit && !s.Passed:
		return "findings"
	case s.Tool == ToolAudit && len(s.RecommendedFailed) > 0:
		return "warnings only"
	case s.Tool == ToolAudit:
		return "no findings"
	case !s.Passed:
		return "does not conform"
	}
	return "conforms"
}

// Text renders the summary for a vendor's engineer to read.
func (s *Summary) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", s.title(), strings.ToUpper(s.verdict()))
	fmt.Fprintf(&b, "%d specs, %d ran, %d passed, %d skipped, in %s\n", s.Total, s.Ran, s.PassedCount, s.Skipped, (time.Duration(s.Seconds * float64(time.Second))).Round(time.Millisecond))
	if s.HarnessError != "" {
		fmt.Fprintf(&b, "\nThe harness could not judge the vendor:\n  %s\n", s.HarnessError)
	}
	list := func(title string, ids []string, withFailure bool) {
		if len(ids) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s (%d):\n", title, len(ids))
		for _, id := range ids {
			res := s.result(id)
			fmt.Fprintf(&b, "  [%s] %s\n", id, res.Rule)
			if withFailure && res.Failure != "" {
				for _, line := range strings.Split(strings.TrimRight(res.Failure, "\n"), "\n") {
					fmt.Fprintf(&b, "      %s\n", line)
				}
			}
		}
	}
	list("Specs the harness could not judge", s.HarnessFailed, true)
	list("Required rules broken", s.RequiredFailed, true)
	list("Known-failing specs that now pass (remove them from the list)", s.KnownPassed, false)
	list("Recommendations not met (they do not fail the run)", s.RecommendedFailed, true)
	list("Known-failing specs that failed, as expected", s.KnownFailed, false)
	if len(s.UnknownKnown) > 0 {
		fmt.Fprintf(&b, "\nKnown-failing ids that name no spec: %s\n", strings.Join(s.UnknownKnown, ", "))
	}
	fmt.Fprintf(&b, "\nBy area:\n")
	for _, a := range s.ByArea() {
		fmt.Fprintf(&b, "  %-20s %2d passed  %2d failed  %2d skipped\n", a.Area, a.Passed, a.Failed, a.Skipped)
	}
	if s.Explore != nil {
		fmt.Fprintf(&b, "\n%s", s.Explore.Text())
	}
	fmt.Fprintf(&b, "\nRun:\n")
	for _, f := range s.Run.fields() {
		fmt.Fprintf(&b, "  %-16s %s\n", f.name, f.value)
	}
	return b.String()
}

// AreaCount counts one area's spec results.
type AreaCount struct {
	Area                    string
	Passed, Failed, Skipped int
}

// ByArea counts the results of each area, in the order of Areas.
func (s *Summary) ByArea() []AreaCount {
	out := make([]AreaCount, 0, len(Areas))
	for _, area := range Areas {
		c := AreaCount{Area: area}
		for _, res := range s.Results {
			if res.Area != area {
				continue
			}
			switch res.State {
			case "passed":
				c.Passed++
			case "failed":
				c.Failed++
			default:
				c.Skipped++
			}
		}
		out = append(out, c)
	}
	return out
}

// runField is one line of a report's run details.
type runField struct{ name, value string }

// fields are the run details as the text and HTML reports print them.
func (r RunInfo) fields() []runField {
	if r.Sandbox != "" {
		return auditFields(r)
	}
	driver := strings.TrimSpace(r.Driver.Name + " " + r.Driver.Version)
	if driver == "" {
		driver = "(did not answer hello)"
	}
	filter := r.LabelFilter
	if filter == "" {
		filter = "(none: every spec)"
	}
	when := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return pacific.Seconds(t)
	}
	return []runField{
		{"driver", driver},
		{"ssrmock", r.SsrmockVersion},
		{"spec list", "sha256:" + r.SpecListSHA256},
		{"seed", fmt.Sprintf("%d (--seed %d repeats the order)", r.Seed, r.Seed)},
		{"label filter", filter},
		{"server", r.ServerURL},
		{"started", when(r.StartedAt)},
		{"finished", when(r.FinishedAt)},
	}
}

func (s *Summary) result(id string) SpecResult {
	for _, r := range s.Results {
		if r.ID == id {
			return r
		}
	}
	return SpecResult{Spec: Spec{ID: id}}
}

// writeReports writes junit.xml, conformance.json, summary.txt and summary.html into dir.
func writeReports(dir string, s *Summary) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := writeJUnit(filepath.Join(dir, "junit.xml"), s); err != nil {
		return err
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, s.jsonName()), append(data, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "summary.txt"), []byte(s.Text()), 0o644); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "summary.html"))
	if err != nil {
		return err
	}
	if err := s.HTML(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

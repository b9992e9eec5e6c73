package conformance

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/ssrmock/ssrmock/conformance/pacific"
	"github.com/ssrmock/ssrmock/findings"
)

// ToolAudit is the Summary.Tool of an audit report.
const ToolAudit = "audit"

// AuditSummary turns the findings of a sandbox's live traffic into a report in the suite's
// formats: one result per findings rule, failed when the traffic broke it. An error finding
// fails the audit like a required spec; a warning is reported like a recommendation.
func AuditSummary(fs []findings.Finding, run RunInfo) *Summary {
	statements := map[string]string{}
	for _, s := range List("") {
		statements[s.ID] = s.Rule
	}
	byRule := map[string][]findings.Finding{}
	for _, f := range fs {
		byRule[f.Rule] = append(byRule[f.Rule], f)
	}
	var results []SpecResult
	for _, r := range findings.Rules {
		area, _, _ := strings.Cut(r.ID, "/")
		level := Required
		if r.Severity == findings.Warning {
			level = Recommended
		}
		rule := statements[r.ID]
		if rule == "" {
			rule = r.Title + " (a rule of the mock's own: " + r.Fix + ")"
		}
		res := SpecResult{Spec: Spec{ID: r.ID, Area: area, Level: level, Rule: rule}, State: "passed"}
		if got := byRule[r.ID]; len(got) > 0 {
			res.State, res.Failure = "failed", describeFindings(r, got)
		}
		results = append(results, res)
	}
	s := summarizeResults(results, nil, nil)
	s.Tool, s.Run = ToolAudit, run
	return s
}

// describeFindings is the failure text of one rule's findings.
func describeFindings(r findings.Rule, fs []findings.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		who := "Your integration"
		if f.LEA != "" {
			who += " (LEA " + f.LEA + ")"
		}
		fmt.Fprintf(&b, "%s: %s\n", who, f.Detail)
		fmt.Fprintf(&b, "  %d time(s), %s to %s; journal entries %s\n", f.Count, pacific.Seconds(f.FirstAt), pacific.Seconds(f.LastAt), seqList(f.Evidence))
	}
	fmt.Fprintf(&b, "It should: %s\nThreshold: %s\n", r.Fix, r.Threshold)
	return b.String()
}

func seqList(seqs []int64) string {
	parts := make([]string, len(seqs))
	for i, s := range seqs {
		parts[i] = fmt.Sprintf("#%d", s)
	}
	return strings.Join(parts, " ")
}

// WriteReports writes the summary's four reports into dir: junit.xml, summary.txt,
// summary.html and conformance.json (audit.json for an audit).
func (s *Summary) WriteReports(dir string) error { return writeReports(dir, s) }

// jsonName is the file name of the JSON report.
func (s *Summary) jsonName() string {
	if s.Tool == ToolAudit {
		return "audit.json"
	}
	return "conformance.json"
}

// WriteJSON writes the summary as the JSON report.
func (s *Summary) WriteJSON(w io.Writer) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// WriteJUnit writes the summary as the JUnit XML report.
func (s *Summary) WriteJUnit(w io.Writer) error {
	data, err := xml.MarshalIndent(junitReport(s), "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append([]byte(xml.Header), append(data, '\n')...))
	return err
}

// auditFields are the run details of an audit.
func auditFields(r RunInfo) []runField {
	return []runField{
		{"sandbox", r.Sandbox},
		{"ssrmock", r.SsrmockVersion},
		{"server", r.ServerURL},
		{"read at", pacific.Seconds(r.FinishedAt)},
	}
}

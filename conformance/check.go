package conformance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
	"github.com/ssrmock/ssrmock/conformance/driver"
	"github.com/ssrmock/ssrmock/conformance/pacific"
)

// maxJournalLines bounds the journal excerpt of a failure message.
const maxJournalLines = 24

// violation fails the spec with a message for the vendor's engineer: what their integration
// did, what it should have done, and the journal lines that show it.
func violation(did, should string, entries []controlapi.Entry) {
	var b strings.Builder
	fmt.Fprintf(&b, "Your integration: %s\nIt should have: %s\n", did, should)
	if len(entries) > 0 {
		fmt.Fprintf(&b, "Vendor API requests (sandbox time):\n")
		shown := entries
		if len(shown) > maxJournalLines {
			shown = slices.Concat(entries[:maxJournalLines/2], entries[len(entries)-maxJournalLines/2:])
		}
		for i, e := range shown {
			if len(entries) > maxJournalLines && i == maxJournalLines/2 {
				fmt.Fprintf(&b, "  … %d more …\n", len(entries)-maxJournalLines)
			}
			fmt.Fprintf(&b, "  %s\n", e)
		}
	} else {
		fmt.Fprintf(&b, "Vendor API requests (sandbox time): none: the page was built without asking the service\n")
	}
	failCheck(b.String())
}

// key names one report in one language and one format, as a parent sees it.
type key struct{ year, assessment, language, format string }

func (k key) String() string {
	if k.format == formatPDF {
		return fmt.Sprintf("%s %s (%s)", k.year, k.assessment, k.language)
	}
	return fmt.Sprintf("%s %s (%s, %s)", k.year, k.assessment, k.language, k.format)
}

func keyOfView(r driver.ViewReport) key {
	return key{r.SchoolYear, r.Assessment, r.Language, formatOr(r.Format)}
}

func keyOfTruth(r controlapi.TruthReport) key {
	return key{r.SchoolYear, r.Assessment, r.Language, formatOr(r.Format)}
}

func describeView(v driver.View) string {
	var parts []string
	for _, r := range v.Reports {
		parts = append(parts, keyOfView(r).String())
	}
	s := fmt.Sprintf("outcome %q with %d report(s)", v.Outcome, len(v.Reports))
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ", ")
	}
	if v.Message != "" {
		s += fmt.Sprintf(" (message %q)", v.Message)
	}
	return s
}

func describeKeys(ks []key) string {
	var parts []string
	for _, k := range ks {
		parts = append(parts, k.String())
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// expectMatches checks that view v of ssid at lea shows exactly the reports the ground truth
// says lea may see now, each with the right bytes: links are followed at once, hashes compared.
// With nothing to see, the page must say why, as the service does: "not_found" for a student
// the LEA may not see at all (404 student_not_found), "ok" with no report for one enrolled
// there with nothing released yet. since is the journal cursor from which to quote requests in
// a failure.
func (w *world) expectMatches(lea, ssid string, v driver.View, since int64, context string) {
	t := w.truth(lea, ssid)
	who := fmt.Sprintf("student %s at LEA %s", ssid, lea)
	if len(t.Visible()) == 0 && len(v.Reports) == 0 {
		want, why := driver.OK, "the student is enrolled in the LEA and has no report released yet: the service lists none (200, \"reports\":[])"
		if w.student(ssid).LEAAt(w.now) != lea {
			want, why = driver.NotFound, "the LEA may not see the student at all: the service answers 404 student_not_found"
		}
		if v.Outcome == want {
			return
		}
		violation(fmt.Sprintf("%s, the page for %s showed %s", context, who, describeView(v)),
			fmt.Sprintf("shown outcome %q and no report: %s", want, why), w.journal(since))
	}
	if v.Outcome != driver.OK {
		violation(
			fmt.Sprintf("%s, the page for %s showed %s", context, who, describeView(v)),
			fmt.Sprintf("shown outcome \"ok\" with the %d report(s) the LEA may see: %s", len(t.Visible()), describeKeys(visibleKeys(t))),
			w.journal(since))
	}
	want := map[key]controlapi.TruthReport{}
	for _, r := range t.Visible() {
		want[keyOfTruth(r)] = r
	}
	all := map[key]controlapi.TruthReport{}
	for _, r := range t.Reports {
		all[keyOfTruth(r)] = r
	}
	var missing, foreign, hidden, dup []key
	var problems []string
	seen := map[key]bool{}
	for _, r := range v.Reports {
		k := keyOfView(r)
		if seen[k] {
			dup = append(dup, k)
			continue
		}
		seen[k] = true
		tr, ok := want[k]
		if !ok {
			if _, exists := all[k]; exists {
				hidden = append(hidden, k)
			} else {
				foreign = append(foreign, k)
			}
			continue
		}
		if p := w.checkBytes(k, r, tr); p != "" {
			problems = append(problems, p)
		}
	}
	for _, r := range t.Visible() {
		if k := keyOfTruth(r); !seen[k] {
			missing = append(missing, k)
		}
	}
	slices.SortFunc(missing, compareKeys)
	slices.SortFunc(foreign, compareKeys)
	slices.SortFunc(hidden, compareKeys)
	if len(missing)+len(foreign)+len(hidden)+len(dup)+len(problems) == 0 {
		return
	}
	var did []string
	if len(missing) > 0 {
		did = append(did, "left out "+describeKeys(missing))
	}
	if len(foreign) > 0 {
		did = append(did, fmt.Sprintf("showed reports student %s does not have (another student's?): %s", ssid, describeKeys(foreign)))
	}
	for _, k := range hidden {
		r := all[k]
		if r.Released {
			did = append(did, fmt.Sprintf("showed %s, which LEA %s may not see now (the student tested elsewhere and is not enrolled here)", k, lea))
		} else {
			did = append(did, fmt.Sprintf("showed %s before its release at %s", k, pacific.Minutes(r.ReleasedAt)))
		}
	}
	if len(dup) > 0 {
		did = append(did, "showed more than once "+describeKeys(dup))
	}
	did = append(did, problems...)
	violation(
		fmt.Sprintf("%s, the page for %s showed %s;\n  %s", context, who, describeView(v), strings.Join(did, ";\n  ")),
		fmt.Sprintf("shown exactly the %d report(s) the LEA may see at %s, each with its current bytes: %s",
			len(want), pacific.Minutes(w.now), describeKeys(visibleKeys(t))),
		w.journal(since))
}

// checkBytes checks that what the parent gets for one report is the report's current bytes;
// it returns "" when it is, and what went wrong otherwise.
func (w *world) checkBytes(k key, r driver.ViewReport, tr controlapi.TruthReport) string {
	switch {
	case r.URL != "":
		d := w.fetch(r.URL)
		switch {
		case d.err != nil:
			return fmt.Sprintf("the link for %s could not be downloaded: %v", k, d.err)
		case d.status != 200:
			return fmt.Sprintf("the link for %s answered %d %s", k, d.status, d.code)
		case d.sha256 != tr.SHA256:
			return fmt.Sprintf("the link for %s served other bytes (sha256 %.12s…, want %.12s…: another report, language or version)", k, d.sha256, tr.SHA256)
		case !strings.HasPrefix(d.contentType, contentTypes[k.format]):
			return fmt.Sprintf("the link for %s served %q, not %s", k, d.contentType, contentTypes[k.format])
		}
	case r.SHA256 != "":
		if !strings.EqualFold(r.SHA256, tr.SHA256) {
			return fmt.Sprintf("served other bytes for %s (sha256 %.12s…, want %.12s…: another report, language or version)", k, r.SHA256, tr.SHA256)
		}
	default:
		return fmt.Sprintf("%s carries neither a link nor the sha256 of the bytes served", k)
	}
	return ""
}

func visibleKeys(t controlapi.Truth) []key {
	var ks []key
	for _, r := range t.Visible() {
		ks = append(ks, keyOfTruth(r))
	}
	slices.SortFunc(ks, compareKeys)
	return ks
}

func compareKeys(a, b key) int {
	return strings.Compare(a.year+a.assessment+a.language+a.format, b.year+b.assessment+b.language+b.format)
}

// expectOutcome checks that view v has outcome want and shows no report.
func (w *world) expectOutcome(v driver.View, want driver.Outcome, context, should string, since int64) {
	if v.Outcome == want && len(v.Reports) == 0 {
		return
	}
	violation(fmt.Sprintf("%s, the page showed %s", context, describeView(v)),
		fmt.Sprintf("shown outcome %q and no report: %s", want, should), w.journal(since))
}

// count returns the entries of route (any route when "") that satisfy keep (nil keeps all).
func count(entries []controlapi.Entry, route string, keep func(controlapi.Entry) bool) []controlapi.Entry {
	var out []controlapi.Entry
	for _, e := range entries {
		if (route == "" || e.Route == route) && (keep == nil || keep(e)) {
			out = append(out, e)
		}
	}
	return out
}

package ssrpdf

import "github.com/ssrmock/ssrmock/fixtures"

// NewDocument assembles the Document of one report of a world in one language: the school and
// LEA where the student tested and the catalog entries of the report's tests (Tests). The
// report identifier is the report's ID; callers that print another one set ReportID
// afterwards.
func NewDocument(w *fixtures.World, rep fixtures.Report, student fixtures.Student, lang fixtures.Language, version int) Document {
	d := Document{Report: rep, Student: student, Language: lang, Version: version, ReportID: rep.ID}
	d.School, _ = w.School(rep.School)
	d.LEA, _ = w.LEA(rep.LEA)
	d.Tests = Tests(w.Scenario(), rep)
	return d
}

// Tests returns the catalog entries a report is printed with: the entry of each of its
// results' tests, and of its score history's where an earlier year had another version, in
// the order first met.
func Tests(sc *fixtures.Scenario, rep fixtures.Report) []fixtures.Test {
	var out []fixtures.Test
	add := func(res fixtures.Result) {
		t, ok := sc.TestIn(res.Test, res.Year)
		if !ok {
			return
		}
		for _, have := range out {
			if have.ID == t.ID && have.From == t.From {
				return
			}
		}
		out = append(out, t)
	}
	for _, res := range rep.Results {
		add(res)
	}
	for _, res := range rep.History {
		add(res)
	}
	return out
}

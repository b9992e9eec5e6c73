package ssrpdf

import "github.com/ssrmock/ssrmock/fixtures"

// NewDocument assembles the Document of one report of a world in one language: the school and
// LEA where the student tested and the catalog entries of the report's tests. The report
// identifier is the report's ID; callers that print another one set ReportID afterwards.
func NewDocument(w *fixtures.World, rep fixtures.Report, student fixtures.Student, lang fixtures.Language, version int) Document {
	d := Document{Report: rep, Student: student, Language: lang, Version: version, ReportID: rep.ID}
	d.School, _ = w.School(rep.School)
	d.LEA, _ = w.LEA(rep.LEA)
	sc := w.Scenario()
	for _, res := range rep.Results {
		if t, ok := sc.Test(res.Test); ok {
			d.Tests = append(d.Tests, t)
		}
	}
	return d
}

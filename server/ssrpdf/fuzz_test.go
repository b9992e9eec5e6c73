package ssrpdf

import (
	"errors"
	"testing"

	"github.com/ssrmock/ssrmock/fixtures"
)

// FuzzRender renders documents with arbitrary names, identifiers, scores and levels. Render
// may refuse a document but must not panic, and what it returns must be a valid PDF.
func FuzzRender(f *testing.F) {
	f.Add("María", "Nguyễn", "Alder Creek", "9876543210-2026-sb", 2500, 3, 1, uint8(0), uint8(0))
	f.Add("", "", "", "", -1, 0, 0, uint8(3), uint8(4))
	f.Add("李", "김", "學校 학교", "\x00\xff", 1<<30, 4, 2, uint8(5), uint8(6))
	f.Add("a\nb\tc", "((()))", "\\", "%d %s", 0, 1, -3, uint8(2), uint8(2))
	r := mustRenderer(f)
	sc, err := fixtures.LookupScenario("2025-26")
	if err != nil {
		f.Fatal(err)
	}
	fams := scenarioFamilies(sc)
	langs := Languages()
	f.Fuzz(func(t *testing.T, first, last, school, id string, score, level, version int, lang, fam uint8) {
		d := goldenDoc(t, sc, fams[int(fam)%len(fams)], langs[int(lang)%len(langs)])
		d.Student.FirstName, d.Student.LastName, d.School.Name, d.ReportID = first, last, school, id
		d.Version = version
		d.Report.Results[0].ScaleScore = score
		d.Report.Results[0].Level = level
		b, err := r.Render(d)
		if errors.Is(err, errPanic) {
			t.Fatalf("Render panicked: %v", err)
		}
		if err != nil {
			if level >= 1 && level <= len(d.Tests[0].Levels) {
				t.Fatalf("Render refused a valid document: %v", err)
			}
			return
		}
		mustValidate(t, b)
	})
}

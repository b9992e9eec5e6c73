package ssrpdf

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/ssrmock/ssrmock/fixtures"
)

var (
	rendererOnce sync.Once
	sharedR      *Renderer
	sharedErr    error
)

// mustRenderer returns a Renderer shared by the package's tests.
func mustRenderer(tb testing.TB) *Renderer {
	tb.Helper()
	rendererOnce.Do(func() { sharedR, sharedErr = NewRenderer() })
	if sharedErr != nil {
		tb.Fatalf("NewRenderer: %v", sharedErr)
	}
	return sharedR
}

// mustRender renders d or fails the test.
func mustRender(tb testing.TB, r *Renderer, d Document) []byte {
	tb.Helper()
	b, err := r.Render(d)
	if err != nil {
		tb.Fatalf("Render(%s, %s): %v", d.ReportID, d.Language, err)
	}
	return b
}

// pdfText extracts the text of every page of a PDF, pages separated by a form feed line.
func pdfText(tb testing.TB, b []byte) (text string, pages int) {
	tb.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		tb.Fatalf("read PDF: %v", err)
	}
	var out strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		s, err := r.Page(i).GetPlainText(nil)
		if err != nil {
			tb.Fatalf("page %d text: %v", i, err)
		}
		if i > 1 {
			out.WriteString("\n\f\n")
		}
		out.WriteString(strings.TrimSpace(s))
	}
	out.WriteString("\n")
	return out.String(), r.NumPage()
}

// mustValidate runs pdfcpu's structural validation on b.
func mustValidate(tb testing.TB, b []byte) {
	tb.Helper()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationStrict
	if err := api.Validate(bytes.NewReader(b), conf); err != nil {
		tb.Fatalf("pdfcpu validation: %v", err)
	}
}

// families lists the report families in catalog order.
var families = []fixtures.Family{
	fixtures.FamilySmarterBalanced, fixtures.FamilyCAA, fixtures.FamilyCAST, fixtures.FamilyCSA,
	fixtures.FamilySummativeELPAC, fixtures.FamilyInitialELPAC, fixtures.FamilyAlternateELPAC,
}

// scenarioLanguages returns English and the scenario's translations.
func scenarioLanguages(sc *fixtures.Scenario) []fixtures.Language {
	return append([]fixtures.Language{fixtures.English}, sc.Languages...)
}

// scenarioFamilies returns the families a scenario's catalog prints, in catalog order.
func scenarioFamilies(sc *fixtures.Scenario) []fixtures.Family {
	var out []fixtures.Family
	for _, f := range families {
		for _, t := range sc.Tests() {
			if t.Family == f {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

var (
	worldDocsMu    sync.Mutex
	worldDocsCache = map[string]map[fixtures.Family]Document{}
)

// worldDocs finds, in a county world of the scenario, one report of every family the scenario
// prints (the first student's, preferring a Smarter Balanced report with both subjects and,
// for the families that print one, a report with a score history) and returns it as an
// English Document. Under the key combinedKey it holds a combined Smarter Balanced and CAST
// report where the scenario has them.
func worldDocs(tb testing.TB, scenario string) map[fixtures.Family]Document {
	tb.Helper()
	worldDocsMu.Lock()
	defer worldDocsMu.Unlock()
	if docs, ok := worldDocsCache[scenario]; ok {
		return docs
	}
	w, err := fixtures.New(1, scenario, "county")
	if err != nil {
		tb.Fatalf("fixtures.New: %v", err)
	}
	sc := w.Scenario()
	want := scenarioFamilies(sc)
	if sc.CombinedFrom != 0 {
		want = append(want, combinedKey)
	}
	historyFamily := func(f fixtures.Family) bool {
		return f == fixtures.FamilySmarterBalanced || f == fixtures.FamilySummativeELPAC || f == fixtures.FamilyCSA
	}
	docs := map[fixtures.Family]Document{}
	withHistory := map[fixtures.Family]bool{}
	for i := 0; i < w.NumStudents() && len(withHistory) < len(want); i++ {
		s, ok := w.Student(i)
		if !ok {
			continue
		}
		for _, rep := range w.Reports(s) {
			key := rep.Family
			d := NewDocument(w, rep, s, fixtures.English, 1)
			if d.Combined() {
				key = combinedKey
			}
			if withHistory[key] {
				continue
			}
			if rep.Family == fixtures.FamilySmarterBalanced && len(rep.Results) < 2 {
				continue
			}
			if _, have := docs[key]; have && len(rep.History) == 0 {
				continue
			}
			docs[key] = d
			withHistory[key] = len(rep.History) > 0 || !historyFamily(rep.Family)
		}
	}
	for _, f := range want {
		if _, ok := docs[f]; !ok {
			tb.Fatalf("scenario %s: no report of family %s in the county world", scenario, f)
		}
	}
	worldDocsCache[scenario] = docs
	return docs
}

// combinedKey is worldDocs' key of a combined Smarter Balanced and CAST report.
const combinedKey fixtures.Family = "smarter-balanced+cast"

// goldenDoc builds a fixed Document for a family from the scenario's catalog: the same
// student, school and LEA every time, scores placed inside the levels, indicators cycling
// through their levels. It does not depend on how fixtures draws students.
func goldenDoc(tb testing.TB, sc *fixtures.Scenario, f fixtures.Family, lang fixtures.Language) Document {
	tb.Helper()
	var tests []fixtures.Test
	for _, t := range sc.Tests() {
		if t.Family == f {
			tests = append(tests, t)
		}
	}
	if len(tests) == 0 {
		tb.Fatalf("scenario %s has no test of family %s", sc.Name, f)
	}
	// The middle grade of those every test of the family has (the CAA for Science is given
	// in fewer grades than ELA and mathematics).
	var common []fixtures.Grade
	for _, g := range tests[0].Grades {
		all := true
		for _, t := range tests {
			_, ok := t.Ranges[g]
			all = all && ok
		}
		if all {
			common = append(common, g)
		}
	}
	return goldenDocOf(tb, sc, f, tests, common[len(common)/2], lang)
}

// goldenCombined is goldenDoc's one Smarter Balanced and CAST report of a grade 8 student.
func goldenCombined(tb testing.TB, sc *fixtures.Scenario, lang fixtures.Language) Document {
	tb.Helper()
	var tests []fixtures.Test
	for _, id := range []fixtures.TestID{fixtures.SBELA, fixtures.SBMath, fixtures.CAST} {
		t, ok := sc.Test(id)
		if !ok {
			tb.Fatalf("scenario %s has no test %s", sc.Name, id)
		}
		tests = append(tests, t)
	}
	return goldenDocOf(tb, sc, fixtures.FamilySmarterBalanced, tests, 8, lang)
}

// goldenDocOf builds goldenDoc's Document of the given tests on a report of family f in a
// grade. Smarter Balanced, Summative ELPAC and CSA reports carry a score history of the two
// earlier school years, scored on those years' versions of the tests.
func goldenDocOf(tb testing.TB, sc *fixtures.Scenario, f fixtures.Family, tests []fixtures.Test, grade fixtures.Grade, lang fixtures.Language) Document {
	tb.Helper()
	year := sc.Year
	rep := fixtures.Report{
		ID: fmt.Sprintf("9876543210-%d-%s", int(year), f), SSID: "9876543210",
		Year: year, Family: f, Program: tests[0].Program, Grade: grade,
		Languages: scenarioLanguages(sc),
		Released:  time.Date(int(year), time.June, 14, 17, 30, 0, 0, time.UTC),
		School:    "19990156012345", LEA: "19990150000000",
	}
	for ti, t := range tests {
		r, ok := t.Ranges[grade]
		if !ok {
			tb.Fatalf("test %s has no range for grade %s", t.ID, grade)
		}
		level := 1 + (ti+2)%len(t.Levels)
		res := fixtures.Result{
			Test: t.ID, Year: year, Grade: grade, Level: level,
			Completed:  time.Date(int(year), time.April, 20, 10, 0, 0, 0, time.UTC),
			ScaleScore: scoreIn(r, level),
		}
		for ci, name := range t.Composites {
			levels := CompositeLevels(t)
			cl := 1 + (level+ci)%len(levels)
			cs := 0
			if table, scaled := t.CompositeRanges[name]; scaled {
				cr, ok := table[grade]
				if !ok {
					continue
				}
				cs = scoreIn(cr, cl)
			}
			res.Composites = append(res.Composites, fixtures.Composite{Name: name, ScaleScore: cs, Level: cl})
		}
		for ii, name := range t.Indicators {
			res.Indicators = append(res.Indicators, fixtures.Indicator{Name: name, Level: 1 + (ii+ti)%len(t.IndicatorLevels)})
		}
		rep.Results = append(rep.Results, res)
	}
	if f == fixtures.FamilySmarterBalanced || f == fixtures.FamilySummativeELPAC || f == fixtures.FamilyCSA {
		for back := 2; back >= 1; back-- {
			y, g := year-fixtures.SchoolYear(back), grade-fixtures.Grade(back)
			for ti, cur := range tests {
				t, ok := sc.TestIn(cur.ID, y)
				r, graded := t.Ranges[g]
				if !ok || !graded {
					continue
				}
				level := 1 + (ti+back)%len(t.Levels)
				rep.History = append(rep.History, fixtures.Result{Test: t.ID, Year: y, Grade: g, Level: level, ScaleScore: scoreIn(r, level),
					Completed: time.Date(int(y), time.April, 20, 10, 0, 0, 0, time.UTC)})
			}
		}
	}
	return Document{
		Report: rep,
		Student: fixtures.Student{
			SSID: "9876543210", FirstName: "María", MiddleName: "José", LastName: "Nguyễn-Santos",
			BirthDate: time.Date(int(year)-int(grade)-6, time.March, 9, 0, 0, 0, 0, time.UTC), Grade: grade,
		},
		School:   fixtures.School{CDS: rep.School, Name: "Bramblewick Elementary", LEA: rep.LEA},
		LEA:      fixtures.LEA{CDS: rep.LEA, Name: "Quillmere Unified School District", County: "Los Angeles"},
		Tests:    Tests(sc, rep),
		Language: lang,
		Version:  1,
		ReportID: rep.ID,
	}
}

// scoreIn returns a scale score inside level of r.
func scoreIn(r fixtures.ScoreRange, level int) int {
	lo, hi := r.Min, r.Max
	if level >= 2 && level-2 < len(r.Cuts) {
		lo = r.Cuts[level-2]
	}
	if level-1 < len(r.Cuts) {
		hi = r.Cuts[level-1] - 1
	}
	return lo + (hi-lo)*2/3
}

// everyGoldenDoc is the golden document of every family of the named scenario in every one of
// its languages.
func everyGoldenDoc(tb testing.TB, scenario string) []Document {
	tb.Helper()
	sc, err := fixtures.LookupScenario(scenario)
	if err != nil {
		tb.Fatal(err)
	}
	var docs []Document
	for _, f := range scenarioFamilies(sc) {
		for _, lang := range scenarioLanguages(sc) {
			docs = append(docs, goldenDoc(tb, sc, f, lang))
		}
	}
	return docs
}

package ssrpdf

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ssrmock/ssrmock/fixtures"
)

// TestCompositesOnTheirOwnScales wants each Summative ELPAC composite drawn with its own cut
// scores, and the Initial ELPAC's composites as levels only.
func TestCompositesOnTheirOwnScales(t *testing.T) {
	r := mustRenderer(t)
	sc, _ := fixtures.LookupScenario("2025-26")
	d := goldenDoc(t, sc, fixtures.FamilySummativeELPAC, fixtures.English)
	text, _ := pdfText(t, mustRender(t, r, d))
	test, _ := d.TestFor(d.Report.Results[0])
	for _, c := range d.Report.Results[0].Composites {
		cr := test.CompositeRanges[c.Name][d.Report.Grade]
		for _, cut := range cr.Cuts {
			if !strings.Contains(text, fmt.Sprint(cut)) {
				t.Errorf("%s cut %d not printed", c.Name, cut)
			}
		}
	}

	d = goldenDoc(t, sc, fixtures.FamilyInitialELPAC, fixtures.English)
	text, _ = pdfText(t, mustRender(t, r, d))
	res := d.Report.Results[0]
	if len(res.Composites) != 2 {
		t.Fatalf("Initial ELPAC composites %+v", res.Composites)
	}
	test, _ = d.TestFor(res)
	for _, c := range res.Composites {
		if c.ScaleScore != 0 {
			t.Errorf("Initial ELPAC composite %+v has a score", c)
		}
		if want := test.CompositeLevels[c.Level-1]; !strings.Contains(squash(text), squash(want)) {
			t.Errorf("Initial ELPAC report lacks composite level %q:\n%s", want, text)
		}
	}
}

// TestScoreHistoryInEveryLanguage wants the history's heading and every earlier year's score
// on the report, in each language.
func TestScoreHistoryInEveryLanguage(t *testing.T) {
	r := mustRenderer(t)
	sc, _ := fixtures.LookupScenario("2025-26")
	for _, f := range []fixtures.Family{fixtures.FamilySmarterBalanced, fixtures.FamilySummativeELPAC, fixtures.FamilyCSA} {
		for _, lang := range scenarioLanguages(sc) {
			d := goldenDoc(t, sc, f, lang)
			if len(d.Report.History) == 0 {
				t.Fatalf("%s: golden document without history", f)
			}
			text, pages := pdfText(t, mustRender(t, r, d))
			checkPagesOf(t, d, pages)
			lb := languages[lang]
			wants := []string{lb.History}
			for _, row := range d.ScoreHistory() {
				wants = append(wants, row.Year.String(), fmtInt(row.ScaleScore), lb.term(row.LevelName))
			}
			for _, want := range wants {
				if !strings.Contains(squash(text), squash(want)) {
					t.Errorf("%s %s: text lacks %q", f, lang, want)
				}
			}
		}
	}
}

// TestScoreHistoryRows orders the rows newest first, the current year marked, with each
// year's own level names.
func TestScoreHistoryRows(t *testing.T) {
	sc, _ := fixtures.LookupScenario("2025-26")
	d := goldenDoc(t, sc, fixtures.FamilyCSA, fixtures.English)
	rows := d.ScoreHistory()
	if len(rows) != 3 {
		t.Fatalf("rows %+v, want 3", rows)
	}
	for i, want := range []struct {
		year    fixtures.SchoolYear
		current bool
		prefix  string
	}{{2026, true, "Level "}, {2025, false, "Level "}, {2024, false, "Score Reporting Range "}} {
		if rows[i].Year != want.year || rows[i].Current != want.current || !strings.HasPrefix(rows[i].LevelName, want.prefix) {
			t.Errorf("row %d = %+v, want %v current=%v %q…", i, rows[i], want.year, want.current, want.prefix)
		}
	}
	if (Document{}).ScoreHistory() != nil {
		t.Errorf("a report without history has history rows")
	}
}

// TestLevelLabelsBesideTheMarker puts the score in the middle of each band in turn and wants
// every band's label printed.
func TestLevelLabelsBesideTheMarker(t *testing.T) {
	r := mustRenderer(t)
	sc, _ := fixtures.LookupScenario("2018-19")
	for _, f := range []fixtures.Family{fixtures.FamilyCAST, fixtures.FamilyCAA} {
		base := goldenDoc(t, sc, f, fixtures.English)
		res := base.Report.Results[0]
		test, _ := base.TestFor(res)
		rg := test.Ranges[res.Grade]
		bounds := append(append([]int{rg.Min}, rg.Cuts...), rg.Max)
		for level := 1; level < len(bounds); level++ {
			d := base
			d.Report.Results = []fixtures.Result{res}
			d.Report.Results[0].ScaleScore = (bounds[level-1] + bounds[level]) / 2
			d.Report.Results[0].Level = rg.Level(d.Report.Results[0].ScaleScore)
			text, _ := pdfText(t, mustRender(t, r, d))
			for n := 1; n < len(bounds); n++ {
				// Once on the scale, once in the legend if there is one, once on the chip
				// of the student's level.
				want := 1
				if strings.Contains(text, english.Levels) {
					want++
				}
				if n == d.Report.Results[0].Level {
					want++
				}
				if label := fmt.Sprintf("Level %d", n); strings.Count(text, label) != want {
					t.Errorf("%s, score %d: %q printed %d times, want %d", f, d.Report.Results[0].ScaleScore, label, strings.Count(text, label), want)
				}
			}
		}
	}
}

// TestAreaIndicators2016 wants a 2015-16 Smarter Balanced report of the 2018-19 world to say
// "At or Near Standard", and a later one "Near Standard".
func TestAreaIndicators2016(t *testing.T) {
	r := mustRenderer(t)
	w, err := fixtures.New(2, "2018-19", "tiny")
	if err != nil {
		t.Fatal(err)
	}
	want := map[fixtures.SchoolYear]string{2016: "At or Near Standard", 2017: "Near Standard"}
	for i := 0; i < w.NumStudents() && len(want) > 0; i++ {
		s, _ := w.Student(i)
		for _, rep := range w.Reports(s) {
			label, ok := want[rep.Year]
			if !ok || rep.Family != fixtures.FamilySmarterBalanced {
				continue
			}
			text, _ := pdfText(t, mustRender(t, r, NewDocument(w, rep, s, fixtures.English, 1)))
			if !strings.Contains(text, label) || rep.Year != 2016 && strings.Contains(text, "At or Near") {
				t.Errorf("%s report %s: want %q in:\n%s", rep.Year, rep.ID, label, text)
			}
			delete(want, rep.Year)
		}
	}
	if len(want) > 0 {
		t.Errorf("no Smarter Balanced report of %v", want)
	}
}

// TestPDFSaysTheContent renders the golden documents of every family (and the combined
// report) in every language and wants every word of their Content in the PDF's text, so that
// the HTML SSR, printed from Content, says what the PDF says.
func TestPDFSaysTheContent(t *testing.T) {
	r := mustRenderer(t)
	for _, name := range fixtures.Scenarios() {
		sc, err := fixtures.LookupScenario(name)
		if err != nil {
			t.Fatal(err)
		}
		docs := map[string]func(fixtures.Language) Document{}
		for _, f := range scenarioFamilies(sc) {
			docs[string(f)] = func(lang fixtures.Language) Document { return goldenDoc(t, sc, f, lang) }
		}
		if sc.CombinedFrom != 0 {
			docs[string(combinedKey)] = func(lang fixtures.Language) Document { return goldenCombined(t, sc, lang) }
		}
		for key, doc := range docs {
			for _, lang := range scenarioLanguages(sc) {
				d := doc(lang)
				c, err := d.Content()
				if err != nil {
					t.Fatal(err)
				}
				if d.Combined() != (key == string(combinedKey)) {
					t.Errorf("%s/%s: Combined() = %v", name, key, d.Combined())
				}
				if len(d.Report.History) > 0 && (c.History == nil || len(c.History.Rows) != len(d.ScoreHistory())) {
					t.Errorf("%s/%s.%s: content history %+v, want %d rows", name, key, lang, c.History, len(d.ScoreHistory()))
				}
				text, _ := pdfText(t, mustRender(t, r, d))
				page := squash(text)
				for _, s := range pdfContentStrings(c) {
					if !strings.Contains(page, squash(s)) {
						t.Errorf("%s/%s.%s: the PDF does not say %q", name, key, lang, s)
					}
				}
			}
		}
	}
}

// pdfContentStrings lists the words of c the PDF prints.
func pdfContentStrings(c Content) []string {
	out := []string{c.Title, c.Acronym, c.FamilyTitle, c.SchoolYear, c.StudentName, c.Greeting, c.NextStepsTitle, c.Disclaimer}
	if c.Amended != "" {
		out = append(out, c.Amended)
	}
	for _, f := range c.Facts {
		out = append(out, f.Value)
	}
	for _, r := range c.Results {
		out = append(out, r.Title, fmt.Sprint(r.ScaleScore), r.Level.Chip, r.Level.Name, r.CompositesTitle, r.IndicatorsTitle)
		if r.Scale != nil {
			out = append(out, fmt.Sprint(r.Scale.Min), fmt.Sprint(r.Scale.Max))
		}
		for _, cm := range r.Composites {
			out = append(out, cm.Name, cm.Level.Chip, cm.Level.Name)
			if cm.ScaleScore != 0 {
				out = append(out, fmt.Sprint(cm.ScaleScore))
			}
		}
		out = append(out, r.IndicatorLevels...)
		for _, in := range r.Indicators {
			out = append(out, in.Name)
		}
	}
	if h := c.History; h != nil {
		out = append(out, h.Title, h.Note, h.YearLabel, h.GradeLabel, h.TestLabel, h.LevelLabel)
		for _, row := range h.Rows {
			out = append(out, row.Year, row.Test, fmt.Sprint(row.ScaleScore), row.Level.Chip, row.Level.Name)
		}
	}
	var kept []string
	for _, s := range out {
		if strings.TrimSpace(s) != "" {
			kept = append(kept, s)
		}
	}
	return kept
}

package ssrpdf

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/ssrmock/ssrmock/fixtures"
)

// TestRenderScenarios renders one real report of every family in every language of each
// scenario and checks that the PDF is valid and says what a parent needs to read.
func TestRenderScenarios(t *testing.T) {
	r := mustRenderer(t)
	for _, name := range fixtures.Scenarios() {
		sc, err := fixtures.LookupScenario(name)
		if err != nil {
			t.Fatal(err)
		}
		docs := worldDocs(t, name)
		for f := range docs {
			for _, lang := range scenarioLanguages(sc) {
				d := docs[f]
				d.Language = lang
				t.Run(name+"/"+string(f)+"/"+string(lang), func(t *testing.T) {
					t.Parallel()
					b := mustRender(t, r, d)
					mustValidate(t, b)
					text, pages := pdfText(t, b)
					checkPagesOf(t, d, pages)
					lb := languages[lang]
					res := d.Report.Results[0]
					test := d.Tests[0]
					title := lb.Families[d.Report.Family].Title
					if d.Combined() {
						title = lb.CombinedTitle
					}
					wants := []string{
						d.Student.LastName, d.Report.SSID, d.ReportID, d.School.Name, d.LEA.Name,
						lb.ReportTitle, title, d.Report.Year.String(),
						lb.term(test.Levels[res.Level-1]), fmtInt(res.ScaleScore),
						fmt.Sprintf(lb.PageOf, pages, pages),
					}
					for _, c := range res.Composites {
						wants = append(wants, lb.term(c.Name))
						if c.ScaleScore > 0 {
							wants = append(wants, fmtInt(c.ScaleScore))
						}
					}
					if len(d.Report.History) > 0 {
						wants = append(wants, lb.History)
					}
					for _, h := range d.Report.History {
						wants = append(wants, h.Year.String(), fmtInt(h.ScaleScore))
					}
					for _, in := range res.Indicators {
						wants = append(wants, lb.term(in.Name), lb.term(test.IndicatorLevels[in.Level-1]))
					}
					for _, want := range wants {
						if !strings.Contains(squash(text), squash(want)) {
							t.Errorf("text lacks %q:\n%s", want, text)
						}
					}
					if strings.ContainsRune(text, '?') && !strings.Contains(d.Student.FirstName+d.Student.LastName, "?") {
						for _, l := range strings.Split(text, "\n") {
							if strings.Contains(l, "?") {
								t.Errorf("a character was drawn as '?': %q", l)
							}
						}
					}
				})
			}
		}
	}
}

// checkPagesOf checks a report's page count: the Summative ELPAC SSR has exactly two pages,
// the combined Smarter Balanced and CAST SSR two or three (the real one has up to six), the
// others one or two.
func checkPagesOf(tb testing.TB, d Document, pages int) {
	tb.Helper()
	if d.Combined() {
		if pages < 2 || pages > 3 {
			tb.Errorf("pages = %d, want 2 or 3", pages)
		}
		return
	}
	if d.Report.Family == fixtures.FamilySummativeELPAC {
		if pages != 2 {
			tb.Errorf("pages = %d, want 2", pages)
		}
		return
	}
	if pages < 1 || pages > 2 {
		tb.Errorf("pages = %d, want 1 or 2", pages)
	}
}

// TestDeterministic renders the same documents twice, with one Renderer and with two, in
// parallel, and wants the same bytes every time.
func TestDeterministic(t *testing.T) {
	r1 := mustRenderer(t)
	r2, err := NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	docs := everyGoldenDoc(t, "2025-26")
	want := make([][32]byte, len(docs))
	for i, d := range docs {
		want[i] = sha256.Sum256(mustRender(t, r1, d))
	}
	var wg sync.WaitGroup
	for round := 0; round < 2; round++ {
		for i, d := range docs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := r1
				if round == 1 {
					r = r2
				}
				b, err := r.Render(d)
				if err != nil {
					t.Errorf("Render(%s, %s): %v", d.ReportID, d.Language, err)
					return
				}
				if got := sha256.Sum256(b); got != want[i] {
					t.Errorf("Render(%s, %s) round %d: sha256 %x, want %x", d.ReportID, d.Language, round, got, want[i])
				}
			}()
		}
	}
	wg.Wait()
}

// TestDocumentIdentity checks what makes two renderings differ: the version and the report
// identifier change the bytes and the trailer's document ID; the amended mark is printed.
func TestDocumentIdentity(t *testing.T) {
	r := mustRenderer(t)
	sc, err := fixtures.LookupScenario("2018-19")
	if err != nil {
		t.Fatal(err)
	}
	d := goldenDoc(t, sc, fixtures.FamilyCAST, fixtures.English)
	v1 := mustRender(t, r, d)
	d.Version = 2
	v2 := mustRender(t, r, d)
	if sha256.Sum256(v1) == sha256.Sum256(v2) {
		t.Error("version 2 renders the same bytes as version 1")
	}
	if text, _ := pdfText(t, v2); !strings.Contains(text, english.Amended) {
		t.Errorf("version 2 lacks %q", english.Amended)
	}
	if text, _ := pdfText(t, v1); strings.Contains(text, english.Amended) {
		t.Errorf("version 1 says %q", english.Amended)
	}
	id := documentID(d)
	if !strings.Contains(string(v2), strings.ToUpper(hexOf(id))) {
		t.Errorf("trailer lacks document ID %x", id)
	}
	if !strings.Contains(string(v2), "/CreationDate(D:"+d.Report.Released.UTC().Format("20060102150405")) {
		t.Error("creation date is not the release instant")
	}
}

// TestRenderErrors feeds documents the renderer must refuse, and wants errors, not panics.
func TestRenderErrors(t *testing.T) {
	r := mustRenderer(t)
	sc, err := fixtures.LookupScenario("2025-26")
	if err != nil {
		t.Fatal(err)
	}
	good := goldenDoc(t, sc, fixtures.FamilySmarterBalanced, fixtures.English)
	tests := []struct {
		name        string
		edit        func(d *Document)
		unsupported bool
	}{
		{"zero document", func(d *Document) { *d = Document{} }, true},
		{"unknown language", func(d *Document) { d.Language = "fr" }, true},
		{"unknown family", func(d *Document) { d.Report.Family = "sat" }, true},
		{"no results", func(d *Document) { d.Report.Results = nil }, false},
		{"no tests", func(d *Document) { d.Tests = nil }, false},
		{"level zero", func(d *Document) { d.Report.Results[0].Level = 0 }, false},
		{"level too high", func(d *Document) { d.Report.Results[0].Level = 9 }, false},
		{"indicator level too high", func(d *Document) { d.Report.Results[1].Indicators[0].Level = 4 }, false},
		{"test of another family", func(d *Document) { d.Tests[0].Family = fixtures.FamilyCAST }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := goldenDoc(t, sc, fixtures.FamilySmarterBalanced, fixtures.English)
			tt.edit(&d)
			b, err := r.Render(d)
			if err == nil {
				t.Fatalf("Render succeeded with %d bytes, want an error", len(b))
			}
			if got := errors.Is(err, ErrUnsupported); got != tt.unsupported {
				t.Errorf("errors.Is(%v, ErrUnsupported) = %v, want %v", err, got, tt.unsupported)
			}
		})
	}
	if _, err := r.Render(good); err != nil {
		t.Errorf("the unedited document: %v", err)
	}
}

// TestRenderOddInput renders documents with odd but legal content: empty names, scores off
// the scale, missing score ranges, long names, characters outside every font.
func TestRenderOddInput(t *testing.T) {
	r := mustRenderer(t)
	sc, err := fixtures.LookupScenario("2025-26")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(d *Document)
	}{
		{"empty names", func(d *Document) {
			d.Student = fixtures.Student{}
			d.School, d.LEA = fixtures.School{}, fixtures.LEA{}
		}},
		{"score below the scale", func(d *Document) { d.Report.Results[0].ScaleScore = -5 }},
		{"score above the scale", func(d *Document) { d.Report.Results[0].ScaleScore = 99999 }},
		{"no range for the grade", func(d *Document) {
			for i := range d.Tests {
				d.Tests[i].Ranges = nil
			}
		}},
		{"long names", func(d *Document) {
			d.Student.FirstName = strings.Repeat("Maximiliana ", 8)
			d.School.Name = strings.Repeat("Extraordinarily Long School Name ", 6)
			d.ReportID = strings.Repeat("x", 300)
		}},
		{"unknown script", func(d *Document) { d.Student.LastName = "أحمد 😀" }},
		{"kindergarten", func(d *Document) { d.Report.Grade = fixtures.Kindergarten }},
	}
	for _, tt := range tests {
		for _, lang := range []fixtures.Language{fixtures.English, fixtures.Korean} {
			t.Run(tt.name+"/"+string(lang), func(t *testing.T) {
				d := goldenDoc(t, sc, fixtures.FamilySmarterBalanced, lang)
				tt.edit(&d)
				b := mustRender(t, r, d)
				mustValidate(t, b)
			})
		}
	}
}

// TestNewDocument checks that a world's report finds its school, LEA and tests.
func TestNewDocument(t *testing.T) {
	for _, name := range fixtures.Scenarios() {
		for f, d := range worldDocs(t, name) {
			if d.School.Name == "" || d.School.CDS != d.Report.School {
				t.Errorf("%s %s: school %+v, want CDS %s", name, f, d.School, d.Report.School)
			}
			if d.LEA.Name == "" || d.LEA.CDS != d.Report.LEA {
				t.Errorf("%s %s: LEA %+v, want CDS %s", name, f, d.LEA, d.Report.LEA)
			}
			for _, res := range append(d.Report.Results, d.Report.History...) {
				if _, ok := d.TestFor(res); !ok {
					t.Errorf("%s %s: no test for %s %v", name, f, res.Test, res.Year)
				}
			}
			if d.ReportID != d.Report.ID || d.Version != 1 {
				t.Errorf("%s %s: ReportID %q version %d", name, f, d.ReportID, d.Version)
			}
		}
	}
}

package ssrhtml

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ssrmock/ssrmock/fixtures"
	"github.com/ssrmock/ssrmock/server/ssrpdf"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestGolden renders a fixed report of every family in every language of each scenario and
// compares the page's text with testdata/<scenario>/<family>.<lang>.txt and its bytes'
// SHA-256 with testdata/sha256.txt. Run with -update after a deliberate change and review the
// diff.
func TestGolden(t *testing.T) {
	var hashes []string
	for _, name := range fixtures.Scenarios() {
		sc := mustScenario(t, name)
		names, docs := fixedDocs(t, sc)
		for _, f := range names {
			for _, lang := range scenarioLanguages(sc) {
				key := fmt.Sprintf("%s/%s.%s", name, f, lang)
				p := mustRender(t, docs[f](lang))
				checkPage(t, key, p)
				hashes = append(hashes, fmt.Sprintf("%s %x", key, sha256.Sum256(p.HTML)))
				compareGolden(t, filepath.Join("testdata", key+".txt"), text(mustParse(t, p.HTML)))
			}
		}
	}
	compareGolden(t, "testdata/sha256.txt", strings.Join(hashes, "\n")+"\n")
}

// checkPage checks what every page must be: well formed, in its language, titled, one h1, no
// script, no style attribute, no resource from elsewhere, only in-page links, header cells
// with a scope, and a CSP that allows exactly its style sheet.
func checkPage(t *testing.T, key string, p Page) {
	t.Helper()
	doc := mustParse(t, p.HTML)
	htmls := find(doc, atom.Html)
	if lang, _ := attr(htmls[0], "lang"); lang == "" || !strings.HasSuffix(key, "."+lang) {
		t.Errorf("%s: <html lang=%q>, want the report's language", key, lang)
	}
	if n := len(find(doc, atom.H1)); n != 1 {
		t.Errorf("%s: %d h1 elements, want 1", key, n)
	}
	if titles := find(doc, atom.Title); len(titles) != 1 || titles[0].FirstChild == nil || strings.TrimSpace(titles[0].FirstChild.Data) == "" {
		t.Errorf("%s: no title", key)
	}
	for _, a := range []atom.Atom{atom.Script, atom.Img, atom.Link, atom.Iframe, atom.Object, atom.Form} {
		if n := len(find(doc, a)); n > 0 {
			t.Errorf("%s: %d <%s> elements, want none", key, n, a)
		}
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for _, a := range n.Attr {
			switch {
			case a.Key == "style" || strings.HasPrefix(a.Key, "on"):
				t.Errorf("%s: <%s %s=…>: no inline style or event attributes under the CSP", key, n.Data, a.Key)
			case a.Key == "href" && !strings.HasPrefix(a.Val, "#"):
				t.Errorf("%s: link to %q: a page links only inside itself", key, a.Val)
			case a.Key == "src":
				t.Errorf("%s: <%s src=%q>: a page loads nothing", key, n.Data, a.Val)
			}
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Th {
			if scope, _ := attr(n, "scope"); scope != "col" && scope != "row" {
				t.Errorf("%s: <th> without scope", key)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	styles := find(doc, atom.Style)
	if len(styles) != 1 {
		t.Fatalf("%s: %d style elements, want 1", key, len(styles))
	}
	sum := sha256.Sum256([]byte(styles[0].FirstChild.Data))
	want := "style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	if !strings.Contains(p.CSP, want) || !strings.HasPrefix(p.CSP, "default-src 'none'; ") {
		t.Errorf("%s: CSP %q does not allow exactly the page's style sheet (%s)", key, p.CSP, want)
	}
	for _, m := range find(doc, atom.Meta) {
		if v, _ := attr(m, "http-equiv"); v == "Content-Security-Policy" {
			if c, _ := attr(m, "content"); !strings.HasPrefix(p.CSP, c) {
				t.Errorf("%s: the page's <meta> policy %q is not the served one %q", key, c, p.CSP)
			}
		}
	}
}

// compareGolden compares got with the golden file at path, or rewrites it under -update.
func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		wl, gl := strings.Split(string(want), "\n"), strings.Split(got, "\n")
		for i := 0; i < max(len(wl), len(gl)); i++ {
			var w, g string
			if i < len(wl) {
				w = wl[i]
			}
			if i < len(gl) {
				g = gl[i]
			}
			if w != g {
				t.Errorf("%s differs at line %d (run go test -update and review the diff):\n  want %q\n  got  %q", path, i+1, w, g)
				return
			}
		}
	}
}

// TestDeterministic renders the same report many times, from several goroutines, and wants
// the same bytes every time.
func TestDeterministic(t *testing.T) {
	sc := mustScenario(t, "2025-26")
	d := fixedDoc(t, sc, fixtures.FamilySummativeELPAC, fixtures.Vietnamese)
	first := mustRender(t, d)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if p := mustRender(t, d); !bytes.Equal(p.HTML, first.HTML) || p.CSP != first.CSP {
				t.Error("a second rendering of the same document differs")
			}
		}()
	}
	wg.Wait()
}

// TestSameContentAsPDF checks that the page says every word of the content the PDF prints.
func TestSameContentAsPDF(t *testing.T) {
	for _, name := range fixtures.Scenarios() {
		sc := mustScenario(t, name)
		names, docs := fixedDocs(t, sc)
		for _, f := range names {
			for _, lang := range scenarioLanguages(sc) {
				d := docs[f](lang)
				if lang == fixtures.Spanish {
					d.Version = 2
				}
				c, err := d.Content()
				if err != nil {
					t.Fatal(err)
				}
				if (c.History != nil) != (len(d.Report.History) > 0) {
					t.Errorf("%s/%s.%s: content history %v with %d earlier results", name, f, lang, c.History, len(d.Report.History))
				}
				page := text(mustParse(t, mustRender(t, d).HTML))
				for _, s := range contentStrings(c) {
					if !strings.Contains(page, strings.Join(strings.Fields(s), " ")) {
						t.Errorf("%s/%s.%s: the page does not say %q", name, f, lang, s)
					}
				}
			}
		}
	}
}

// contentStrings lists every word the content holds.
func contentStrings(c ssrpdf.Content) []string {
	out := []string{c.Title, c.Acronym, c.ProgramName, c.FamilyTitle, c.SchoolYear, c.StudentName,
		c.Greeting, c.Intro, c.NextStepsTitle, c.LegendTitle, c.Footer, c.Disclaimer}
	if c.Amended != "" {
		out = append(out, c.Amended)
	}
	for _, f := range c.Facts {
		out = append(out, f.Label, f.Value)
	}
	out = append(out, c.NextSteps...)
	for _, r := range c.Results {
		out = append(out, r.Title, r.ScaleScoreLabel, fmt.Sprint(r.ScaleScore), r.Level.Chip, r.Level.Name, r.MeaningLabel, r.Meaning,
			r.CompositesTitle, r.IndicatorsTitle, r.IndicatorsNote)
		if r.Scale != nil {
			out = append(out, fmt.Sprintf("%d–", r.Scale.Min), fmt.Sprintf("–%d", r.Scale.Max))
		}
		for _, cm := range r.Composites {
			out = append(out, cm.Name, cm.About, cm.Level.Chip, cm.Level.Name)
			if cm.ScaleScore != 0 {
				out = append(out, fmt.Sprint(cm.ScaleScore))
			}
		}
		out = append(out, r.IndicatorLevels...)
		for _, in := range r.Indicators {
			out = append(out, in.Name, in.About, "| "+in.Name)
		}
	}
	if h := c.History; h != nil {
		out = append(out, h.Title, h.Note, h.YearLabel, h.GradeLabel, h.TestLabel, h.ScaleScoreLabel, h.LevelLabel)
		for _, row := range h.Rows {
			// One table row: the page's text puts "| " before each cell.
			out = append(out, "| "+row.Year+"| "+row.Grade+"| "+row.Test+"| "+fmt.Sprint(row.ScaleScore)+"| "+row.Level.Chip)
			if row.Level.Name != "" {
				out = append(out, row.Level.Chip+" "+row.Level.Name)
			}
		}
	}
	for _, l := range c.Legend {
		out = append(out, l.Level.Chip, l.Level.Name, l.Description)
	}
	var kept []string
	for _, s := range out {
		if strings.TrimSpace(s) != "" {
			kept = append(kept, s)
		}
	}
	return kept
}

// TestEscapes checks that names are printed as text, never as markup.
func TestEscapes(t *testing.T) {
	sc := mustScenario(t, "2018-19")
	d := fixedDoc(t, sc, fixtures.FamilyCAST, fixtures.English)
	d.Student.FirstName = `<script>alert(1)</script>`
	d.School.Name = `"><img src=x>`
	p := mustRender(t, d)
	doc := mustParse(t, p.HTML)
	if n := len(find(doc, atom.Script)) + len(find(doc, atom.Img)); n != 0 {
		t.Fatalf("a name became %d elements", n)
	}
	if page := text(doc); !strings.Contains(page, `<script>alert(1)</script>`) || !strings.Contains(page, `"><img src=x>`) {
		t.Errorf("the names are not printed as text:\n%s", page)
	}
}

// TestUnsupported checks that a language or family without labels is an error wrapping
// ssrpdf.ErrUnsupported, as the PDF renderer answers.
func TestUnsupported(t *testing.T) {
	sc := mustScenario(t, "2018-19")
	d := fixedDoc(t, sc, fixtures.FamilyCAST, fixtures.English)
	d.Language = "tlh"
	if _, err := Render(d); !errors.Is(err, ssrpdf.ErrUnsupported) {
		t.Errorf("Render in Klingon: err %v, want ErrUnsupported", err)
	}
	d = fixedDoc(t, sc, fixtures.FamilyCAST, fixtures.English)
	d.Tests = nil
	if _, err := Render(d); err == nil {
		t.Error("Render without the catalog entries of its tests succeeded")
	}
}

package ssrhtml

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ssrmock/ssrmock/fixtures"
	"github.com/ssrmock/ssrmock/server/ssrpdf"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// families lists the report families in catalog order.
var families = []fixtures.Family{
	fixtures.FamilySmarterBalanced, fixtures.FamilyCAA, fixtures.FamilyCAST, fixtures.FamilyCSA,
	fixtures.FamilySummativeELPAC, fixtures.FamilyInitialELPAC, fixtures.FamilyAlternateELPAC,
}

// scenarioFamilies returns the families a scenario's catalog has, in catalog order.
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

// scenarioLanguages returns English and the scenario's translations.
func scenarioLanguages(sc *fixtures.Scenario) []fixtures.Language {
	return append([]fixtures.Language{fixtures.English}, sc.Languages...)
}

// mustScenario looks a scenario up or fails the test.
func mustScenario(tb testing.TB, name string) *fixtures.Scenario {
	tb.Helper()
	sc, err := fixtures.LookupScenario(name)
	if err != nil {
		tb.Fatal(err)
	}
	return sc
}

// fixedDoc builds a fixed Document of a family from the scenario's catalog: the same
// student, school and LEA every time, one score in each level in turn, indicators cycling
// through their levels, and for the families that print one a score history of the two
// earlier school years. It does not depend on how fixtures draws students.
func fixedDoc(tb testing.TB, sc *fixtures.Scenario, f fixtures.Family, lang fixtures.Language) ssrpdf.Document {
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
	return fixedDocOf(tb, sc, f, tests, common[len(common)/2], lang)
}

// fixedCombined is fixedDoc's one Smarter Balanced and CAST report of a grade 8 student.
func fixedCombined(tb testing.TB, sc *fixtures.Scenario, lang fixtures.Language) ssrpdf.Document {
	tb.Helper()
	var tests []fixtures.Test
	for _, id := range []fixtures.TestID{fixtures.SBELA, fixtures.SBMath, fixtures.CAST} {
		t, ok := sc.Test(id)
		if !ok {
			tb.Fatalf("scenario %s has no test %s", sc.Name, id)
		}
		tests = append(tests, t)
	}
	return fixedDocOf(tb, sc, fixtures.FamilySmarterBalanced, tests, 8, lang)
}

// combinedKey names the combined Smarter Balanced and CAST report among the families.
const combinedKey = "smarter-balanced+cast"

// fixedDocs returns, by name, fixedDoc's builder of every family of the scenario and, where
// the scenario has it, of the combined report, in catalog order.
func fixedDocs(tb testing.TB, sc *fixtures.Scenario) ([]string, map[string]func(fixtures.Language) ssrpdf.Document) {
	tb.Helper()
	var names []string
	docs := map[string]func(fixtures.Language) ssrpdf.Document{}
	for _, f := range scenarioFamilies(sc) {
		names = append(names, string(f))
		docs[string(f)] = func(lang fixtures.Language) ssrpdf.Document { return fixedDoc(tb, sc, f, lang) }
	}
	if sc.CombinedFrom != 0 {
		names = append(names, combinedKey)
		docs[combinedKey] = func(lang fixtures.Language) ssrpdf.Document { return fixedCombined(tb, sc, lang) }
	}
	return names, docs
}

// fixedDocOf builds fixedDoc's Document of the given tests on a report of family f in a
// grade.
func fixedDocOf(tb testing.TB, sc *fixtures.Scenario, f fixtures.Family, tests []fixtures.Test, grade fixtures.Grade, lang fixtures.Language) ssrpdf.Document {
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
		res := fixtures.Result{Test: t.ID, Year: year, Grade: grade, Level: level, ScaleScore: scoreIn(r, level),
			Completed: time.Date(int(year), time.April, 20, 10, 0, 0, 0, time.UTC)}
		for ci, name := range t.Composites {
			levels := ssrpdf.CompositeLevels(t)
			cl := 1 + (level+ci)%len(levels)
			cs := 0 // a composite reported as a level only
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
	return ssrpdf.Document{
		Report: rep,
		Student: fixtures.Student{SSID: "9876543210", FirstName: "María", MiddleName: "José", LastName: "Nguyễn-Santos <&>",
			BirthDate: time.Date(int(year)-int(grade)-6, time.March, 9, 0, 0, 0, 0, time.UTC), Grade: grade},
		School:   fixtures.School{CDS: rep.School, Name: "Bramblewick Elementary", LEA: rep.LEA},
		LEA:      fixtures.LEA{CDS: rep.LEA, Name: "Quillmere Unified School District", County: "Los Angeles"},
		Tests:    ssrpdf.Tests(sc, rep),
		Language: lang,
		Version:  1,
		ReportID: rep.ID + "." + string(lang),
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

// mustRender renders d or fails the test.
func mustRender(tb testing.TB, d ssrpdf.Document) Page {
	tb.Helper()
	p, err := Render(d)
	if err != nil {
		tb.Fatalf("Render(%s): %v", d.ReportID, err)
	}
	return p
}

// voidElements have no end tag.
var voidElements = map[string]bool{"meta": true, "link": true, "br": true, "hr": true, "img": true, "input": true, "wbr": true}

// wellFormed tokenizes b and reports the first structural problem: an end tag that closes
// another element than the one open, an element left open, or a tokenizer error.
func wellFormed(b []byte) error {
	z := html.NewTokenizer(bytes.NewReader(b))
	var open []string
	for {
		switch z.Next() {
		case html.ErrorToken:
			if len(open) > 0 {
				return fmt.Errorf("unclosed <%s>", strings.Join(open, "> <"))
			}
			if err := z.Err(); err.Error() != "EOF" {
				return err
			}
			return nil
		case html.StartTagToken:
			name, _ := z.TagName()
			if !voidElements[string(name)] {
				open = append(open, string(name))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if len(open) == 0 || open[len(open)-1] != string(name) {
				return fmt.Errorf("</%s> closes <%v>", name, open)
			}
			open = open[:len(open)-1]
		}
	}
}

// mustParse parses a page into a tree.
func mustParse(tb testing.TB, b []byte) *html.Node {
	tb.Helper()
	if err := wellFormed(b); err != nil {
		tb.Fatalf("not well formed: %v", err)
	}
	n, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		tb.Fatalf("html.Parse: %v", err)
	}
	return n
}

// find returns every element of the tree with the given atom.
func find(n *html.Node, a atom.Atom) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == a {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// attr returns an attribute's value.
func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// blocks end a line of the extracted text.
var blocks = map[atom.Atom]bool{atom.P: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.Li: true, atom.Tr: true, atom.Dt: true, atom.Dd: true, atom.Caption: true, atom.Div: true, atom.Title: true}

// text extracts what a screen reader reads of the page (aria-hidden drawings left out), one
// block a line, in reading order, headings marked by their level and table cells by "|":
// the golden form of a page.
func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			if s := strings.Join(strings.Fields(n.Data), " "); s != "" {
				if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") && !strings.HasSuffix(b.String(), " ") {
					b.WriteString(" ")
				}
				b.WriteString(s)
			}
			return
		case n.Type == html.ElementNode && n.DataAtom == atom.Style:
			return
		}
		if hidden, _ := attr(n, "aria-hidden"); hidden == "true" {
			return
		}
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.H1, atom.H2, atom.H3, atom.H4:
				b.WriteString(strings.Repeat("#", int(n.Data[1]-'0')) + " ")
			case atom.Td, atom.Th:
				b.WriteString("| ")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && blocks[n.DataAtom] && !strings.HasSuffix(b.String(), "\n") {
			b.WriteString("\n")
		}
	}
	walk(n)
	return b.String()
}

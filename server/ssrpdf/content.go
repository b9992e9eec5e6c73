package ssrpdf

import (
	"fmt"

	"github.com/ssrmock/ssrmock/fixtures"
)

// Content is what one SSR says, every word resolved in the report's language and nothing
// about layout: the model both the PDF and the HTML renderings (package ssrhtml) print. It is
// drawn from the same label tables, catalog terms and checks as Render, so the two formats
// cannot disagree.
type Content struct {
	// Language is the report's language, a BCP 47 tag ("en", "es", "zh-Hant", …).
	Language fixtures.Language
	// Title is "Student Score Report" in the report's language.
	Title string
	// Acronym is the testing program's short name, "CAASPP" or "ELPAC"; ProgramName is its
	// full name.
	Acronym, ProgramName string
	// FamilyTitle names the report family, e.g. "Smarter Balanced Summative Assessments", or
	// the combined Smarter Balanced and CAST report (Document.Combined).
	FamilyTitle string
	// Year is the school year, e.g. "2018-19"; SchoolYear is it with its label, e.g.
	// "School year 2018-19".
	Year, SchoolYear string
	// Amended is the "Amended report" badge of a rescored report, "" for version 1.
	Amended string
	// StudentName is the student's full name as printed.
	StudentName string
	// Facts are the labelled cells of the student panel: grade, date of birth, SSID, school,
	// LEA and school year, in that order.
	Facts []Fact
	// Greeting and Intro open the report.
	Greeting, Intro string
	// Results holds one entry per test of the report, in report order.
	Results []ResultContent
	// NextStepsTitle heads NextSteps, the advice for parents.
	NextStepsTitle string
	NextSteps      []string
	// History is the Score History, the student's results on the report's tests in its own
	// school year and the earlier ones; nil when the report carries no earlier results.
	History *HistoryContent
	// LegendTitle heads Legend, what every level of the family means.
	LegendTitle string
	Legend      []LegendRow
	// Footer is the line at the foot of every page: SSID and report ID.
	Footer string
	// Disclaimer says the report holds synthetic data.
	Disclaimer string
	// PageOf is the "Page %d of %d" format of the language.
	PageOf string
}

// Fact is one labelled value of the student panel.
type Fact struct{ Label, Value string }

// Level is a performance level as printed: its number, how many levels the scale has, the
// chip's "Level n" and the level's name ("" when it says no more than the chip).
type Level struct {
	N, Of int
	Chip  string
	Name  string
}

// Scale is a scale-score range drawn with its cut scores: Bands[i] spans Bounds[i] to
// Bounds[i+1] and is labelled "Level i+1".
type Scale struct {
	Min, Max int
	Bounds   []int
	Bands    []string
	// Score is the student's score the marker points at.
	Score int
}

// ResultContent is one test's result.
type ResultContent struct {
	// Title heads the result: the test's name, or "Overall score – <family>" for ELPAC.
	Title string
	// ScaleScoreLabel labels ScaleScore.
	ScaleScoreLabel string
	ScaleScore      int
	Level           Level
	// MeaningLabel ("What this means") heads Meaning, the level's description; both "" when
	// the family has none.
	MeaningLabel, Meaning string
	// Scale is nil when the catalog gives no range for the grade.
	Scale *Scale
	// CompositesTitle heads Composites (the ELPAC's Oral and Written Language).
	CompositesTitle string
	Composites      []CompositeContent
	// IndicatorsTitle and IndicatorsNote head Indicators; IndicatorLevels names the columns,
	// lowest first.
	IndicatorsTitle, IndicatorsNote string
	IndicatorLevels                 []string
	Indicators                      []IndicatorContent
}

// CompositeContent is one composite score. A composite reported as a level only (the
// Initial ELPAC's) has ScaleScore 0 and no Scale; Level is on the composite's own levels
// (CompositeLevels).
type CompositeContent struct {
	Name, About string
	ScaleScore  int
	Level       Level
	Scale       *Scale
}

// IndicatorContent is one area or domain indicator: Level is 1-based into the result's
// IndicatorLevels.
type IndicatorContent struct {
	Name, About string
	Level       int
}

// LegendRow is one level of the family with what it means; Mine marks the student's levels.
type LegendRow struct {
	Level       Level
	Description string
	Mine        bool
}

// Content resolves what d's report says in d's language. It fails as Render does: for a
// language or family it does not print and for results that do not match d.Tests.
func (d Document) Content() (Content, error) {
	lb, ok := languages[d.Language]
	if !ok {
		return Content{}, fmt.Errorf("%w language %q", ErrUnsupported, d.Language)
	}
	fam, ok := familyOf(lb, d)
	if !ok {
		return Content{}, fmt.Errorf("%w report family %q", ErrUnsupported, d.Report.Family)
	}
	results, err := matchResults(d)
	if err != nil {
		return Content{}, err
	}
	p := &report{d: d, lb: lb, fam: fam, results: results}
	elpac := isELPAC(d.Report.Family)
	acronym := string(d.Report.Program)
	if acronym == "" {
		acronym = "CAASPP"
		if elpac {
			acronym = "ELPAC"
		}
	}
	ssid := d.Report.SSID
	if ssid == "" {
		ssid = d.Student.SSID
	}
	birth := ""
	if !d.Student.BirthDate.IsZero() {
		birth = d.Student.BirthDate.Format(lb.DateLayout)
	}
	intro := lb.IntroCAASPP
	steps := lb.NextCAASPP
	if elpac {
		intro, steps = lb.IntroELPAC, lb.NextELPAC
	}
	c := Content{
		Language: d.Language, Title: lb.ReportTitle, Acronym: acronym, ProgramName: lb.program(d.Report.Program),
		FamilyTitle: fam.Title, Year: d.Report.Year.String(), SchoolYear: lb.SchoolYear + " " + d.Report.Year.String(),
		StudentName: p.studentName(),
		Facts: []Fact{
			{lb.Grade, lb.grade(d.Report.Grade)}, {lb.BirthDate, birth}, {lb.SSID, ssid},
			{lb.School, d.School.Name}, {lb.LEA, d.LEA.Name}, {lb.SchoolYear, d.Report.Year.String()},
		},
		Greeting:       lb.Greeting,
		Intro:          fmt.Sprintf(intro, fam.Title, d.Report.Year.String()),
		NextStepsTitle: lb.NextSteps, NextSteps: steps,
		LegendTitle: lb.Levels,
		Footer:      "SSID " + ssid + "   ·   " + lb.ReportID + " " + d.ReportID,
		Disclaimer:  lb.Disclaimer, PageOf: lb.PageOf,
	}
	if d.version() > 1 {
		c.Amended = lb.Amended
	}
	for _, res := range results {
		c.Results = append(c.Results, p.resultContent(res, elpac))
	}
	c.History = p.historyContent()
	if len(results) > 0 {
		t := results[0].test
		for i, desc := range fam.Levels {
			if i >= len(t.Levels) {
				break
			}
			row := LegendRow{Level: p.level(i+1, t.Levels), Description: desc}
			for _, res := range results {
				row.Mine = row.Mine || res.Level == i+1
			}
			c.Legend = append(c.Legend, row)
		}
	}
	return c, nil
}

// familyOf is the text of the family d prints under: the family's own, titled as the one
// Smarter Balanced and CAST report where d is that report (Document.Combined).
func familyOf(lb *labels, d Document) (familyText, bool) {
	fam, ok := lb.Families[d.Report.Family]
	if ok && d.Combined() {
		fam.Title = lb.CombinedTitle
	}
	return fam, ok
}

// level is level n of a test's levels as printed.
func (p *report) level(n int, names []string) Level {
	l := Level{N: n, Of: len(names), Chip: fmt.Sprintf(p.lb.LevelN, n)}
	if n >= 1 && n <= len(names) {
		if name := p.lb.term(names[n-1]); name != l.Chip {
			l.Name = name
		}
	}
	return l
}

// scaleOf is a range as drawn, or nil when the range is empty.
func (p *report) scaleOf(r fixtures.ScoreRange, ok bool, score int) *Scale {
	if !ok || r.Max <= r.Min {
		return nil
	}
	s := &Scale{Min: r.Min, Max: r.Max, Score: score, Bounds: append(append([]int{r.Min}, r.Cuts...), r.Max)}
	for i := 1; i < len(s.Bounds); i++ {
		s.Bands = append(s.Bands, fmt.Sprintf(p.lb.LevelN, i))
	}
	return s
}

// resultContent is one test's result as printed.
func (p *report) resultContent(res scored, elpac bool) ResultContent {
	t := res.test
	out := ResultContent{
		Title:           p.lb.term(t.Name),
		ScaleScoreLabel: p.lb.ScaleScore, ScaleScore: res.ScaleScore,
		Level: p.level(res.Level, t.Levels),
	}
	if elpac {
		out.Title = p.lb.Overall + " – " + p.fam.Title
	}
	if desc := p.description(res.Level); desc != "" {
		out.MeaningLabel, out.Meaning = p.lb.WhatThisMeans, desc
	}
	r, ok := t.Ranges[res.Grade]
	out.Scale = p.scaleOf(r, ok, res.ScaleScore)
	if len(res.Composites) > 0 {
		out.CompositesTitle = p.lb.Composites
	}
	for _, cm := range res.Composites {
		cr, ok := t.CompositeRanges[cm.Name][res.Grade]
		out.Composites = append(out.Composites, CompositeContent{
			Name: p.lb.term(cm.Name), About: p.lb.About[cm.Name], ScaleScore: cm.ScaleScore,
			Level: p.level(cm.Level, CompositeLevels(t)), Scale: p.scaleOf(cr, ok, cm.ScaleScore),
		})
	}
	if len(res.Indicators) > 0 {
		out.IndicatorsTitle, out.IndicatorsNote = p.lb.Areas, p.lb.AreasNote
		if elpac {
			out.IndicatorsTitle, out.IndicatorsNote = p.lb.Domains, p.lb.DomainsNote
		}
		if !elpac && len(p.results) > 1 {
			out.IndicatorsTitle += " – " + p.lb.term(t.Subject)
		}
		for _, lv := range t.IndicatorLevels {
			out.IndicatorLevels = append(out.IndicatorLevels, p.lb.term(lv))
		}
		for _, in := range res.Indicators {
			out.Indicators = append(out.Indicators, IndicatorContent{Name: p.lb.term(in.Name), About: p.lb.About[in.Name], Level: in.Level})
		}
	}
	return out
}

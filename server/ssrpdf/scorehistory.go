package ssrpdf

import (
	"slices"

	"github.com/ssrmock/ssrmock/fixtures"
)

// HistoryRow is one line of a report's Score History: one test in one school year, in
// English catalog terms (a renderer translates them).
type HistoryRow struct {
	Year       fixtures.SchoolYear
	Grade      fixtures.Grade
	Test       fixtures.TestID
	Subject    string // the test's subject, e.g. "Mathematics"
	ScaleScore int
	Level      int
	LevelName  string // the level's name as that year's report printed it
	// Current marks the rows of the report's own school year.
	Current bool
}

// ScoreHistory returns the rows of the report's Score History, newest year first and within
// a year in the report's test order: the current results and the earlier ones the report
// carries (fixtures.Report.History). It is empty when the report has no earlier results.
func (d Document) ScoreHistory() []HistoryRow {
	if len(d.Report.History) == 0 {
		return nil
	}
	order := make([]fixtures.TestID, 0, len(d.Report.Results))
	for _, res := range d.Report.Results {
		order = append(order, res.Test)
	}
	var rows []HistoryRow
	add := func(res fixtures.Result, current bool) {
		t, ok := d.TestFor(res)
		if !ok || res.Level < 1 || res.Level > len(t.Levels) {
			return
		}
		rows = append(rows, HistoryRow{Year: res.Year, Grade: res.Grade, Test: res.Test, Subject: t.Subject,
			ScaleScore: res.ScaleScore, Level: res.Level, LevelName: t.Levels[res.Level-1], Current: current})
	}
	for _, res := range d.Report.Results {
		add(res, true)
	}
	for _, res := range d.Report.History {
		add(res, false)
	}
	slices.SortStableFunc(rows, func(a, b HistoryRow) int {
		if a.Year != b.Year {
			return int(b.Year) - int(a.Year)
		}
		return slices.Index(order, a.Test) - slices.Index(order, b.Test)
	})
	return rows
}

// HistoryContent is the Score History as printed: its heading and note, the column labels,
// and one entry per HistoryRow, every word in the report's language.
type HistoryContent struct {
	Title, Note string
	// YearLabel, GradeLabel, TestLabel, ScaleScoreLabel and LevelLabel head the columns.
	YearLabel, GradeLabel, TestLabel, ScaleScoreLabel, LevelLabel string
	Rows                                                          []HistoryEntry
}

// HistoryEntry is one row of the Score History as printed.
type HistoryEntry struct {
	// Year is the school year, e.g. "2024-25"; Grade the grade as printed.
	Year, Grade string
	// Test names the test: its subject on a report of several tests, else the family.
	Test       string
	ScaleScore int
	// Level is the level with that year's level names.
	Level Level
	// Current marks the rows of the report's own school year.
	Current bool
}

// historyContent is the report's Score History as printed, or nil when it has none: what
// the PDF draws (historyBlock) and Content carries.
func (p *report) historyContent() *HistoryContent {
	rows := p.d.ScoreHistory()
	if len(rows) == 0 {
		return nil
	}
	hc := &HistoryContent{
		Title: p.lb.History, Note: p.lb.HistoryNote,
		YearLabel: p.lb.SchoolYear, GradeLabel: p.lb.Grade, TestLabel: p.lb.Subject,
		ScaleScoreLabel: p.lb.ScaleScore, LevelLabel: p.lb.Level,
	}
	multi := len(p.results) > 1
	for _, r := range rows {
		test := p.fam.Title
		if multi {
			test = p.lb.term(r.Subject)
		}
		hc.Rows = append(hc.Rows, HistoryEntry{
			Year: r.Year.String(), Grade: p.lb.grade(r.Grade), Test: test, ScaleScore: r.ScaleScore,
			Level: p.level(r.Level, p.levelsOf(r)), Current: r.Current,
		})
	}
	return hc
}

// levelsOf returns the level names of a history row's test as that year printed them.
func (p *report) levelsOf(r HistoryRow) []string {
	if t, ok := p.d.TestFor(fixtures.Result{Test: r.Test, Year: r.Year}); ok {
		return t.Levels
	}
	return []string{r.LevelName}
}

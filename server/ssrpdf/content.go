package ssrpdf

import (
	"slices"

	"github.com/ssrmock/ssrmock/fixtures"
)

// This file holds what a report shows, apart from how the PDF draws it, so that other
// renderings of the same Document (an HTML SSR) show the same content.

// TestFor returns the catalog entry a result was scored on: the entry of d.Tests with the
// result's test ID that applies in the result's school year (the latest From not after it).
func (d Document) TestFor(res fixtures.Result) (fixtures.Test, bool) {
	var found *fixtures.Test
	for i := range d.Tests {
		t := &d.Tests[i]
		if t.ID == res.Test && t.From <= res.Year && (found == nil || t.From > found.From) {
			found = t
		}
	}
	if found == nil {
		return fixtures.Test{}, false
	}
	return *found, true
}

// Combined reports whether the report prints Smarter Balanced and CAST results together (the
// one SSR of grades 5, 8 and 11 from 2023-24 on).
func (d Document) Combined() bool {
	if d.Report.Family != fixtures.FamilySmarterBalanced {
		return false
	}
	for _, res := range d.Report.Results {
		if res.Test == fixtures.CAST {
			return true
		}
	}
	return false
}

// CompositeLevels returns the level names of a test's composites, lowest first.
func CompositeLevels(t fixtures.Test) []string {
	if len(t.CompositeLevels) > 0 {
		return t.CompositeLevels
	}
	return t.Levels
}

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

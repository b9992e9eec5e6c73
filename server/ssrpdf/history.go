package ssrpdf

import (
	"fmt"

	"github.com/ssrmock/ssrmock/fixtures"
)

// historyBlock draws the Score History: one row per test and school year, newest first,
// the current year's rows shaded, each with its scale score and level chip.
func (p *report) historyBlock(y float64) float64 {
	rows := p.d.ScoreHistory()
	if len(rows) == 0 {
		return 0
	}
	h := p.subheading(y, p.lb.History, p.lb.HistoryNote)
	const rowH = 19.0
	cols := [...]float64{marginX + 6, marginX + 78, marginX + 128, marginX + 318, marginX + 388}
	p.text(cols[0], y+h+9, p.lb.SchoolYear, 7, true, muted)
	p.text(cols[1], y+h+9, p.lb.Grade, 7, true, muted)
	p.text(cols[2], y+h+9, p.lb.Subject, 7, true, muted)
	p.textRight(cols[3]+44, y+h+9, p.lb.ScaleScore, p.fit(p.lb.ScaleScore, 100, 7, true), true, muted)
	p.text(cols[4], y+h+9, p.lb.Level, 7, true, muted)
	h += 13
	multi := len(p.results) > 1
	for _, r := range rows {
		top := y + h
		if r.Current {
			p.rect(marginX, top, contentW, rowH, panel)
		}
		p.line(marginX, top, pageW-marginX, top, 0.4, rule)
		base := top + 12.5
		p.text(cols[0], base, r.Year.String(), 8.5, r.Current, ink)
		p.text(cols[1], base, p.lb.grade(r.Grade), 8.5, false, ink)
		subject := p.lb.term(r.Subject)
		if !multi {
			subject = p.fam.Title
		}
		p.textFit(cols[2], base, cols[3]-cols[2]-60, subject, 8.5, false, ink)
		score := fmt.Sprint(r.ScaleScore)
		p.textRight(cols[3]+44, base, score, 9, true, navy)
		levels := len(p.levelsOf(r))
		p.levelChip(cols[4], top+1, r.Level, levels, p.lb.term(r.LevelName), pageW-marginX-cols[4], 8)
		h += rowH
	}
	p.line(marginX, y+h, pageW-marginX, y+h, 0.4, rule)
	return h + 2
}

// levelsOf returns the level names of a history row's test as that year printed them.
func (p *report) levelsOf(r HistoryRow) []string {
	if t, ok := p.d.TestFor(fixtures.Result{Test: r.Test, Year: r.Year}); ok {
		return t.Levels
	}
	return []string{r.LevelName}
}

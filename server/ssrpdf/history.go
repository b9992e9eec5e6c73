package ssrpdf

import "fmt"

// historyBlock draws the Score History (historyContent): one row per test and school year,
// newest first, the current year's rows shaded, each with its scale score and level chip.
func (p *report) historyBlock(y float64) float64 {
	hc := p.historyContent()
	if hc == nil {
		return 0
	}
	h := p.subheading(y, hc.Title, hc.Note)
	const rowH = 19.0
	cols := [...]float64{marginX + 6, marginX + 78, marginX + 128, marginX + 318, marginX + 388}
	p.text(cols[0], y+h+9, hc.YearLabel, 7, true, muted)
	p.text(cols[1], y+h+9, hc.GradeLabel, 7, true, muted)
	p.text(cols[2], y+h+9, hc.TestLabel, 7, true, muted)
	p.textRight(cols[3]+44, y+h+9, hc.ScaleScoreLabel, p.fit(hc.ScaleScoreLabel, 100, 7, true), true, muted)
	p.text(cols[4], y+h+9, hc.LevelLabel, 7, true, muted)
	h += 13
	for _, r := range hc.Rows {
		top := y + h
		if r.Current {
			p.rect(marginX, top, contentW, rowH, panel)
		}
		p.line(marginX, top, pageW-marginX, top, 0.4, rule)
		base := top + 12.5
		p.text(cols[0], base, r.Year, 8.5, r.Current, ink)
		p.text(cols[1], base, r.Grade, 8.5, false, ink)
		p.textFit(cols[2], base, cols[3]-cols[2]-60, r.Test, 8.5, false, ink)
		p.textRight(cols[3]+44, base, fmt.Sprint(r.ScaleScore), 9, true, navy)
		name := r.Level.Name
		if name == "" {
			name = r.Level.Chip
		}
		p.levelChip(cols[4], top+1, r.Level.N, r.Level.Of, name, pageW-marginX-cols[4], 8)
		h += rowH
	}
	p.line(marginX, y+h, pageW-marginX, y+h, 0.4, rule)
	return h + 2
}

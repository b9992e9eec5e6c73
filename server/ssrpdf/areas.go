package ssrpdf

import (
	"fmt"
	"strings"
)

// subheading draws a small heading and its note and returns their height.
func (p *report) subheading(y float64, title, note string) float64 {
	p.text(marginX, y+11, title, 10.5, true, navy)
	h := 16.0
	if note != "" {
		h += p.paragraph(marginX, y+h, contentW, note, 7.5, false, muted)
	}
	return h + 4
}

// nameColumn draws an area's name and what it measures and returns their height.
func (p *report) nameColumn(x, y, w float64, name string) float64 {
	p.textFit(x, y+10, w, p.lb.term(name), 9, true, ink)
	h := 14.0
	if about := p.lb.About[name]; about != "" {
		h += p.paragraph(x, y+12, w, about, 7, false, muted)
	}
	return h
}

// compositeBlock draws the composite scores (the ELPAC's Oral and Written Language, the
// CSA's Oral and Written Literacy): each with its score, level and, where the catalog gives
// its range, a drawn scale on the composite's own scale; a composite reported as a level
// only (the Initial ELPAC's) shows its level alone.
func (p *report) compositeBlock(y float64, res scored) float64 {
	h := p.subheading(y, p.lb.Composites, "")
	const nameW = 170.0
	levels := CompositeLevels(res.test)
	n := len(levels)
	for _, c := range res.Composites {
		top := y + h
		p.line(marginX, top, pageW-marginX, top, 0.5, rule)
		nh := p.nameColumn(marginX, top+4, nameW, c.Name)
		name := ""
		if c.Level >= 1 && c.Level <= n {
			name = p.lb.term(levels[c.Level-1])
		}
		x := marginX + nameW + 12
		if c.ScaleScore > 0 {
			score := fmt.Sprint(c.ScaleScore)
			p.textRight(x+34, top+20, score, p.fit(score, 70, 15, true), true, navy)
		}
		p.levelChip(x+44, top+6, c.Level, n, name, pageW-marginX-x-44, 9.5)
		rowH := max(nh+8, 32.0)
		if r, ok := res.test.CompositeRanges[c.Name][res.Grade]; ok && r.Max > r.Min {
			rowH = max(rowH, 28+p.scale(x+44, pageW-marginX-4, top+26, r, c.ScaleScore, n))
		}
		h += rowH
	}
	p.line(marginX, y+h, pageW-marginX, y+h, 0.5, rule)
	return h + 2
}

// indicatorBlock draws the area or domain indicators: one row per area with its level marked
// among all the levels.
func (p *report) indicatorBlock(y float64, res scored, elpac bool) float64 {
	title, note := p.lb.Areas, p.lb.AreasNote
	if elpac {
		title, note = p.lb.Domains, p.lb.DomainsNote
	}
	if !elpac && len(p.results) > 1 {
		title += " – " + p.lb.term(res.test.Subject)
	}
	h := p.subheading(y, title, note)
	const nameW = 220.0
	levels := res.test.IndicatorLevels
	cellsX := marginX + nameW + 12
	gap := 4.0
	cellW := (pageW - marginX - cellsX - gap*float64(len(levels)-1)) / float64(len(levels))
	cellH := 20.0
	for _, lv := range levels {
		if p.fit(p.lb.term(lv), cellW-8, 8, true) < cellMinSize {
			cellH = 28
		}
	}
	for _, in := range res.Indicators {
		top := y + h
		p.line(marginX, top, pageW-marginX, top, 0.5, rule)
		rowH := max(p.nameColumn(marginX, top+4, nameW, in.Name)+8, cellH+10)
		cy := top + (rowH-cellH)/2
		for i, lv := range levels {
			cx := cellsX + float64(i)*(cellW+gap)
			fill, col, bold := cellOff, faint, false
			if i+1 == in.Level {
				fill = levelColor(i+1, len(levels))
				col, bold = onColor(fill), true
			}
			p.roundRect(cx, cy, cellW, cellH, 3, fill)
			p.cellLabel(cx, cy, cellW, cellH, p.lb.term(lv), bold, col)
		}
		h += rowH
	}
	p.line(marginX, y+h, pageW-marginX, y+h, 0.5, rule)
	return h + 2
}

// nextSteps draws the closing advice for parents.
func (p *report) nextSteps(y float64, elpac bool) float64 {
	steps := p.lb.NextCAASPP
	if elpac {
		steps = p.lb.NextELPAC
	}
	h := p.subheading(y, p.lb.NextSteps, "")
	for _, s := range steps {
		p.text(marginX+4, y+h+8.5, "•", 8.5, true, navy)
		h += p.paragraph(marginX+16, y+h, contentW-16, s, 8.5, false, ink) + 2
	}
	return h
}

// legend lists what every level of the report's family means, the student's levels marked.
func (p *report) legend(y float64) float64 {
	if len(p.results) == 0 {
		return 0
	}
	t := p.results[0].test
	h := p.subheading(y, p.lb.Levels, "")
	const nameW = 150.0
	for i, desc := range p.fam.Levels {
		if i >= len(t.Levels) {
			break
		}
		level := i + 1
		top := y + h
		fill := levelColor(level, len(t.Levels))
		mine := false
		for _, res := range p.results {
			mine = mine || res.Level == level
		}
		descX, descW := marginX+nameW+12, contentW-nameW-12
		rowH := max(float64(len(p.wrap(desc, descW, 7.5, false)))*leading(7.5)+6, 24)
		if mine {
			p.rect(marginX, top, contentW, rowH, panel)
		}
		p.paragraph(descX, top+3, descW, desc, 7.5, false, ink)
		p.rect(marginX, top, 4, rowH, fill)
		p.text(marginX+10, top+10, fmt.Sprintf(p.lb.LevelN, level), 7.5, true, muted)
		if name := p.lb.term(t.Levels[i]); name != fmt.Sprintf(p.lb.LevelN, level) {
			p.textFit(marginX+10, top+20, nameW-10, name, 8.5, true, ink)
		}
		h += rowH + 2
	}
	return h
}

// cellMinSize is the smallest size a one-line cell label may shrink to before it wraps.
const cellMinSize = 6.8

// cellLabel centres a label in a cell, on two lines when one would need a size below
// cellMinSize.
func (p *report) cellLabel(x, y, w, h float64, label string, bold bool, col rgb) {
	if size := p.fit(label, w-8, 8, bold); size >= cellMinSize {
		p.textCenter(x+w/2, y+h/2+size*0.36, label, size, bold, col)
		return
	}
	const size = 7.0
	lines := p.wrap(label, w-8, size, bold)
	if len(lines) > 2 {
		lines = []string{lines[0], strings.Join(lines[1:], " ")}
	}
	lh := leading(size)
	top := y + h/2 - lh*float64(len(lines))/2
	for i, l := range lines {
		p.textCenter(x+w/2, top+float64(i)*lh+size*0.95, l, p.fit(l, w-6, size, bold), bold, col)
	}
}

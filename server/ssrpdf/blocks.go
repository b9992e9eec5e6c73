package ssrpdf

import (
	"fmt"

	"github.com/ssrmock/ssrmock/fixtures"
)

// sectionBar draws a section's title bar and returns its height.
func (p *report) sectionBar(y float64, title string) float64 {
	p.rect(marginX, y, contentW, 22, bar)
	p.rect(marginX, y, 4, 22, navy)
	p.textFit(marginX+12, y+15, contentW-24, title, 11.5, true, navy)
	return 22
}

// levelChip draws "Level n" on the level's colour followed by the level's name, unless the
// name says no more than the chip.
func (p *report) levelChip(x, y float64, level, n int, name string, maxW, size float64) {
	chip := fmt.Sprintf(p.lb.LevelN, level)
	fill := levelColor(level, n)
	cw := p.width(chip, 8.5, true) + 14
	p.roundRect(x, y, cw, 17, 3, fill)
	p.textCenter(x+cw/2, y+12, chip, 8.5, true, onColor(fill))
	if name != chip {
		p.textFit(x+cw+8, y+13, maxW-cw-8, name, size, true, ink)
	}
}

// resultBlock draws one test's overall result: title, scale score, level, what the level
// means and the drawn scale.
func (p *report) resultBlock(y float64, res scored, elpac bool) float64 {
	t := res.test
	title := p.lb.term(t.Name)
	if elpac {
		title = p.lb.Overall + " – " + p.fam.Title
	}
	h := p.sectionBar(y, title) + 10

	// Score on the left, level and its meaning on the right.
	top := y + h
	score := fmt.Sprint(res.ScaleScore)
	p.textCenter(marginX+52, top+28, score, p.fit(score, 104, 30, true), true, navy)
	p.textCenter(marginX+52, top+42, p.lb.ScaleScore, p.fit(p.lb.ScaleScore, 100, 7.5, false), false, muted)
	x := marginX + 120
	w := contentW - 120
	p.levelChip(x, top, res.Level, len(t.Levels), p.lb.term(t.Levels[res.Level-1]), w, 11.5)
	descH := 0.0
	if desc := p.description(res.Level); desc != "" {
		p.text(x, top+32, p.lb.WhatThisMeans, 8, true, muted)
		descH = 8 + p.paragraph(x, top+35, w, desc, 8.5, false, ink)
	}
	h += max(48, 27+descH)

	if r, ok := t.Ranges[res.Grade]; ok && r.Max > r.Min {
		h += 6 + p.scale(marginX+4, pageW-marginX-4, y+h+6, r, res.ScaleScore, len(t.Levels))
	}
	return h
}

// description returns what a level of the report's family means.
func (p *report) description(level int) string {
	if level < 1 || level > len(p.fam.Levels) {
		return ""
	}
	return p.fam.Levels[level-1]
}

// scale draws the scale-score range as coloured bands, one per level, with the cut scores
// below and a marker at score, and returns its height. Cut scores too close to their
// neighbour drop to a second row; a band's label moves aside for the marker.
func (p *report) scale(x0, x1, y float64, r fixtures.ScoreRange, score, levels int) float64 {
	const barH = 15.0
	span := float64(r.Max - r.Min)
	at := func(v int) float64 {
		f := float64(v-r.Min) / span
		return x0 + min(max(f, 0), 1)*(x1-x0)
	}
	top := y + 20
	sx := at(score)
	bounds := append(append([]int{r.Min}, r.Cuts...), r.Max)
	rows := 1
	lastEnd := x0 + p.width(fmt.Sprint(r.Min), 7, false)
	for i := 0; i+1 < len(bounds); i++ {
		level := i + 1
		bx0, bx1 := at(bounds[i]), at(bounds[i+1])
		fill := levelColor(level, levels)
		p.rect(bx0, top, bx1-bx0, barH, fill)
		p.bandLabel(bx0, bx1, top, sx, fmt.Sprintf(p.lb.LevelN, level), onColor(fill))
		if i > 0 {
			p.line(bx0, top, bx0, top+barH+2, 1, white)
			cut := fmt.Sprint(bounds[i])
			cw := p.width(cut, 7, false)
			ly := top + barH + 10
			if bx0-cw/2 < lastEnd+3 {
				ly += 8
				rows = 2
			} else {
				lastEnd = bx0 + cw/2
			}
			p.textCenter(bx0, ly, cut, 7, false, muted)
		}
	}
	p.text(x0, top+barH+10, fmt.Sprint(r.Min), 7, false, muted)
	p.textRight(x1, top+barH+10, fmt.Sprint(r.Max), 7, false, muted)

	label := fmt.Sprint(score)
	lw := p.width(label, 8.5, true)
	p.text(min(max(sx-lw/2, x0), x1-lw), y+9, label, 8.5, true, ink)
	p.triangle(sx-5, y+12, sx+5, y+12, sx, y+19, ink)
	p.line(sx, top, sx, top+barH, 1.5, ink)
	return 20 + barH + 4 + 8*float64(rows)
}

// bandLabel writes a level band's label in the band [x0, x1] with its top at top, clear of
// the marker at sx: centred where the marker leaves room, else in the wider side of the band
// beside the marker, shrunk to fit. It is never hidden: in a band too narrow on both sides it
// goes centred, the thin marker line crossing it.
func (p *report) bandLabel(x0, x1, top, sx float64, label string, col rgb) {
	const pad, clear = 3.0, 4.0
	size := p.fit(label, x1-x0-2*pad, 7.5, true)
	lw := p.width(label, size, true)
	cx := (x0 + x1) / 2
	if sx < cx-lw/2-clear || sx > cx+lw/2+clear {
		p.textCenter(cx, top+10.5, label, size, true, col)
		return
	}
	left, right := sx-clear-(x0+pad), (x1-pad)-(sx+clear)
	lo, hi := x0+pad, sx-clear
	if right > left {
		lo, hi = sx+clear, x1-pad
	}
	if s := p.fit(label, hi-lo, size, true); s >= 4.5 {
		p.textCenter((lo+hi)/2, top+10.5, label, s, true, col)
		return
	}
	p.textCenter(cx, top+10.5, label, size, true, col)
}

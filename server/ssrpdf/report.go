package ssrpdf

import (
	"fmt"
	"strings"

	"github.com/ssrmock/ssrmock/fixtures"
)

// Page geometry in points: US Letter with 40 pt side margins.
const (
	pageW      = 612.0
	pageH      = 792.0
	marginX    = 40.0
	contentW   = pageW - 2*marginX
	bandH      = 74.0
	contentTop = 92.0
	contentEnd = 738.0
	blockGap   = 12.0
)

// report lays out one Document page by page.
type report struct {
	canvas
	d       Document
	lb      *labels
	fam     familyText
	results []scored
	y       float64
	pages   int
	// fresh is true until the first block is placed on a page.
	fresh bool
}

// block draws itself with its top at y and returns its height; drawn dry, it only measures.
type block func(y float64) float64

// place draws b below the previous block, on a new page when it does not fit on this one.
func (p *report) place(b block) {
	p.dry = true
	h := b(p.y)
	p.dry = false
	if p.y+h > contentEnd && !p.fresh {
		p.newPage()
	}
	b(p.y)
	p.y += h + blockGap
	p.fresh = false
}

// placeIfFits draws b below the previous block if it fits on this page and reports whether
// it did.
func (p *report) placeIfFits(b block) bool {
	p.dry = true
	h := b(p.y)
	p.dry = false
	if p.y+h > contentEnd {
		return false
	}
	b(p.y)
	p.y += h + blockGap
	p.fresh = false
	return true
}

// newPage starts a page with the header band.
func (p *report) newPage() {
	p.gp.AddPage()
	p.pages++
	p.fresh = true
	p.header()
	p.y = contentTop
	if p.pages > 1 {
		p.y += p.continuation()
	}
}

// compose draws the whole report.
func (p *report) compose() {
	p.newPage()
	p.place(p.studentBox)
	p.place(p.intro)
	elpac := isELPAC(p.d.Report.Family)
	legend := true
	for _, res := range p.results {
		p.place(func(y float64) float64 { return p.resultBlock(y, res, elpac) })
		if len(res.Composites) > 0 {
			p.place(func(y float64) float64 { return p.compositeBlock(y, res) })
		}
		if len(res.Indicators) > 0 {
			if p.d.Report.Family == fixtures.FamilySummativeELPAC && p.pages == 1 {
				legend = !p.placeIfFits(p.legend)
				p.newPage()
			}
			p.place(func(y float64) float64 { return p.indicatorBlock(y, res, elpac) })
		}
	}
	if len(p.d.Report.History) > 0 {
		p.place(p.historyBlock)
	}
	p.place(func(y float64) float64 { return p.nextSteps(y, elpac) })
	if legend {
		p.placeIfFits(p.legend)
	}
	p.footers()
}

// header draws the band at the top of every page.
func (p *report) header() {
	p.rect(0, 0, pageW, bandH, navy)
	p.rect(0, bandH, pageW, 3, gold)
	acronym := string(p.d.Report.Program)
	if acronym == "" {
		acronym = "CAASPP"
		if isELPAC(p.d.Report.Family) {
			acronym = "ELPAC"
		}
	}
	p.text(marginX, 38, acronym, 24, true, white)
	p.textFit(marginX, 55, 280, p.lb.program(p.d.Report.Program), 8, false, navyLight)
	right := pageW - marginX
	title := p.lb.ReportTitle
	p.textRight(right, 32, title, p.fit(title, 250, 15, true), true, white)
	p.textRight(right, 48, p.fam.Title, p.fit(p.fam.Title, 250, 10, false), false, white)
	year := p.lb.SchoolYear + " " + p.d.Report.Year.String()
	p.textRight(right, 63, year, 9, false, navyLight)
}

// continuation names the student under the band of pages after the first.
func (p *report) continuation() float64 {
	s := p.studentName() + "  ·  " + p.lb.Grade + " " + p.lb.grade(p.d.Report.Grade) + "  ·  " + p.d.Report.SSID
	p.textFit(marginX, contentTop+8, contentW, s, 9, true, navy)
	p.line(marginX, contentTop+14, pageW-marginX, contentTop+14, 0.5, rule)
	return 26
}

// studentName is the student's name as printed.
func (p *report) studentName() string {
	s := p.d.Student
	return strings.Join(strings.Fields(s.FirstName+" "+s.MiddleName+" "+s.LastName), " ")
}

// studentBox draws the student, school and LEA panel.
func (p *report) studentBox(y float64) float64 {
	const h = 86.0
	lb, d := p.lb, p.d
	p.roundRect(marginX, y, contentW, h, 4, panel)
	x := marginX + 12
	nameW := contentW - 24
	if d.version() > 1 {
		badge := lb.Amended
		bw := p.width(badge, 8, true) + 14
		p.roundRect(pageW-marginX-12-bw, y+10, bw, 16, 8, gold)
		p.textCenter(pageW-marginX-12-bw/2, y+21, badge, 8, true, ink)
		nameW -= bw + 10
	}
	p.textFit(x, y+24, nameW, p.studentName(), 15, true, ink)
	col := (contentW - 24) / 3
	cell := func(i int, top float64, label, value string) {
		cx := x + float64(i)*col
		p.textFit(cx, top, col-8, label, 7, false, muted)
		p.textFit(cx, top+12, col-8, value, 9.5, true, ink)
	}
	birth := ""
	if !d.Student.BirthDate.IsZero() {
		birth = d.Student.BirthDate.Format(lb.DateLayout)
	}
	ssid := d.Report.SSID
	if ssid == "" {
		ssid = d.Student.SSID
	}
	cell(0, y+42, lb.Grade, lb.grade(d.Report.Grade))
	cell(1, y+42, lb.BirthDate, birth)
	cell(2, y+42, lb.SSID, ssid)
	cell(0, y+68, lb.School, d.School.Name)
	cell(1, y+68, lb.LEA, d.LEA.Name)
	cell(2, y+68, lb.SchoolYear, d.Report.Year.String())
	return h
}

// intro draws the greeting and the paragraph that says what the report is.
func (p *report) intro(y float64) float64 {
	h := p.paragraph(marginX, y, contentW, p.lb.Greeting, 9, true, ink) + 3
	format := p.lb.IntroCAASPP
	if isELPAC(p.d.Report.Family) {
		format = p.lb.IntroELPAC
	}
	h += p.paragraph(marginX, y+h, contentW, fmt.Sprintf(format, p.fam.Title, p.d.Report.Year.String()), 9, false, ink)
	return h
}

// footers draws the footer of every page once the page count is known.
func (p *report) footers() {
	for i := 1; i <= p.pages; i++ {
		p.fail(p.gp.SetPage(i))
		y := pageH - 44
		p.line(marginX, y, pageW-marginX, y, 0.6, rule)
		ssid := p.d.Report.SSID
		if ssid == "" {
			ssid = p.d.Student.SSID
		}
		left := "SSID " + ssid + "   ·   " + p.lb.ReportID + " " + p.d.ReportID
		p.textFit(marginX, y+13, contentW-110, left, 7.5, false, muted)
		p.textRight(pageW-marginX, y+13, fmt.Sprintf(p.lb.PageOf, i, p.pages), 7.5, true, muted)
		p.textCenter(pageW/2, y+27, p.lb.Disclaimer, 6.5, false, faint)
	}
}

// isELPAC reports whether a family belongs to the ELPAC program.
func isELPAC(f fixtures.Family) bool {
	switch f {
	case fixtures.FamilySummativeELPAC, fixtures.FamilyInitialELPAC, fixtures.FamilyAlternateELPAC:
		return true
	}
	return false
}

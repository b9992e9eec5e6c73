package conformance

import (
	. "github.com/onsi/ginkgo/v2"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
)

var _ = Describe("report integrity", Label(AreaReportIntegrity), func() {
	When("parents of several students open their pages", func() {
		ConformanceIt("report-integrity/right-student",
			"A vendor MUST show each parent the reports of their own student only, never another student's.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				a := w.find(withReports)
				b := w.findAnother(a.lea, a.student.SSID, withReports)
				w.connect(a.lea)
				for _, ssid := range []string{a.student.SSID, b.student.SSID, a.student.SSID} {
					since := w.cursor()
					w.expectMatches(a.lea, ssid, w.view(a.lea, ssid), since, "When parents of two students took turns")
				}
			})
	})

	When("a student has many reports", func() {
		ConformanceIt("report-integrity/every-report",
			"A vendor MUST show every report the LEA may see (every program, school year and language), each with its exact bytes.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				best := w.find(need{what: "with three or more visible reports", roster: controlapi.RosterFilter{SchoolYear: "2015-16"},
					match: func(c candidate) bool { return c.visibleCount(nil) >= 3 }})
				w.connect(best.lea)
				since := w.cursor()
				w.expectMatches(best.lea, best.student.SSID, w.view(best.lea, best.student.SSID), since, "When the parent opened the page")
			})
	})

	When("the student's primary language has a translation", func() {
		ConformanceIt("report-integrity/primary-language",
			"A vendor MUST offer each report in English and in the student's primary language where a translation exists, each language with its own bytes.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(need{what: "with a visible report in a language other than English", roster: controlapi.RosterFilter{SchoolYear: "2017-18"},
					student: func(s controlapi.Student) bool { return s.ReportLanguage != "" && s.ReportLanguage != "en" },
					match:   func(c candidate) bool { return c.visibleCount(notEnglish) > 0 }})
				w.connect(c.lea)
				since := w.cursor()
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since,
					"When the parent of a student whose primary language is "+c.student.PrimaryLanguage+" opened the page")
			})
	})
})

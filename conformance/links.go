package conformance

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
)

var _ = Describe("links", Label(AreaLinks), func() {
	When("a parent opens the score-report page", func() {
		ConformanceIt("links/working-link",
			"A vendor MUST hand the parent, for every report, a link that downloads the report's PDF byte for byte at once, or serve those bytes itself.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(need{what: "with two or more visible reports", roster: controlapi.RosterFilter{SchoolYear: "2016-17"},
					match: func(c candidate) bool { return c.visibleCount(nil) >= 2 }})
				w.connect(c.lea)
				since := w.cursor()
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, "When the parent opened the page")
			})

		ConformanceIt("links/no-secret-in-link",
			"A vendor MUST NOT put credential material (the Secret Key or a token, under any name, as a name or in the path) in a link it hands the parent.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(withReports)
				w.connect(c.lea)
				// Links before and after a token renewal and a regeneration: every link is
				// checked for the Secret Keys, and followed, so that the journal flags a token.
				for i, step := range []func(){func() {}, func() { w.advance(2 * time.Hour) }, func() { w.connect(c.lea) }} {
					step()
					since := w.cursor()
					w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, fmt.Sprintf("On page view %d", i+1))
				}
			})
	})

	When("the parent comes back after the links expired", func() {
		ConformanceIt("links/fresh-after-30-minutes",
			"A vendor MUST NOT hand out a link older than 30 minutes of service time: it MUST list the reports again to get fresh links.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(withReports)
				w.connect(c.lea)
				since := w.cursor()
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, "When the parent first opened the page")
				w.advance(31 * time.Minute)
				since = w.cursor()
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, "When the parent came back 31 minutes later")
			})
	})
})

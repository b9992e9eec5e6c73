package conformance

import (
	"fmt"
	"slices"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
	"github.com/ssrmock/ssrmock/conformance/pacific"
)

var _ = Describe("release timing", Label(AreaReleaseTiming), func() {
	When("the LEA enters its pair on 11 February 2019", func() {
		ConformanceIt("release-timing/historical-at-once",
			"A vendor MUST show the historical CAASPP reports (2015-16 to 2017-18) as soon as the LEA enters its pair.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(need{what: "with a visible historical CAASPP report", roster: controlapi.RosterFilter{SchoolYear: "2016-17"},
					match: func(c candidate) bool { return c.visibleCount(yearBefore("2018-19")) > 0 }})
				w.connect(c.lea)
				since := w.cursor()
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, "On the day the LEA entered its pair")
			})
	})

	When("2018-19 reports are released", func() {
		ConformanceIt("release-timing/rolling-elpac",
			"A vendor MUST show a Summative ELPAC report once it is released (from 15 May 2019, then in batches every two weeks), and not before.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(need{what: "with a Summative ELPAC report released after 15 May 2019",
					roster: controlapi.RosterFilter{Assessment: "summative-elpac", SchoolYear: "2018-19"},
					match: func(c candidate) bool {
						p := c.pending(family("summative-elpac"))
						return len(p) > 0 && p[0].ReleasedAt.After(firstELPACRelease.Add(24*time.Hour))
					}})
				expectRelease(w, c, c.pending(family("summative-elpac"))[0])
			})

		ConformanceIt("release-timing/late-fall-cast-csa",
			"A vendor MUST show the CSA reports released in late fall 2019 and the CAST reports released in January 2020, months after the student's other 2018-19 reports.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				lateFall := func(r controlapi.TruthReport) bool {
					return (r.Assessment == "cast" || r.Assessment == "csa") && r.SchoolYear == "2018-19"
				}
				c := w.find(need{what: "with a 2018-19 CAST report", roster: controlapi.RosterFilter{Assessment: "cast", SchoolYear: "2018-19"},
					match: func(c candidate) bool { return len(c.pending(lateFall)) > 0 }})
				late := c.pending(lateFall)
				expectRelease(w, c, late[len(late)-1])
			})

		ConformanceIt("release-timing/amended-report",
			"A vendor MUST serve the new version of an amended report from the next page view on, never the superseded bytes.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(withReports)
				w.connect(c.lea)
				since := w.cursor()
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, "Before the amendment")
				reportIDs := []string{}
				for _, r := range c.truth.Visible() {
					if !slices.Contains(reportIDs, r.ReportID) {
						reportIDs = append(reportIDs, r.ReportID)
					}
				}
				for _, id := range reportIDs {
					_, err := w.h.api.Amend(w.ctx, w.sb.ID, id)
					w.controlErr(err, "amending report "+id)
				}
				for _, after := range []time.Duration{time.Minute, 31 * time.Minute} {
					w.advance(after)
					since = w.cursor()
					w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since,
						fmt.Sprintf("%s after %d report(s) were amended", after, len(reportIDs)))
				}
			})
	})

	When("a student has no report yet", func() {
		ConformanceIt("release-timing/first-report-after-empty",
			"A vendor MUST show a student's first report from its release on, even when the parent saw an empty page minutes before: an empty list is no reason to stop asking.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(need{what: "enrolled with no report released yet and a first one to come",
					roster: controlapi.RosterFilter{Assessment: "summative-elpac", SchoolYear: "2018-19"},
					match:  func(c candidate) bool { return c.visibleCount(nil) == 0 && len(c.pending(nil)) > 0 }})
				first := c.pending(nil)[0]
				w.connect(c.lea)
				since := w.cursor()
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, "On the day the LEA entered its pair, with nothing released yet")
				expectRelease(w, c, first)
			})
	})
})

// firstELPACRelease is when the first electronic Summative ELPAC reports came out.
var firstELPACRelease = time.Date(2019, 5, 15, 0, 0, 0, 0, time.FixedZone("PDT", -7*3600))

// expectRelease checks that the vendor shows report r from its release on, and not before: the
// parent looks a day before the release (with a pair the LEA generated then: 2018-19 pairs
// last 90 days), ten minutes and a minute before it, and a minute after it: a page the vendor
// kept from a minute earlier is caught.
func expectRelease(w *world, c candidate, r controlapi.TruthReport) {
	w.advanceTo(r.ReleasedAt.Add(-24 * time.Hour))
	w.connect(c.lea)
	for _, look := range []struct {
		at   time.Duration
		when string
	}{{-24 * time.Hour, "A day before"}, {-10 * time.Minute, "Ten minutes before"}, {-time.Minute, "A minute before"}, {time.Minute, "A minute after"}} {
		w.advanceTo(r.ReleasedAt.Add(look.at))
		since := w.cursor()
		w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since,
			fmt.Sprintf("%s the %s %s report's release (%s)", look.when, r.SchoolYear, r.Assessment, pacific.Minutes(r.ReleasedAt)))
	}
}

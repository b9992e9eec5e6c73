package conformance

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
	"github.com/ssrmock/ssrmock/conformance/driver"
)

var _ = Describe("enrollment privacy", Label(AreaEnrollmentPrivacy), func() {
	When("the vendor serves two LEAs", func() {
		ConformanceIt("enrollment-privacy/other-lea-not-found",
			"A vendor MUST NOT show a student's reports at an LEA the student is not enrolled in, even after showing them at the student's own LEA.",
			func(ctx SpecContext) {
				w := newCountyWorld(ctx, scenario2018)
				c := w.find(withReports)
				other := w.otherLEA(c.lea)
				w.connect(c.lea)
				w.connect(other)
				since := w.cursor()
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, "At the student's own LEA")
				since = w.cursor()
				v := w.view(other, c.student.SSID)
				w.expectOutcome(v, driver.NotFound, fmt.Sprintf("At LEA %s, where student %s is not enrolled", other, c.student.SSID),
					"the student is not enrolled there, and the service answers 404 student_not_found", since)
			})

		ConformanceIt("enrollment-privacy/own-credentials-only",
			"A vendor MUST look a student up only with the pair of the LEA whose page the parent opened, never with another LEA's.",
			func(ctx SpecContext) {
				w := newCountyWorld(ctx, scenario2018)
				c := w.find(withReports)
				other := w.otherLEA(c.lea)
				mine := w.connect(c.lea)
				w.connect(other)
				since := w.cursor()
				w.view(other, c.student.SSID)
				entries := w.journal(since)
				borrowed := count(entries, "", func(e controlapi.Entry) bool { return e.Username == mine.Username || e.LEA == c.lea })
				if len(borrowed) > 0 {
					violation(fmt.Sprintf("looked up student %s for LEA %s's page with LEA %s's pair (%d request(s))", c.student.SSID, other, c.lea, len(borrowed)),
						fmt.Sprintf("used only LEA %s's own pair, and shown \"not_found\"", other), entries)
				}
			})
	})

	When("a student transfers to another LEA", func() {
		ConformanceIt("enrollment-privacy/transfer-old-lea",
			"A vendor MUST show the LEA a student left only the reports the service still lists for it (those the student took there), not the student's other reports.",
			func(ctx SpecContext) {
				w := newCountyWorld(ctx, scenario2018)
				c, other := transferred(w)
				since := w.cursor()
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since,
					fmt.Sprintf("A day after the student left for LEA %s", other))
			})

		ConformanceIt("enrollment-privacy/transfer-new-lea",
			"A vendor MUST show the LEA a student joined all of the student's reports, including those from where the student tested before.",
			func(ctx SpecContext) {
				w := newCountyWorld(ctx, scenario2018)
				c, other := transferred(w)
				since := w.cursor()
				w.expectMatches(other, c.student.SSID, w.view(other, c.student.SSID), since, "A day after the student joined the LEA")
			})

		ConformanceIt("enrollment-privacy/transfer-out-at-once",
			"A vendor MUST stop showing a student's reports at the LEA the student left from the first page view after the service stops listing them, minutes after it showed them, not once its links expire.",
			func(ctx SpecContext) {
				w := newCountyWorld(ctx, scenario2018)
				c := w.find(withHistory)
				other := w.otherLEA(c.lea)
				w.advanceTo(c.pending(inYear("2018-19"))[0].ReleasedAt.Add(time.Hour))
				w.connect(c.lea)
				since := w.cursor()
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, "Before the transfer")
				w.advance(time.Minute)
				_, err := w.h.api.Transfer(w.ctx, w.sb.ID, c.student.SSID, other)
				w.controlErr(err, "transferring student "+c.student.SSID)
				w.advance(time.Minute)
				since = w.cursor()
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since,
					fmt.Sprintf("A minute after the student left for LEA %s", other))
			})

		ConformanceIt("enrollment-privacy/transfer-in-after-not-found",
			"A vendor MUST show a student's reports at an LEA from the first page view after the student joins it, even when the page said \"not found\" before: student_not_found is no reason to stop asking.",
			func(ctx SpecContext) {
				w := newCountyWorld(ctx, scenario2018)
				c := w.find(withReports)
				other := w.otherLEA(c.lea)
				w.connect(other)
				since := w.cursor()
				w.expectMatches(other, c.student.SSID, w.view(other, c.student.SSID), since, "Before the student joined the LEA")
				w.advance(time.Minute)
				_, err := w.h.api.Transfer(w.ctx, w.sb.ID, c.student.SSID, other)
				w.controlErr(err, "transferring student "+c.student.SSID)
				w.advance(time.Minute)
				since = w.cursor()
				w.expectMatches(other, c.student.SSID, w.view(other, c.student.SSID), since, "A minute after the student joined the LEA")
			})

		ConformanceIt("enrollment-privacy/moved-on-not-found",
			"A vendor MUST stop showing a student's reports at an LEA from the first page view after the service no longer lists the student there (student_not_found), e.g. after the student moved on.",
			func(ctx SpecContext) {
				w := newCountyWorld(ctx, scenario2018)
				c := w.find(withReports)
				other := w.otherLEA(c.lea)
				w.connect(other)
				_, err := w.h.api.Transfer(w.ctx, w.sb.ID, c.student.SSID, other)
				w.controlErr(err, "transferring student "+c.student.SSID)
				w.advance(24 * time.Hour)
				since := w.cursor()
				w.expectMatches(other, c.student.SSID, w.view(other, c.student.SSID), since, "A day after the student joined the LEA")
				_, err = w.h.api.Transfer(w.ctx, w.sb.ID, c.student.SSID, c.lea)
				w.controlErr(err, "transferring student "+c.student.SSID+" back")
				w.advance(24 * time.Hour)
				since = w.cursor()
				w.expectMatches(other, c.student.SSID, w.view(other, c.student.SSID), since,
					fmt.Sprintf("A day after the student went back to LEA %s, never having tested at LEA %s", c.lea, other))
			})
	})
})

// transferred sets up a student with historical and 2018-19 reports who is seen at their LEA,
// then transfers to another LEA; a day passes (the next enrollment feed). It returns the
// student at the old LEA, and the new LEA.
func transferred(w *world) (candidate, string) {
	c := w.find(withHistory)
	other := w.otherLEA(c.lea)
	w.advanceTo(c.pending(inYear("2018-19"))[0].ReleasedAt.Add(time.Hour))
	w.connect(c.lea)
	w.connect(other)
	since := w.cursor()
	w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, "Before the transfer")
	_, err := w.h.api.Transfer(w.ctx, w.sb.ID, c.student.SSID, other)
	w.controlErr(err, "transferring student "+c.student.SSID)
	w.advance(24 * time.Hour)
	return c, other
}

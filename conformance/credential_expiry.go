package conformance

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
	"github.com/ssrmock/ssrmock/conformance/driver"
)

// scenario2025 is the 2025-26 scenario, whose pairs last 365 days.
const scenario2025 = "2025-26"

var _ = Describe("credential expiry", Label(AreaCredentialExpiry), func() {
	When("the pair is about to expire", func() {
		ConformanceIt("credential-expiry/valid-until-expiry",
			"A vendor MUST keep showing reports with a pair until the moment it expires (90 days after generation in 2018-19).",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(withReports)
				cr := w.connect(c.lea)
				w.view(c.lea, c.student.SSID)
				w.advanceTo(cr.ExpiresAt.Add(-time.Hour))
				since := w.cursor()
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, "An hour before the pair expired")
			})

		ConformanceIt("credential-expiry/year-long-pair",
			"A vendor MUST keep using a 2025-26 pair for its whole 365 days, not only for 90.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2025)
				c := w.find(need{what: "enrolled with a visible report", roster: controlapi.RosterFilter{SchoolYear: "2024-25"},
					match: func(c candidate) bool { return c.visibleCount(nil) > 0 }})
				cr := w.connect(c.lea)
				w.view(c.lea, c.student.SSID)
				w.advanceTo(cr.GeneratedAt.Add(200 * 24 * time.Hour))
				since := w.cursor()
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, "200 days after the LEA generated its 2025-26 pair")
			})
	})

	When("the pair has expired", func() {
		ConformanceIt("credential-expiry/expired-is-auth-error",
			"A vendor MUST show an authentication error once the LEA's pair has expired, and MUST NOT keep retrying the expired pair.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(withReports)
				cr := w.connect(c.lea)
				w.view(c.lea, c.student.SSID)
				w.advanceTo(cr.ExpiresAt.Add(time.Hour))
				for i := range 2 {
					since := w.cursor()
					v := w.view(c.lea, c.student.SSID)
					w.expectOutcome(v, driver.AuthError, fmt.Sprintf("After the pair expired, on page view %d", i+1),
						"the pair expired and the LEA must generate a new one", since)
					entries := w.journal(since)
					if tries := count(entries, controlapi.RouteToken, nil); len(tries) > 2 {
						violation(fmt.Sprintf("sent the expired pair %d times for one page view", len(tries)),
							"stopped after the 401 credentials_expired (one retry at most)", entries)
					}
				}
			})

		ConformanceIt("credential-expiry/renewed-pair",
			"A vendor MUST resume showing reports with the new pair the LEA generates after the old one expired.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(withReports)
				cr := w.connect(c.lea)
				w.view(c.lea, c.student.SSID)
				w.advanceTo(cr.ExpiresAt.Add(time.Hour))
				w.view(c.lea, c.student.SSID)
				w.advance(time.Hour)
				w.connect(c.lea)
				since := w.cursor()
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, "Once the LEA entered the pair it generated after the old one expired")
			})
	})
})

package conformance

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
	"github.com/ssrmock/ssrmock/conformance/driver"
)

var _ = Describe("resilience of the token endpoint", Label(AreaResilience), func() {
	When("the token endpoint is slow", func() {
		ConformanceIt("resilience/slow-token-endpoint",
			"A vendor MUST time out a token request the service holds back: the page view MUST end within 4 seconds (with the reports, or \"unavailable\"), and show the reports once the service is fast again.",
			func(ctx SpecContext) {
				expectSlowRouteTimedOut(ctx, controlapi.RouteToken, "the token endpoint", "the token request")
			})
	})

	When("the token endpoint fails", func() {
		ConformanceIt("resilience/failing-token-endpoint",
			"A vendor MUST treat a token request that fails (a 5xx answer, a dropped connection) as \"unavailable\", not as rejected credentials: it MUST show the reports once the service is well again, without the LEA entering its pair again.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(withReports)
				w.connect(c.lea)
				w.addFault(controlapi.Fault{Route: controlapi.RouteToken, Status: 500, Code: "internal", From: w.now, Until: w.now.Add(10 * time.Minute)})
				since := w.cursor()
				v := w.view(c.lea, c.student.SSID)
				w.expectOutcome(v, driver.Unavailable, "While the token endpoint answered 500",
					"the service failed; the LEA's pair was not rejected", since)
				if tries := count(w.journal(since), controlapi.RouteToken, nil); len(tries) > 3 {
					violation(fmt.Sprintf("sent %d token requests for one page view while the token endpoint answered 500", len(tries)),
						"retried at most twice, with a backoff, and then told the parent the service is unavailable", w.journal(since))
				}
				w.advance(11 * time.Minute)
				since = w.cursor()
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, "A minute after the token endpoint recovered")

				// Later the token expires, and the connection of the next token request drops.
				w.advance(2 * time.Hour)
				w.addFault(controlapi.Fault{Route: controlapi.RouteToken, Drop: true, Count: 1})
				since = w.cursor()
				w.expectUnavailableOrMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, "Two hours later, when the service dropped the token request's connection")
				w.advance(time.Minute)
				since = w.cursor()
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, "A minute after the dropped token request")
			})
	})
})

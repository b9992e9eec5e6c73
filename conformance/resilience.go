package conformance

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
	"github.com/ssrmock/ssrmock/conformance/driver"
	"github.com/ssrmock/ssrmock/findings"
)

// slowDelay is how long the service holds back a slow response, in real time: long enough
// that a careful vendor gives up on it first, short enough to keep the suite fast. A vendor's
// page view must end before it.
const slowDelay = 4 * time.Second

// maintenanceWindow is the Retry-After of the maintenance specs, in sandbox time.
const maintenanceWindow = 10 * time.Minute

var _ = Describe("resilience", Label(AreaResilience), func() {
	When("the service is down for maintenance", func() {
		ConformanceIt("resilience/maintenance-is-unavailable",
			"A vendor MUST tell the parent the service is temporarily unavailable during a 503 maintenance window, not that the student has no reports.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(withReports)
				w.connect(c.lea)
				w.maintenance()
				since := w.cursor()
				v := w.view(c.lea, c.student.SSID)
				w.expectOutcome(v, driver.Unavailable, "During a maintenance window",
					"every request was answered 503 maintenance with Retry-After", since)
			})

		ConformanceIt("resilience/retry-after-503",
			"A vendor MUST NOT send more than one further request before the Retry-After time of a 503 maintenance answer has passed.",
			func(ctx SpecContext) {
				viewsDuringMaintenance(ctx, 1)
			})

		ConformanceIt("resilience/quiet-until-retry-after",
			"A vendor SHOULD send no request at all until the Retry-After time of a 503 maintenance answer has passed.",
			RecommendedSpec,
			func(ctx SpecContext) {
				viewsDuringMaintenance(ctx, 0)
			})

		ConformanceIt("resilience/recover-after-maintenance",
			"A vendor MUST show the reports again once the maintenance window is over.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				w.needClock()
				c := w.find(withReports)
				w.connect(c.lea)
				w.maintenance()
				w.view(c.lea, c.student.SSID)
				w.advance(maintenanceWindow + time.Minute)
				since := w.cursor()
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, "A minute after the maintenance window ended")
			})
	})

	When("the service rate-limits the vendor", func() {
		ConformanceIt("resilience/retry-after-429",
			"A vendor MUST NOT send more than one further request before the Retry-After time of a 429 answer has passed, and MUST show the reports after it.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(withReports)
				w.connect(c.lea)
				w.addFault(controlapi.Fault{Route: controlapi.RouteReports, Status: 429, Code: "rate_limited",
					RetryAfter: controlapi.Duration(time.Minute), Count: 1})
				since := w.cursor()
				for i := range 3 {
					v := w.view(c.lea, c.student.SSID)
					w.expectUnavailableOrMatches(c.lea, c.student.SSID, v, since, fmt.Sprintf("While rate-limited, on page view %d", i+1))
				}
				w.expectRetryAfterHonored(since, 429, 1, "3 page views")
				if w.h.has(driver.CapClock) {
					w.advance(2 * time.Minute)
					since = w.cursor()
					w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, "Two minutes after the 429")
				}
			})
	})

	When("the service fails with a server error", func() {
		ConformanceIt("resilience/server-error-backoff",
			"A vendor MUST NOT hammer a failing service: at most two retries of a server error per page view, then \"unavailable\".",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(withReports)
				w.connect(c.lea)
				w.addFault(controlapi.Fault{Route: controlapi.RouteReports, Status: 500, Code: "internal", From: w.now, Until: w.now.Add(time.Hour)})
				since := w.cursor()
				v := w.view(c.lea, c.student.SSID)
				w.expectOutcome(v, driver.Unavailable, "While the service answered 500 to every report request",
					"the service failed; the parent should come back later", since)
				entries := w.journal(since)
				if tries := count(entries, controlapi.RouteReports, nil); len(tries) > 3 {
					violation(fmt.Sprintf("sent %d report requests for one page view while the service answered 500", len(tries)),
						"retried at most twice, with a backoff, and then told the parent the service is unavailable", entries)
				}
			})
	})

	When("the service is slow or drops connections", func() {
		ConformanceIt("resilience/slow-response",
			"A vendor MUST time out a response the service holds back: the page view MUST end within 4 seconds (with the reports, or \"unavailable\"), and show the reports once the service is fast again.",
			func(ctx SpecContext) {
				expectSlowRouteTimedOut(ctx, controlapi.RouteReports, "the service", "the report listing")
			})

		ConformanceIt("resilience/dropped-connection",
			"A vendor MUST answer the parent (with the reports, or \"unavailable\") when the service drops a connection, and show the reports on the next page view.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(withReports)
				w.connect(c.lea)
				w.addFault(controlapi.Fault{Route: controlapi.RouteReports, Drop: true, Count: 1})
				since := w.cursor()
				v := w.view(c.lea, c.student.SSID)
				w.expectUnavailableOrMatches(c.lea, c.student.SSID, v, since, "When the service dropped the connection")
				w.advance(time.Minute)
				since = w.cursor()
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, "A minute later, with the service well again")
			})

		ConformanceIt("resilience/truncated-download",
			"A vendor that serves the PDF itself MUST NOT serve a download the service cut short.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				a := w.find(withReports)
				b := w.findAnother(a.lea, a.student.SSID, withReports)
				w.connect(a.lea)
				first := w.view(a.lea, a.student.SSID)
				for _, r := range first.Reports {
					if r.URL != "" {
						Skip("the vendor hands parents links, and the parent's browser downloads the PDF")
					}
				}
				w.addFault(controlapi.Fault{Route: controlapi.RoutePDF, Truncate: true, Count: 1})
				since := w.cursor()
				v := w.view(a.lea, b.student.SSID)
				w.expectUnavailableOrMatches(a.lea, b.student.SSID, v, since, "When the service cut a PDF download short")
			})
	})
})

// maintenance puts the whole vendor API into a 503 maintenance window from now on.
func (w *world) maintenance() {
	w.addFault(controlapi.Fault{Route: controlapi.RouteAll, Status: 503, Code: "maintenance",
		RetryAfter: controlapi.Duration(maintenanceWindow), From: w.now, Until: w.now.Add(maintenanceWindow)})
}

func (w *world) addFault(f controlapi.Fault) {
	_, err := w.h.api.AddFault(w.ctx, w.sb.ID, f)
	w.controlErr(err, "scheduling a fault")
}

// needClock skips the spec when the driver cannot follow sandbox time: it could not know that
// a Retry-After time has passed.
func (w *world) needClock() {
	if !w.h.has(driver.CapClock) {
		Skip("the driver lacks the \"clock\" capability, so it cannot tell that sandbox time moved on")
	}
}

// expectUnavailableOrMatches accepts "unavailable" with no report, or exactly the right reports.
func (w *world) expectUnavailableOrMatches(lea, ssid string, v driver.View, since int64, context string) {
	if v.Outcome == driver.Unavailable && len(v.Reports) == 0 {
		return
	}
	w.expectMatches(lea, ssid, v, since, context)
}

// expectRetryAfterHonored checks that after the first answer with status (503 or 429) the
// vendor sent at most allowed further requests; the clock has not moved since, so they all fell
// inside the Retry-After time.
func (w *world) expectRetryAfterHonored(since int64, status, allowed int, views string) {
	entries := w.journal(since)
	watch := findings.RetryAfterWatch{Status: status}
	for _, e := range entries {
		watch.Observe(e.Finding())
	}
	opener, opened := watch.Opened()
	if !opened {
		return
	}
	if extra := watch.Early(); extra > allowed {
		violation(fmt.Sprintf("sent %d more request(s) over %s after a %d answer with Retry-After %s, while no sandbox time passed",
			extra, views, status, opener.RetryAfter),
			fmt.Sprintf("waited until the Retry-After time had passed (at most %d request(s) before it)", allowed), entries)
	}
}

// viewsDuringMaintenance opens a student's page three times during a maintenance window and
// checks that at most allowed further requests went out before Retry-After had passed.
func viewsDuringMaintenance(ctx SpecContext, allowed int) {
	w := newWorld(ctx, scenario2018)
	c := w.find(withReports)
	w.connect(c.lea)
	w.maintenance()
	since := w.cursor()
	for range 3 {
		w.view(c.lea, c.student.SSID)
	}
	w.expectRetryAfterHonored(since, 503, allowed, "3 page views")
}

// expectSlowRouteTimedOut holds back one answer on route by slowDelay and checks that the page
// view still ends before the delay does (with the reports, or "unavailable"), then that the
// reports show once the route is fast again. who and what name the route in messages.
func expectSlowRouteTimedOut(ctx SpecContext, route, who, what string) {
	w := newWorld(ctx, scenario2018)
	c := w.find(withReports)
	w.connect(c.lea)
	w.addFault(controlapi.Fault{Route: route, Delay: controlapi.Duration(slowDelay), Count: 1})
	since := w.cursor()
	start := time.Now()
	v := w.view(c.lea, c.student.SSID)
	if took := time.Since(start); took >= slowDelay {
		violation(fmt.Sprintf("kept the parent waiting %s while %s held its answer back %s", took.Round(100*time.Millisecond), who, slowDelay),
			fmt.Sprintf("given up on the request before %s (a timeout of a few seconds on every request, the token's included) and answered the parent", slowDelay), w.journal(since))
	}
	w.expectUnavailableOrMatches(c.lea, c.student.SSID, v, since, fmt.Sprintf("When %s took %s", what, slowDelay))
	w.advance(time.Minute)
	since = w.cursor()
	w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, fmt.Sprintf("A minute later, with %s fast again", who))
}

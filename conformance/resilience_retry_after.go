package conformance

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
	"github.com/ssrmock/ssrmock/findings"
)

// partwayWindow is the Retry-After of the partway spec: long enough to stop the clock inside.
const partwayWindow = 10 * time.Minute

var _ = Describe("resilience inside a Retry-After window", Label(AreaResilience), func() {
	When("time moves part-way into a Retry-After", func() {
		ConformanceIt("resilience/retry-after-partway",
			"A vendor MUST NOT send more than one further request through an LEA's pair before the Retry-After time of a 429 or 503 answer (sandbox time, from the answer's Date) has passed, however the clock moves inside it, and MUST show the reports on the first page view after it.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				w.needClock()
				c := w.find(withReports)
				w.connect(c.lea)
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), w.cursor(), "Before the service pushed back")
				for _, push := range []struct {
					what   string
					fault  controlapi.Fault
					window bool
				}{
					{"a 429 on a listing", controlapi.Fault{Route: controlapi.RouteReports, Status: 429, Code: "rate_limited", RetryAfter: controlapi.Duration(partwayWindow), Count: 1}, false},
					{"a 503 maintenance window", controlapi.Fault{Route: controlapi.RouteAll, Status: 503, Code: "maintenance", RetryAfter: controlapi.Duration(partwayWindow)}, true},
				} {
					w.advance(time.Minute)
					if push.window {
						push.fault.From, push.fault.Until = w.now, w.now.Add(partwayWindow)
					}
					w.addFault(push.fault)
					since := w.cursor()
					start := w.now
					for _, step := range []time.Duration{0, 4 * time.Minute, 5 * time.Minute} {
						w.advance(step)
						w.expectUnavailableOrMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since,
							fmt.Sprintf("%s into %s with Retry-After %s", w.now.Sub(start), push.what, partwayWindow))
					}
					end := w.expectQuietUntil(since, push.what)
					w.advanceTo(end.Add(time.Second))
					after := w.cursor()
					w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), after,
						fmt.Sprintf("A second after the Retry-After of %s had passed", push.what))
				}
			})
	})
})

// expectQuietUntil checks that after the first 429 or 503 with Retry-After since cursor, at most
// one further request went out before its time, counted in sandbox time. It returns when the
// last Retry-After the vendor was given ends.
func (w *world) expectQuietUntil(since int64, what string) time.Time {
	entries := w.journal(since)
	var end time.Time
	for _, e := range entries {
		if (e.Status == 429 || e.Status == 503) && e.RetryAfter > 0 {
			if until := e.At.Add(time.Duration(e.RetryAfter)); until.After(end) {
				end = until
			}
		}
	}
	// The first window only: what follows it is judged by the next page views.
	var watch findings.RetryAfterWatch
	for _, e := range entries {
		if watch.Closed() {
			break
		}
		watch.Observe(e.Finding())
	}
	opener, opened := watch.Opened()
	if !opened {
		return w.now
	}
	if early := watch.Early(); early > findings.RetryAfterAllowed {
		violation(fmt.Sprintf("sent %d request(s) after %s with Retry-After %s, before that time (%s) had passed on the service's clock",
			early, what, opener.RetryAfter, watch.Until().Format("15:04:05 MST")),
			"stayed quiet until the Retry-After time, counted from the answer's Date in sandbox time (at most one request before it)", entries)
	}
	return end
}

package conformance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
	"github.com/ssrmock/ssrmock/conformance/driver"
)

// scenario2018 is the default scenario: 2018-19 from 11 February 2019.
const scenario2018 = "2018-19"

var _ = Describe("authentication", Label(AreaAuthentication), func() {
	When("the LEA's pair is valid", func() {
		ConformanceIt("authentication/token-then-bearer",
			"A vendor MUST exchange the LEA's User Name and Secret Key for a token at /api/v1/token and send that token as a Bearer token on every report request.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(withReports)
				w.connect(c.lea)
				since := w.cursor()
				v := w.view(c.lea, c.student.SSID)
				w.expectMatches(c.lea, c.student.SSID, v, since, "After the LEA entered its pair")
				entries := w.journal(since)
				tokens := count(entries, controlapi.RouteToken, func(e controlapi.Entry) bool { return e.Status == 200 && e.Credential == "current" })
				reports := count(entries, controlapi.RouteReports, nil)
				if len(tokens) == 0 || len(reports) == 0 {
					violation("did not both obtain a token and list the student's reports",
						"POSTed the pair to /api/v1/token, then listed the reports with the token as a Bearer token", entries)
				}
				bad := count(entries, controlapi.RouteReports, func(e controlapi.Entry) bool { return e.TokenState != "valid" })
				if len(bad) > 0 {
					violation(fmt.Sprintf("sent %d report request(s) without a valid Bearer token", len(bad)),
						"sent the token from /api/v1/token as \"Authorization: Bearer <token>\" on every report request", entries)
				}
			})

		ConformanceIt("authentication/no-secret-in-url",
			"A vendor MUST NOT put credential material (the Secret Key or a token) in any URL it sends, under any parameter name, as a name or in the path: the pair belongs in the token request's body, the token in the Authorization header.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(withReports)
				w.connect(c.lea)
				// A first token, a renewal after expiry, a renewal after a refused token and a
				// regenerated pair: every request is judged when the spec ends.
				w.view(c.lea, c.student.SSID)
				w.advance(2 * time.Hour)
				w.view(c.lea, c.student.SSID)
				w.addFault(controlapi.Fault{Route: controlapi.RouteReports, Status: 401, Code: "invalid_token", Count: 1})
				w.view(c.lea, c.student.SSID)
				w.connect(c.lea)
				w.view(c.lea, c.student.SSID)
				w.expectNoCredentialInURLs(ctx, w.sb.ID)
			})

		ConformanceIt("authentication/reuse-token",
			"A vendor SHOULD reuse a valid token for later page views instead of asking for a new one each time.",
			RecommendedSpec,
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(withReports)
				w.connect(c.lea)
				since := w.cursor()
				for range 3 {
					w.view(c.lea, c.student.SSID)
					w.advance(time.Minute)
				}
				entries := w.journal(since)
				if tokens := count(entries, controlapi.RouteToken, nil); len(tokens) > 1 {
					violation(fmt.Sprintf("asked for %d tokens for 3 page views within 3 minutes", len(tokens)),
						"asked once and reused the token until it expired (expires_in)", entries)
				}
			})

		ConformanceIt("authentication/renew-expired-token",
			"A vendor MUST get a new token when its token expires, without showing the parent an error and without retrying the expired token.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(withReports)
				w.connect(c.lea)
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), w.cursor(), "At first")
				w.advance(2 * time.Hour)
				since := w.cursor()
				v := w.view(c.lea, c.student.SSID)
				w.expectMatches(c.lea, c.student.SSID, v, since, "Two hours later, once its token had expired")
				entries := w.journal(since)
				if stale := count(entries, controlapi.RouteReports, func(e controlapi.Entry) bool { return e.TokenState == "expired" }); len(stale) > 1 {
					violation(fmt.Sprintf("sent an expired token %d times", len(stale)),
						"asked /api/v1/token for a new token after the first 401 token_expired (or before, from expires_in)", entries)
				}
			})
	})

	When("the service refuses a token mid-session", func() {
		ConformanceIt("authentication/renew-once-on-401",
			"A vendor MUST answer a 401 on a listing by getting a new token once and retrying once, showing the reports when that works, and MUST NOT retry further when the retry is refused too.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(withReports)
				w.connect(c.lea)
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), w.cursor(), "At first")
				w.advance(time.Minute)
				w.addFault(controlapi.Fault{Route: controlapi.RouteReports, Status: 401, Code: "invalid_token", Count: 1})
				since := w.cursor()
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, "A minute later, when the service refused the token once (401 invalid_token)")
				entries := w.journal(since)
				refused := slices.IndexFunc(entries, func(e controlapi.Entry) bool { return e.Status == 401 })
				if refused >= 0 {
					after := entries[refused+1:]
					renewals := count(after, controlapi.RouteToken, nil)
					retries := count(after, controlapi.RouteReports, nil)
					if len(renewals) != 1 || len(retries) != 1 || renewals[0].Seq > retries[0].Seq {
						violation(fmt.Sprintf("answered a 401 on the listing with %d token request(s) and %d further listing(s)", len(renewals), len(retries)),
							"asked /api/v1/token for a new token once, then listed once more with it: a refused token is dead, retrying it is pointless", entries)
					}
				}

				w.advance(time.Minute)
				w.addFault(controlapi.Fault{Route: controlapi.RouteReports, Status: 401, Code: "invalid_token", From: w.now, Until: w.now.Add(time.Hour)})
				since = w.cursor()
				v := w.view(c.lea, c.student.SSID)
				if (v.Outcome != driver.AuthError && v.Outcome != driver.Unavailable) || len(v.Reports) > 0 {
					violation(fmt.Sprintf("while every listing was refused with 401, the page showed %s", describeView(v)),
						"shown \"auth_error\" (or \"unavailable\") and no report", w.journal(since))
				}
				entries = w.journal(since)
				if tokens, lists := count(entries, controlapi.RouteToken, nil), count(entries, controlapi.RouteReports, nil); len(tokens) > 1 || len(lists) > 2 {
					violation(fmt.Sprintf("sent %d token request(s) and %d listing(s) for one page view while every listing was refused with 401", len(tokens), len(lists)),
						"renewed the token once and retried once, then stopped", entries)
				}
			})
	})

	When("the LEA's admin entered a wrong Secret Key", func() {
		ConformanceIt("authentication/no-retry-loop",
			"A vendor MUST show an authentication error when its pair is rejected with 401, MUST NOT retry it in a loop, and MUST recover once the LEA enters the right pair.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(withReports)
				good := w.generate(c.lea, controlapi.CoordinatorCAASPP)
				bad := good
				bad.SecretKey = wrongSecret(good.SecretKey)
				w.configure(c.lea, bad)
				for i := range 3 {
					since := w.cursor()
					v := w.view(c.lea, c.student.SSID)
					w.expectOutcome(v, driver.AuthError, fmt.Sprintf("With a wrong Secret Key, on page view %d", i+1),
						"the LEA's credentials were rejected, which the LEA must fix", since)
					entries := w.journal(since)
					if tries := count(entries, controlapi.RouteToken, nil); len(tries) > 2 {
						violation(fmt.Sprintf("sent the rejected pair %d times for one page view", len(tries)),
							"stopped after the 401 invalid_credentials (one retry at most) and reported an authentication error", entries)
					}
				}
				w.configure(c.lea, good)
				since := w.cursor()
				w.expectMatches(c.lea, c.student.SSID, w.view(c.lea, c.student.SSID), since, "Once the LEA entered the right pair")
			})

		ConformanceIt("authentication/remember-rejected-pair",
			"A vendor MUST NOT send a rejected pair again on later page views: it MUST wait until the LEA enters new credentials.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(withReports)
				cr := w.generate(c.lea, controlapi.CoordinatorCAASPP)
				cr.SecretKey = wrongSecret(cr.SecretKey)
				w.configure(c.lea, cr)
				since := w.cursor()
				for range 3 {
					w.view(c.lea, c.student.SSID)
					w.advance(time.Minute)
				}
				entries := w.journal(since)
				if tries := count(entries, controlapi.RouteToken, nil); len(tries) > 1 {
					violation(fmt.Sprintf("sent the rejected pair %d times over 3 page views", len(tries)),
						"remembered the 401 invalid_credentials and asked the LEA for new credentials instead", entries)
				}
			})
	})
})

// wrongSecret returns a Secret Key of the same length and alphabet that is not secret.
func wrongSecret(secret string) string {
	if secret == "" {
		return "XXXXXXXXXXXXXXXXXXXX"
	}
	b := []byte(secret)
	for i := range b {
		switch {
		case b[i] >= 'a' && b[i] < 'z', b[i] >= 'A' && b[i] < 'Z', b[i] >= '0' && b[i] < '9':
			b[i]++
		default:
			b[i] = 'a'
		}
	}
	out := string(b)
	if strings.EqualFold(out, secret) {
		return "X" + secret[1:]
	}
	return out
}

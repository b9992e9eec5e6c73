package conformance

import (
	"fmt"
	"net/url"
	"strings"
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
			"A vendor MUST NOT put the LEA's Secret Key in a link it hands the parent.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2018)
				c := w.find(withReports)
				cr := w.connect(c.lea)
				since := w.cursor()
				v := w.view(c.lea, c.student.SSID)
				for _, r := range v.Reports {
					if leaks(r.URL, cr.SecretKey) {
						violation(fmt.Sprintf("handed the parent a link to %s that carries the LEA's Secret Key: %s", keyOfView(r), redact(r.URL, cr.SecretKey)),
							"handed out the signed link the service listed (or its own link) without the Secret Key", w.journal(since))
					}
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

// leaks reports whether link carries secret, as is or URL-encoded.
func leaks(link, secret string) bool {
	if link == "" || secret == "" {
		return false
	}
	return strings.Contains(link, secret) || strings.Contains(link, url.QueryEscape(secret)) || strings.Contains(link, url.PathEscape(secret))
}

func redact(link, secret string) string {
	for _, s := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret)} {
		link = strings.ReplaceAll(link, s, "<SECRET>")
	}
	return link
}

package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestFormatModule runs the page's pure helpers (js/format.js) in Chromium: dates in the
// sandbox's Pacific calendar, the portal's messages, the search and the fault bodies.
func TestFormatModule(t *testing.T) {
	srv := newServer(t)
	b := newBrowser(t, srv.URL)
	b.do("open the page", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)))
	tests := []struct {
		name, expr, want string
	}{
		{"winter offset", `m.pacificToISO('2019-02-11', '08:00')`, `"2019-02-11T08:00:00-08:00"`},
		{"summer offset", `m.pacificToISO('2019-05-15', '03:00')`, `"2019-05-15T03:00:00-07:00"`},
		{"first hour of summer time", `m.pacificToISO('2019-03-10', '03:30')`, `"2019-03-10T03:30:00-07:00"`},
		{"first day of winter time", `m.pacificToISO('2019-11-03', '12:00')`, `"2019-11-03T12:00:00-08:00"`},
		{"no date", `m.pacificToISO('', '08:00')`, `""`},
		{"date input parts", `m.pacificParts('2019-07-01T10:00:00Z')`, `{"date":"2019-07-01","time":"03:00"}`},
		{"date", `m.formatDate('2019-05-12T09:00:00-07:00')`, `"May 12, 2019"`},
		{"date late at night", `m.formatDate('2019-05-13T06:30:00Z')`, `"May 12, 2019"`},
		{"time", `m.formatTime('2019-02-11T08:00:00-08:00')`, `"Mon, Feb 11, 2019, 8:00 AM PST"`},
		{"days", `m.daysBetween('2019-05-01T09:00:00-07:00', '2019-05-12T09:00:00-07:00')`, `11`},
		{"superseded pair", `m.portalMessage({code: 'invalid_credentials'}, {workedBefore: true})`, `"The credentials were regenerated in TOMS; paste the new pair in settings."`},
		{"superseded pair seen in TOMS", `m.portalMessage({code: 'invalid_credentials'}, {superseded: true})`, `"The credentials were regenerated in TOMS; paste the new pair in settings."`},
		{"mistyped pair", `m.portalMessage({code: 'invalid_credentials'}, {})`, `"The User Name or Secret Key is not valid: check the pair in settings."`},
		{"maintenance", `m.portalMessage({code: 'maintenance', status: 503, retryAfter: 30})`, `"The score report service is down for maintenance. Try again in 30 seconds."`},
		{"rate limit", `m.portalMessage({code: 'rate_limited', status: 429, retryAfter: 1})`, `"The score report service is receiving too many requests. Try again in 1 second."`},
		{"unknown 5xx", `m.portalMessage({code: 'http_502', status: 502})`, `"The score report service had a problem (502). Try again later."`},
		{"name words in any order", `m.matchStudent({ssid: '1234567890', firstName: 'Ana', lastName: 'López'}, 'lópez an')`, `true`},
		{"ssid prefix", `m.matchStudent({ssid: '1234567890', firstName: 'Ana', lastName: 'Lopez'}, '12345')`, `true`},
		{"no match", `m.matchStudent({ssid: '1234567890', firstName: 'Ana', lastName: 'Lopez'}, 'bob')`, `false`},
		{"empty query", `m.matchStudent({ssid: '1234567890', firstName: 'Ana', lastName: 'Lopez'}, '  ')`, `false`},
		{"groups newest year first, one language", `m.groupReports([
			{id: 'a.en', language: 'en', schoolYear: '2016-17', assessment: 'smarter-balanced'},
			{id: 'b.en', language: 'en', schoolYear: '2018-19', assessment: 'summative-elpac'},
			{id: 'b.es', language: 'es', schoolYear: '2018-19', assessment: 'summative-elpac'},
			{id: 'c.en', language: 'en', schoolYear: '2018-19', assessment: 'cast'}], 'en').map(g => [g.schoolYear, g.reports.map(r => r.id)])`,
			`[["2018-19",["c.en","b.en"]],["2016-17",["a.en"]]]`},
		{"one row per report: the HTML page rides on its PDF", `m.groupReports([
			{id: 'a.en', language: 'en', format: 'pdf', schoolYear: '2025-26', assessment: 'cast'},
			{id: 'a.en.html', language: 'en', format: 'html', schoolYear: '2025-26', assessment: 'cast'}], 'en').map(g => g.reports.map(r => r.id))`,
			`[["a.en"]]`},
		{"languages, English first", `m.reportLanguages([{language: 'vi'}, {language: 'es'}, {language: 'en'}, {language: 'es'}])`, `["en","es","vi"]`},
		{"next release", `m.nextRelease({reports: [
			{released: true, releasedAt: '2018-07-01T03:00:00-07:00', assessment: 'smarter-balanced', schoolYear: '2017-18'},
			{released: false, releasedAt: '2019-11-21T03:00:00-08:00', assessment: 'cast', schoolYear: '2018-19'},
			{released: false, releasedAt: '2019-07-08T03:00:00-07:00', assessment: 'smarter-balanced', schoolYear: '2018-19'}]})`,
			`{"releasedAt":"2019-07-08T03:00:00-07:00","assessment":"smarter-balanced","schoolYear":"2018-19"}`},
		{"nothing left to release", `m.nextRelease({reports: [{released: true, releasedAt: '2018-07-01T03:00:00-07:00'}]})`, `null`},
		{"maintenance fault", `m.faultBody('maintenance', 'reports', {retryAfter: 30, count: 1})`, `{"route":"reports","status":503,"code":"maintenance","retryAfter":"30s","count":1}`},
		{"slow fault until removed", `m.faultBody('slow', '*', {delay: 3})`, `{"route":"*","delay":"3s"}`},
		{"fault described", `m.describeFault({route: 'token', status: 429, code: 'rate_limited', retryAfter: '1m0s', count: 2, remaining: 1, hits: 1})`, `"429 rate_limited, Retry-After 1m0s on route token, 1 of 2 left; hit 1 time"`},
		{"spent fault", `m.describeFault({route: 'pdf', drop: true, count: 1, hits: 1})`, `"drop the connection on route pdf, 0 of 1 left; hit 1 time"`},
		{"language names", `[m.languageName('es'), m.languageName('en'), m.languageName('xx')]`, `["Spanish (Español)","English","xx"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`import('/js/format.js').then(m => JSON.stringify(`+tt.expr+`))`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("%s: %v", tt.expr, err)
			}
			if s != tt.want {
				t.Errorf("%s\n got %s\nwant %s", tt.expr, s, tt.want)
			}
		})
	}
}

package server

import (
	"net/http"
	"testing"
	"time"

	"github.com/ssrmock/ssrmock/fixtures"
)

// TestStoryOfTheSeeds walks the 2018-19 rollout the seed documents describe: credentials
// generated on February 11, 2019 with historical CAASPP reports already there; a
// regeneration that kills the old pair and its tokens; the first Summative ELPAC reports on
// May 15; a link that expires; CAST and CSA in late fall.
func TestStoryOfTheSeeds(t *testing.T) {
	e := newTestEnv(t)
	sbx := e.newSandbox(map[string]any{"seed": 2019, "scale": "county"}).ID
	lea := e.firstLEA(sbx).CDS
	pt := fixtures.Pacific
	api := func(tok, ssid string) reportList { t.Helper(); return e.list(tok, ssid) }
	years := func(l reportList, family string) map[string]int {
		out := map[string]int{}
		for _, r := range l.Reports {
			if family == "" || r.Assessment == family {
				out[r.SchoolYear]++
			}
		}
		return out
	}
	pick := func(family, year string) string {
		t.Helper()
		var page rosterPage
		e.mustDo("GET", "/control/v1/sandboxes/"+sbx+"/leas/"+lea+"/students?limit=1&assessment="+family+"&schoolYear="+year, nil, http.StatusOK, &page)
		if len(page.Students) == 0 {
			t.Fatalf("no student of LEA %s has a %s report in %s", lea, family, year)
		}
		return page.Students[0].SSID
	}

	// February 11, 2019: credentialing opens.
	now := e.advance(sbx, map[string]any{"advance": "0s"}).Now
	if want := time.Date(2019, 2, 11, 8, 0, 0, 0, pt); !now.Equal(want) {
		t.Fatalf("the 2018-19 sandbox starts at %v, want %v", now, want)
	}
	first := e.generate(sbx, lea)
	tok := e.token(first)
	hist := pick("smarter-balanced", "2017-18")
	l := api(tok, hist)
	if y := years(l, ""); y["2017-18"] == 0 || y["2018-19"] != 0 {
		t.Fatalf("on Feb 11, 2019 the list by year is %v: want historical reports and none of 2018-19", y)
	}

	// Regenerate: the old pair and its token die at once.
	second := e.generate(sbx, lea)
	e.wantError("POST", "/api/v1/token", map[string]string{"username": first.Username, "secretKey": first.SecretKey}, http.StatusUnauthorized, CodeInvalidCredentials)
	e.wantError("GET", "/api/v1/students/"+hist+"/reports", nil, http.StatusUnauthorized, CodeInvalidToken, "Authorization", "Bearer "+tok)
	tok = e.token(second)
	api(tok, hist)

	// May 15, 2019: the first Summative ELPAC reports. Credentials generated in February have
	// lived their 90 days by then: TOMS says to regenerate.
	el := pick("summative-elpac", "2018-19")
	gt := e.truth(sbx, el, lea)
	var elpac truthReport
	for _, r := range gt.Reports {
		if r.Assessment == "summative-elpac" && r.SchoolYear == "2018-19" {
			elpac = r
		}
	}
	firstRelease := time.Date(2019, 5, 15, 3, 0, 0, 0, pt)
	if elpac.ReleasedAt.Before(firstRelease) {
		t.Fatalf("a 2018-19 Summative ELPAC report is released %v, before May 15, 2019", elpac.ReleasedAt)
	}
	e.advance(sbx, map[string]any{"to": elpac.ReleasedAt.Add(-time.Second).Format(time.RFC3339)})
	e.wantError("POST", "/api/v1/token", map[string]string{"username": second.Username, "secretKey": second.SecretKey}, http.StatusUnauthorized, CodeCredentialsExpired)
	third := e.generate(sbx, lea)
	tok = e.token(third)
	if n := years(api(tok, el), "summative-elpac")["2018-19"]; n != 0 {
		t.Fatalf("a second before its release, %d ELPAC reports are listed", n)
	}
	reply := e.advance(sbx, map[string]any{"advance": "1s"})
	released := false
	for _, r := range reply.Released {
		released = released || (r.SSID == el && r.Assessment == "summative-elpac")
	}
	if !released {
		t.Errorf("the clock reply %+v does not list the ELPAC report it released", reply.Released)
	}
	l = api(tok, el)
	if n := years(l, "summative-elpac")["2018-19"]; n == 0 {
		t.Fatal("at its release instant the ELPAC report is not listed")
	}

	// Links die after 30 minutes of sandbox time; a new listing gives a fresh one.
	link := l.Reports[len(l.Reports)-1].URL
	e.mustDo("GET", link, nil, http.StatusOK, nil)
	e.advance(sbx, map[string]any{"advance": "31m"})
	e.wantError("GET", link, nil, http.StatusForbidden, CodeLinkExpired)
	e.wantError("GET", "/api/v1/students/"+el+"/reports", nil, http.StatusUnauthorized, CodeTokenExpired, "Authorization", "Bearer "+tok)
	tok = e.token(third)
	fresh := api(tok, el).Reports
	e.mustDo("GET", fresh[len(fresh)-1].URL, nil, http.StatusOK, nil)

	// Late fall: CAST and CSA.
	for _, family := range []string{"cast", "csa"} {
		ssid := pick(family, "2018-19")
		var rep truthReport
		for _, r := range e.truth(sbx, ssid, lea).Reports {
			if r.Assessment == family {
				rep = r
			}
		}
		if rep.ReleasedAt.Before(time.Date(2019, 11, 1, 0, 0, 0, 0, pt)) {
			t.Errorf("%s is released %v, want late fall 2019", family, rep.ReleasedAt)
		}
		if e.advance(sbx, map[string]any{"advance": "0s"}).Now.Before(rep.ReleasedAt) {
			e.advance(sbx, map[string]any{"to": rep.ReleasedAt.Format(time.RFC3339)})
		}
		status, _, _ := e.do("POST", "/api/v1/token", map[string]string{"username": third.Username, "secretKey": third.SecretKey})
		if status != http.StatusOK {
			third = e.generate(sbx, lea)
		}
		tok = e.token(third)
		if n := years(api(tok, ssid), family)["2018-19"]; n == 0 {
			t.Errorf("at its release instant the %s report is not listed", family)
		}
	}
}

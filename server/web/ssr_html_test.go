package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/ssrmock/ssrmock/server"
)

// postJSON sends a JSON body and decodes the answer, which must have status want.
func postJSON(t *testing.T, url string, body, v any, want int) {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		t.Fatalf("POST %s: %d, want %d", url, resp.StatusCode, want)
	}
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
}

// htmlReports lists HTML report links of a 2025-26 tiny world through the vendor API: one
// per report family, and one in a language other than English.
func htmlReports(t *testing.T, origin string) map[string]string {
	t.Helper()
	control := origin + "/control/v1/sandboxes/default"
	var leas struct {
		LEAs []struct{ CDS string } `json:"leas"`
	}
	getJSON(t, control+"/leas", &leas)
	lea := leas.LEAs[0].CDS
	var pair struct{ Username, SecretKey string }
	postJSON(t, control+"/leas/"+lea+"/credentials", map[string]any{"authorizeRelease": true, "coordinator": "caaspp"}, &pair, http.StatusCreated)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	postJSON(t, origin+"/api/v1/token", map[string]string{"username": pair.Username, "secretKey": pair.SecretKey}, &tok, http.StatusOK)
	var roster struct {
		Students []struct{ SSID string } `json:"students"`
	}
	getJSON(t, control+"/leas/"+lea+"/students?limit=200", &roster)
	out := map[string]string{}
	for _, st := range roster.Students {
		var list struct {
			Reports []struct{ Assessment, Language, Format, URL string } `json:"reports"`
		}
		getJSONAs(t, origin+"/api/v1/students/"+st.SSID+"/reports", tok.AccessToken, &list)
		for _, r := range list.Reports {
			key := r.Assessment
			if r.Language != "en" {
				key = "translated"
			}
			if _, ok := out[key]; !ok && r.Format == "html" {
				out[key] = r.URL
			}
		}
		if len(out) >= 6 {
			break
		}
	}
	if _, ok := out["translated"]; !ok || len(out) < 3 {
		t.Fatalf("found HTML reports of %d kinds, want several and a translation: %v", len(out), out)
	}
	return out
}

// TestHTMLReportAccessible opens HTML reports of every family found and a translated one in
// Chromium: the page review finds nothing (labels, names, landmarks, one h1, AA contrast),
// the page loads nothing and runs nothing (the browser reports any CSP refusal as a
// problem), and the score bar is hidden from the accessibility tree while its table is not.
func TestHTMLReportAccessible(t *testing.T) {
	s, err := server.New(server.Config{Scale: "tiny", Scenario: "2025-26"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(func() { srv.Close(); s.Close() })
	reports := htmlReports(t, srv.URL)
	b := newBrowser(t, srv.URL)
	for kind, url := range reports {
		b.do("open the "+kind+" HTML report", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("main")))
		b.checkAccessible(kind)
		lang := eval[string](b, `document.documentElement.lang`)
		if lang == "" || (kind == "translated") == (lang == "en") {
			t.Errorf("%s: <html lang=%q>", kind, lang)
		}
		if n := eval[int](b, `document.querySelectorAll('script, img, iframe, link[rel=stylesheet]').length`); n != 0 {
			t.Errorf("%s: %d scripts, images, frames or style sheets", kind, n)
		}
		if got := eval[string](b, `[...document.styleSheets].length + ' ' + document.styleSheets[0].cssRules.length`); strings.HasPrefix(got, "0") || strings.HasSuffix(got, " 0") {
			t.Errorf("%s: the page's own style sheet did not apply (%s): the CSP refused it", kind, got)
		}
		if n := eval[int](b, `[...document.querySelectorAll('table')].filter((t) => !t.querySelector('th')).length`); n != 0 {
			t.Errorf("%s: %d tables without header cells", kind, n)
		}
		if n := eval[int](b, `[...document.querySelectorAll('.scale')].filter((s) => s.getAttribute('aria-hidden') !== 'true').length`); n != 0 {
			t.Errorf("%s: %d score bars not hidden from screen readers", kind, n)
		}
		b.shot("html-" + kind)
	}
}

// TestTOMSSchoolCredentials gives a school its own pair on the TOMS page: the page shows the
// school's status, generates its pair through the school's route, says that it replaces the
// LEA's for the school's students, and marks the school in the choice.
func TestTOMSSchoolCredentials(t *testing.T) {
	srv := newServer(t)
	control := srv.URL + "/control/v1/sandboxes/default"
	b := newBrowser(t, srv.URL)
	b.do("open TOMS",
		chromedp.Navigate(srv.URL+"/#toms"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
		waitText("#toms-status", "No credentials yet"),
		waitFor(`document.querySelector('#toms-school').options.length > 1`),
	)
	school := eval[string](b, `document.querySelector('#toms-school').options[1].value`)
	b.do("choose a school",
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#toms-school'); s.value = s.options[1].value; s.dispatchEvent(new Event('change')); })()`),
		waitText("#toms-status", "No credentials yet"),
		click("#toms-authorize"),
		click("#toms-generate"),
		chromedp.WaitVisible(chromedp.ID("toms-issued")),
		waitText("#toms-status", "Active"),
		waitText("#toms-issued-old", "replaces the LEA's pair"),
		waitFor(`document.querySelector('#toms-school').selectedOptions[0].textContent.includes('own credentials')`),
	)
	if !eval[bool](b, `document.querySelector('#toms-send').hidden`) {
		t.Error("the demo shortcut into the portal's LEA settings is offered for a school's pair")
	}
	b.checkAccessible("toms-school")
	b.shot("toms-school")
	var leas struct {
		LEAs []struct{ CDS string } `json:"leas"`
	}
	getJSON(t, control+"/leas", &leas)
	var st struct{ Status, School, Username string }
	getJSON(t, control+"/leas/"+leas.LEAs[0].CDS+"/schools/"+school+"/credentials", &st)
	if st.Status != "active" || st.School != school || st.Username != eval[string](b, `document.querySelector('#toms-new-username').value`) {
		t.Errorf("school %s's pair on the server: %+v", school, st)
	}
	var district struct{ Status string }
	getJSON(t, control+"/leas/"+leas.LEAs[0].CDS+"/credentials", &district)
	if district.Status != "none" {
		t.Errorf("the LEA's own pair is %q after generating a school's, want none", district.Status)
	}
}

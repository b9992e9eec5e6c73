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

// TestPortalParentView checks the reworked portal: the administrator's settings stand apart
// and fold away once they work, an empty search lists the first students, a student without
// any report is told so (not "every report is already released"), and TOMS prints a pair's
// expiry once.
func TestPortalParentView(t *testing.T) {
	s, err := server.New(server.Config{Scale: "tiny"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(func() { srv.Close(); s.Close() })
	control := srv.URL + "/control/v1/sandboxes/default"
	var leas struct {
		LEAs []struct{ CDS string } `json:"leas"`
	}
	getJSON(t, control+"/leas", &leas)
	lea := leas.LEAs[0].CDS
	res, err := http.Post(control+"/leas/"+lea+"/credentials", "application/json", bytes.NewReader([]byte(`{"authorizeRelease":true,"coordinator":"caaspp"}`)))
	if err != nil {
		t.Fatal(err)
	}
	var pair struct{ Username, SecretKey string }
	json.NewDecoder(res.Body).Decode(&pair)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated || len(pair.SecretKey) != 20 {
		t.Fatalf("generating credentials: %s, secret of %d characters", res.Status, len(pair.SecretKey))
	}
	var roster struct {
		Students []struct{ SSID string } `json:"students"`
	}
	getJSON(t, control+"/leas/"+lea+"/students?limit=1000", &roster)
	none := ""
	for _, st := range roster.Students {
		var truth struct{ Reports []json.RawMessage }
		getJSON(t, control+"/students/"+st.SSID+"/reports?lea="+lea, &truth)
		if len(truth.Reports) == 0 {
			none = st.SSID
			break
		}
	}
	if none == "" {
		t.Fatal("every student of the tiny world has a report: no student to show without one")
	}
	wantListed := min(len(roster.Students), 25)

	b := newBrowser(t, srv.URL)
	b.do("open the portal",
		chromedp.Navigate(srv.URL+"/#portal"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`)),
		chromedp.WaitVisible(chromedp.ID("vendor-username")),
	)
	if open := eval[bool](b, `document.querySelector('#vendor-admin').open`); !open {
		t.Error("with no pair saved, the vendor settings are folded away")
	}
	if inside := eval[bool](b, `document.querySelector('#parent-view').contains(document.querySelector('#vendor-form'))`); inside {
		t.Error("the vendor settings are inside the parent's view")
	}
	b.do("paste the pair as the LEA's administrator",
		fill("#vendor-username", pair.Username),
		fill("#vendor-secret", pair.SecretKey),
		click("#vendor-save"),
		waitFor(`!['', 'New settings: the portal will sign in with this pair.'].includes(document.querySelector('#vendor-status').textContent)`),
	)
	if got := eval[string](b, `document.querySelector('#vendor-status').textContent`); !strings.HasPrefix(got, "Signed in") {
		t.Fatalf("after saving the pair the settings say %q, want Signed in", got)
	}
	b.do("search with nothing typed",
		fill("#search-q", ""),
		click("#search-form button[type=submit]"),
		waitText("#search-status", "on the roster"),
	)
	if got := eval[int](b, `document.querySelectorAll('#search-results button[data-ssid]').length`); got != wantListed {
		t.Errorf("an empty search lists %d students, want the first %d", got, wantListed)
	}
	first := eval[string](b, `document.querySelector('#search-results button[data-ssid]').dataset.ssid`)
	if first != roster.Students[0].SSID {
		t.Errorf("an empty search lists %s first, want the roster's first student %s", first, roster.Students[0].SSID)
	}
	b.do("open a student without reports",
		fill("#search-q", none),
		click("#search-form button[type=submit]"),
		// The empty search's list may hold the same student: click only once the narrowed
		// search has replaced it, or the click lands on a node that is gone.
		waitText("#search-status", "1 student found."),
		click(`#search-results button[data-ssid="`+none+`"]`),
		waitText("#portal-progress", "No score report released for this student as of"),
		chromedp.WaitVisible(chromedp.ID("next-release")),
	)
	note := eval[string](b, `document.querySelector('#next-release').textContent`)
	if want := "This student has no score reports: no state assessment was scored for this student."; !strings.HasSuffix(note, want) || strings.Contains(note, "already released") {
		t.Errorf("the note for a student without reports says %q, want it to end %q", note, want)
	}
	if open := eval[bool](b, `document.querySelector('#vendor-admin').open`); open {
		t.Error("the vendor settings stay open after the pair worked: the page should be the parent's")
	}
	b.shot("portal-parent-view")
	b.checkAccessible("portal-parent-view")

	b.do("TOMS shows the pair", view("toms"), waitText("#toms-status", "Active"))
	expires := eval[string](b, `document.querySelector('#toms-expires').parentElement.textContent`)
	if strings.Count(expires, "2019") != 1 {
		t.Errorf("TOMS prints the expiry %q: the date more than once", expires)
	}
}

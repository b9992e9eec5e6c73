package web_test

import (
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/ssrmock/ssrmock/server"
)

// TestControlTokenAndSandboxes serves the UI from a server whose control API wants a token:
// the page asks for it, then works; a new sandbox made in the control panel becomes the
// page's sandbox, with its own clock.
func TestControlTokenAndSandboxes(t *testing.T) {
	s, err := server.New(server.Config{Scale: "tiny", ControlToken: "demo-token"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	b := newBrowser(t, srv.URL)
	b.do("ask for the control token",
		chromedp.Navigate(srv.URL+"/#control"),
		chromedp.WaitVisible(chromedp.ID("control-token-box")),
	)
	b.shot("control-token")
	b.do("give the control token",
		fill("#control-token", "demo-token"),
		click("#control-token-form button[type=submit]"),
		chromedp.WaitNotVisible(chromedp.ID("control-token-box")),
		waitText("#header-now", "Feb 11, 2019"),
		waitText("#toms-lea", "0000000"),
	)
	b.do("make a county sandbox that starts in April",
		chromedp.SetValue(chromedp.ID("new-scale"), "county"),
		fill("#new-seed", "7"),
		chromedp.SetValue(chromedp.ID("new-start"), "2019-04-01"),
		click("#sandbox-form button[type=submit]"),
		waitText("#sandbox-status", "created and opened"),
		waitText("#header-now", "Apr 1, 2019"),
		waitFor(`document.querySelector('#sandbox-select').value.startsWith('sbx') || document.querySelector('#sandbox-select').value !== 'default'`),
		waitText("#sandbox-list", "seed 7"),
	)
	b.shot("control-new-sandbox")
	b.checkAccessible("control panel with a second sandbox")

	// A student past the first roster page of the largest LEA: the search follows the cursor.
	sbx := eval[string](b, `document.querySelector('#sandbox-select').value`)
	control := srv.URL + "/control/v1/sandboxes/" + sbx
	var leas struct {
		LEAs []struct {
			CDS      string `json:"cds"`
			Students int    `json:"students"`
		} `json:"leas"`
	}
	getJSONAs(t, control+"/leas", "demo-token", &leas)
	big := leas.LEAs[0]
	for _, l := range leas.LEAs {
		if l.Students > big.Students {
			big = l
		}
	}
	if big.Students <= 1000 {
		t.Fatalf("the county world's largest LEA has %d students: no second roster page to search", big.Students)
	}
	var page struct {
		Students []struct {
			SSID string `json:"ssid"`
		} `json:"students"`
	}
	getJSONAs(t, control+"/leas/"+big.CDS+"/students?limit=1&cursor="+strconv.Itoa(big.Students-1), "demo-token", &page)
	if len(page.Students) != 1 {
		t.Fatalf("no student at the end of LEA %s's roster", big.CDS)
	}
	ssid := page.Students[0].SSID
	b.do("find a student on the last roster page",
		view("portal"),
		chromedp.SetValue(chromedp.ID("vendor-lea"), big.CDS),
		fill("#search-q", ssid),
		click("#search-form button[type=submit]"),
		chromedp.WaitVisible(chromedp.CSS(`#search-results button[data-ssid="`+ssid+`"]`)),
		waitText("#search-status", "1 student found"),
	)
	b.do("go back to the default sandbox",
		chromedp.SetValue(chromedp.ID("sandbox-select"), "default"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#sandbox-select').dispatchEvent(new Event('change'))`),
		waitText("#header-now", "Feb 11, 2019"),
	)
}

package web_test

import (
	"net/http/httptest"
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
	b.do("make a sandbox that starts in April",
		chromedp.SetValue(chromedp.ID("new-scale"), "tiny"),
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
	b.do("go back to the default sandbox",
		chromedp.SetValue(chromedp.ID("sandbox-select"), "default"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#sandbox-select').dispatchEvent(new Event('change'))`),
		waitText("#header-now", "Feb 11, 2019"),
	)
}

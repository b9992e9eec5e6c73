package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/ssrmock/ssrmock/findings"
	"github.com/ssrmock/ssrmock/server"
)

// TestFindingsPanel opens the control panel on a fresh server, then sends vendor traffic
// that breaks a rule: the Findings panel shows the finding beside the journal, and counts a
// second breach as it happens, without a reload.
func TestFindingsPanel(t *testing.T) {
	s, err := server.New(server.Config{Scale: "tiny"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	control := srv.URL + "/control/v1/sandboxes/default"
	var leas struct {
		LEAs []struct {
			CDS string `json:"cds"`
		} `json:"leas"`
	}
	getJSON(t, control+"/leas", &leas)
	resp, err := http.Post(control+"/leas/"+leas.LEAs[0].CDS+"/credentials", "application/json",
		bytes.NewReader([]byte(`{"authorizeRelease":true,"coordinator":"caaspp"}`)))
	if err != nil {
		t.Fatal(err)
	}
	var pair struct{ Username, SecretKey string }
	if err := json.NewDecoder(resp.Body).Decode(&pair); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	leak := func() {
		t.Helper()
		body, _ := json.Marshal(map[string]string{"username": pair.Username, "secretKey": pair.SecretKey})
		resp, err := http.Post(srv.URL+"/api/v1/token?secretKey="+url.QueryEscape(pair.SecretKey), "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}

	b := newBrowser(t, srv.URL)
	b.do("open the control panel with clean traffic",
		chromedp.Navigate(srv.URL+"/#control"),
		waitText("#findings-status", "No findings"),
	)
	if n := eval[int](b, `document.querySelectorAll('#findings tbody tr').length`); n != 0 {
		t.Errorf("%d finding rows before any traffic, want 0", n)
	}
	leak()
	rule := findings.RuleSecretInURL.ID
	row := `document.querySelector('#findings tbody tr[data-rule="` + rule + `"]')`
	b.do("see the finding appear",
		waitFor(row+` !== null`),
		waitText("#findings-status", "1 finding(s), 1 of them errors"),
		waitText("#journal", "secret in URL!"),
	)
	if got := eval[string](b, row+`.querySelector('.count').textContent`); got != "1" {
		t.Errorf("count %q, want 1", got)
	}
	b.shot("control-findings")
	b.checkAccessible("control panel with a finding")
	leak()
	b.do("see it counted again, live",
		waitFor(row+`.querySelector('.count').textContent === '2'`),
	)
	if got := eval[string](b, row+`.cells[5].textContent`); got[:5] != "#1 #2" {
		t.Errorf("evidence %q, want it to start with #1 #2", got)
	}
}

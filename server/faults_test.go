package server

import (
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/ssrmock/ssrmock/server/store"
)

func TestFaultStatusWithRetryAfter(t *testing.T) {
	f := newVendorFixture(t)
	base := "/control/v1/sandboxes/" + f.sbx + "/faults"
	var flt Fault
	f.mustDo("POST", base, map[string]any{"route": "reports", "status": 503, "retryAfter": "120s", "count": 2}, http.StatusCreated, &flt)
	if flt.Code != CodeMaintenance || flt.ID == "" {
		t.Fatalf("fault = %+v, want code maintenance and an id", flt)
	}
	for range 2 {
		status, h, _ := f.do("GET", "/api/v1/students/"+f.ssid+"/reports", nil, "Authorization", "Bearer "+f.tok)
		if status != 503 || h.Get("Retry-After") != "120" {
			t.Fatalf("faulted request: %d Retry-After %q, want 503 120", status, h.Get("Retry-After"))
		}
	}
	f.list(f.tok, f.ssid) // the count is spent
	f.mustDo("POST", base, map[string]any{"route": "token", "status": 429, "retryAfter": 30}, http.StatusCreated, &flt)
	f.wantError("POST", "/api/v1/token", map[string]string{"username": f.cred.Username, "secretKey": f.cred.SecretKey}, http.StatusTooManyRequests, CodeRateLimited)
	var list struct{ Faults []Fault }
	f.mustDo("GET", base, nil, http.StatusOK, &list)
	if len(list.Faults) != 2 || list.Faults[0].Hits != 2 || list.Faults[0].Remaining != 0 {
		t.Errorf("faults = %+v", list.Faults)
	}
	f.mustDo("DELETE", base+"/"+flt.ID, nil, http.StatusNoContent, nil)
	f.wantError("DELETE", base+"/"+flt.ID, nil, http.StatusNotFound, CodeNotFound)
	f.token(f.cred)

	var journal store.JournalPage
	f.mustDo("GET", "/control/v1/sandboxes/"+f.sbx+"/journal", nil, http.StatusOK, &journal)
	faulted := 0
	for _, e := range journal.Entries {
		if e.FaultID != "" {
			faulted++
			if e.RetryAfter == 0 {
				t.Errorf("journal entry %+v of a fault with Retry-After has none", e)
			}
		}
	}
	if faulted != 3 {
		t.Errorf("journal shows %d faulted requests, want 3", faulted)
	}
}

func TestFaultWindowInSandboxTime(t *testing.T) {
	f := newVendorFixture(t)
	now := f.advance(f.sbx, map[string]any{"advance": "0s"}).Now
	f.mustDo("POST", "/control/v1/sandboxes/"+f.sbx+"/faults", map[string]any{
		"route": "*", "status": 503, "from": now.Add(time.Hour).Format(time.RFC3339), "until": now.Add(2 * time.Hour).Format(time.RFC3339),
	}, http.StatusCreated, nil)
	f.token(f.cred)
	f.advance(f.sbx, map[string]any{"advance": "1h"})
	f.wantError("POST", "/api/v1/token", map[string]string{"username": f.cred.Username, "secretKey": f.cred.SecretKey}, http.StatusServiceUnavailable, CodeMaintenance)
	f.advance(f.sbx, map[string]any{"advance": "1h"})
	f.token(f.cred)
}

func TestFaultDropTruncateDelay(t *testing.T) {
	f := newVendorFixture(t)
	base := "/control/v1/sandboxes/" + f.sbx + "/faults"
	r := f.list(f.tok, f.ssid).Reports[0]

	// A fresh connection each time: Go's transport would retry a GET that failed on a
	// reused connection, hiding the drop.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	f.mustDo("POST", base, map[string]any{"route": "pdf", "drop": true, "count": 1}, http.StatusCreated, nil)
	resp, err := fresh.Get(r.URL)
	if err == nil {
		resp.Body.Close()
		t.Fatal("a dropped connection answered")
	}

	f.mustDo("POST", base, map[string]any{"route": "pdf", "truncate": true, "count": 1}, http.StatusCreated, nil)
	resp, err = fresh.Get(r.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !errors.Is(err, io.ErrUnexpectedEOF) || int64(len(body)) >= resp.ContentLength {
		t.Errorf("truncated body: read %d of %d bytes, error %v; want fewer bytes and an unexpected EOF", len(body), resp.ContentLength, err)
	}

	f.mustDo("POST", base, map[string]any{"route": "pdf", "delay": "300ms", "count": 1}, http.StatusCreated, nil)
	client := &http.Client{Timeout: 100 * time.Millisecond}
	if resp, err := client.Get(r.URL); err == nil {
		resp.Body.Close()
		t.Error("a delayed response arrived within a shorter client timeout")
	}
	f.mustDo("GET", r.URL, nil, http.StatusOK, nil)
}

func TestFaultValidation(t *testing.T) {
	e := newTestEnv(t)
	base := "/control/v1/sandboxes/default/faults"
	for _, body := range []string{
		`{"route":"elsewhere","status":503}`,
		`{"route":"token"}`,
		`{"route":"token","status":200}`,
		`{"route":"token","drop":true,"truncate":true}`,
		`{"route":"token","delay":"10h"}`,
		`{"route":"token","delay":"soon"}`,
		`{"route":"token","status":503,"count":-1}`,
		`{"route":"token","status":503,"from":"2019-03-01T00:00:00Z","until":"2019-02-01T00:00:00Z"}`,
		`{"route":"token","status":503,"from":"yesterday"}`,
	} {
		e.wantError("POST", base, body, http.StatusBadRequest, CodeBadRequest)
	}
}

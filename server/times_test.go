package server

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeReal is a settable reference clock.
type fakeReal struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeReal) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeReal) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestTimesAreBounded(t *testing.T) {
	e := newTestEnv(t)
	sbxs := "/control/v1/sandboxes"
	for _, start := range []string{"9999-06-01T00:00:00Z", "9998-01-01T00:00:00Z", "9997-12-31T23:00:00-23:00"} {
		msg := e.wantError("POST", sbxs, map[string]any{"scale": "tiny", "clockStart": start}, http.StatusBadRequest, CodeBadRequest)
		if !strings.Contains(msg, "clockStart") || !strings.Contains(msg, "9998-01-01") {
			t.Errorf("clockStart %s: %q does not say what is wrong", start, msg)
		}
	}
	sbx := e.newSandbox(map[string]any{"scale": "tiny", "clockStart": "9997-12-31T00:00:00Z"}).ID
	clock := sbxs + "/" + sbx + "/clock"
	e.wantError("POST", clock, map[string]any{"to": "9998-06-01T00:00:00Z"}, http.StatusBadRequest, CodeBadRequest)
	e.wantError("POST", clock, map[string]any{"advance": "48h"}, http.StatusBadRequest, CodeBadRequest)
	e.wantError("POST", clock, map[string]any{"advance": 20 * 365 * 86400}, http.StatusBadRequest, CodeBadRequest)
	c := e.advance(sbx, map[string]any{"advance": "23h"})
	if want := mustTime(t, "9997-12-31T23:00:00Z"); !c.Now.Equal(want) {
		t.Errorf("clock at %v, want %v", c.Now, want)
	}
	// Credentials generated at the latest instant still expire in a year JSON can write.
	cred := e.generate(sbx, e.firstLEA(sbx).CDS)
	if cred.ExpiresAt.Year() > 9999 {
		t.Errorf("credentials expire in %d", cred.ExpiresAt.Year())
	}
	faults := sbxs + "/" + sbx + "/faults"
	e.wantError("POST", faults, map[string]any{"route": "pdf", "status": 503, "until": "9999-12-31T23:59:59-23:59"}, http.StatusBadRequest, CodeBadRequest)
	e.mustDo("POST", faults, map[string]any{"route": "pdf", "status": 503, "until": "9999-12-31T23:59:59Z"}, http.StatusCreated, nil)
	ssid := e.roster(sbx, e.firstLEA(sbx).CDS, 1)[0].SSID
	truth := sbxs + "/" + sbx + "/students/" + ssid + "/reports?at="
	e.wantError("GET", truth+"9999-12-31T23:59:59-23:00", nil, http.StatusBadRequest, CodeBadRequest)
	e.mustDo("GET", truth+"9999-12-31T23:59:59Z", nil, http.StatusOK, nil)
	e.mustDo("GET", sbxs, nil, http.StatusOK, nil)
}

// TestFollowedClockStopsAtTheBound follows real time past the bound: every sandbox still
// answers, with its clock at the last instant it may reach.
func TestFollowedClockStopsAtTheBound(t *testing.T) {
	real := &fakeReal{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	// Years pass unused: the sandbox must not be reclaimed as idle meanwhile.
	srv, err := New(Config{Scale: "tiny", RealClock: real, SandboxIdle: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	e := &testEnv{t: t, srv: srv, ts: httptest.NewServer(srv)}
	defer e.ts.Close()
	sbx := e.newSandbox(map[string]any{"scale": "tiny", "clockStart": "9997-12-31T00:00:00Z"}).ID
	e.advance(sbx, map[string]any{"followRealTime": true})
	real.add(3 * 365 * 24 * time.Hour)
	var all struct{ Sandboxes []sandboxInfo }
	e.mustDo("GET", "/control/v1/sandboxes", nil, http.StatusOK, &all)
	for _, info := range all.Sandboxes {
		if info.ID == sbx && !info.Now.Equal(latestClock.Add(-time.Second)) {
			t.Errorf("followed clock at %v, want %v", info.Now, latestClock.Add(-time.Second))
		}
	}
	e.generate(sbx, e.firstLEA(sbx).CDS)
	e.mustDo("GET", "/control/v1/sandboxes/"+sbx+"/leas/"+e.firstLEA(sbx).CDS+"/credentials", nil, http.StatusOK, nil)
}

func TestBadTimesAndDurationsSaySo(t *testing.T) {
	e := newTestEnv(t)
	sbx := e.newSandbox(nil).ID
	clock := "/control/v1/sandboxes/" + sbx + "/clock"
	for body, want := range map[string]string{
		`{"advance":"7d"}`:           "not a duration: 7d",
		`{"advance":"soon"}`:         "not a duration: soon",
		`{"advance":true}`:           "a duration is a string",
		`{"advance":1e12}`:           "out of range",
		`{"to":"tomorrow"}`:          "not a time: tomorrow",
		`{"to":"2019-13-01T00:00Z"}`: "not a time",
		`{"to":5}`:                   "a time is a string",
	} {
		msg := e.wantError("POST", clock, body, http.StatusBadRequest, CodeBadRequest)
		if !strings.Contains(msg, want) || strings.Contains(msg, "malformed JSON") {
			t.Errorf("%s: %q, want it to say %q", body, msg, want)
		}
	}
	msg := e.wantError("POST", "/control/v1/sandboxes", `{"clockStart":"next week"}`, http.StatusBadRequest, CodeBadRequest)
	if !strings.Contains(msg, "not a time: next week") {
		t.Errorf("clockStart: %q", msg)
	}
	msg = e.wantError("POST", "/control/v1/sandboxes/"+sbx+"/faults", `{"route":"pdf","delay":"2 seconds"}`, http.StatusBadRequest, CodeBadRequest)
	if !strings.Contains(msg, "not a duration: 2 seconds") {
		t.Errorf("fault delay: %q", msg)
	}
	// Malformed JSON still says so.
	if msg := e.wantError("POST", clock, `{"advance":`, http.StatusBadRequest, CodeBadRequest); !strings.Contains(msg, "malformed JSON") {
		t.Errorf("truncated body: %q", msg)
	}
}

func TestFaultRangesAreValidated(t *testing.T) {
	e := newTestEnv(t)
	sbx := e.newSandbox(nil).ID
	faults := "/control/v1/sandboxes/" + sbx + "/faults"
	for _, body := range []map[string]any{
		{"route": "token", "status": 503, "retryAfter": "2562047h"},
		{"route": "token", "status": 503, "retryAfter": 9.2e8},
		{"route": "token", "status": 503, "retryAfter": "24h1s"},
		{"route": "token", "status": 503, "retryAfter": "-1s"},
		{"route": "token", "status": 503, "count": 2_000_000_000},
		{"route": "token", "status": 503, "count": -1},
		{"route": "token", "delay": "5m1s"},
	} {
		e.wantError("POST", faults, body, http.StatusBadRequest, CodeBadRequest)
	}
	e.mustDo("POST", faults, map[string]any{"route": "token", "status": 503, "retryAfter": "24h", "count": 1}, http.StatusCreated, nil)
	// Faults apply in the sandbox of the credentials: use real ones.
	c := e.generate(sbx, e.firstLEA(sbx).CDS)
	status, h, _ := e.do("POST", "/api/v1/token", map[string]string{"username": c.Username, "secretKey": c.SecretKey})
	if status != http.StatusServiceUnavailable || h.Get("Retry-After") != strconv.Itoa(24*3600) {
		t.Errorf("faulted token request: %d Retry-After %q, want 503 and 86400", status, h.Get("Retry-After"))
	}
}

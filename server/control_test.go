package server

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/ssrmock/ssrmock/server/simclock"
)

func TestSandboxLifecycle(t *testing.T) {
	e := newTestEnv(t)
	var def sandboxInfo
	e.mustDo("GET", "/control/v1/sandboxes/default", nil, http.StatusOK, &def)
	if def.Scenario != "2018-19" || def.Scale != "tiny" || def.Students == 0 {
		t.Errorf("default sandbox = %+v", def)
	}
	info := e.newSandbox(map[string]any{"seed": 5, "scenario": "2025-26", "scale": "tiny", "clockStart": "2026-03-01T08:00:00-08:00"})
	if info.Scenario != "2025-26" || !info.Now.Equal(mustTime(t, "2026-03-01T16:00:00Z")) || info.APIBase != e.ts.URL+"/api/v1" {
		t.Errorf("created %+v", info)
	}
	lea := e.firstLEA(info.ID).CDS
	if c := e.generate(info.ID, lea); c.ExpiresAt.Sub(c.GeneratedAt) != 365*24*time.Hour {
		t.Errorf("2025-26 credentials live %v, want 365 days", c.ExpiresAt.Sub(c.GeneratedAt))
	}
	// Sandboxes share nothing: the default sandbox's LEA has no credentials.
	var st credentialStatus
	e.mustDo("GET", "/control/v1/sandboxes/default/leas/"+e.firstLEA("default").CDS+"/credentials", nil, http.StatusOK, &st)
	if st.Status != "none" {
		t.Errorf("default sandbox credentials = %q after generating in another sandbox", st.Status)
	}
	var all struct{ Sandboxes []sandboxInfo }
	e.mustDo("GET", "/control/v1/sandboxes", nil, http.StatusOK, &all)
	if len(all.Sandboxes) != 2 {
		t.Errorf("%d sandboxes listed, want 2", len(all.Sandboxes))
	}
	e.mustDo("DELETE", "/control/v1/sandboxes/"+info.ID, nil, http.StatusNoContent, nil)
	e.wantError("GET", "/control/v1/sandboxes/"+info.ID, nil, http.StatusNotFound, CodeNotFound)
	e.wantError("DELETE", "/control/v1/sandboxes/"+info.ID, nil, http.StatusNotFound, CodeNotFound)

	for _, body := range []string{`{"scenario":"1999-00"}`, `{"scale":"galaxy"}`, `{"seed":"x"}`, `{"clockStart":"tomorrow"}`, `[1]`, `{"seed":1}{}`} {
		e.wantError("POST", "/control/v1/sandboxes", body, http.StatusBadRequest, CodeBadRequest)
	}
	e.wantError("POST", "/control/v1/sandboxes", `{}`, http.StatusUnsupportedMediaType, CodeUnsupportedMediaType, "Content-Type", "text/plain")
}

func TestClock(t *testing.T) {
	e := newTestEnv(t)
	sbx := e.newSandbox(nil).ID
	var c clockReply
	e.mustDo("GET", "/control/v1/sandboxes/"+sbx+"/clock", nil, http.StatusOK, &c)
	start := c.Now
	c = e.advance(sbx, map[string]any{"advance": "72h"})
	if !c.Now.Equal(start.Add(72 * time.Hour)) {
		t.Errorf("after advance 72h: %v, want %v", c.Now, start.Add(72*time.Hour))
	}
	c = e.advance(sbx, map[string]any{"to": "2019-05-15T08:00:00-07:00"})
	if !c.Now.Equal(mustTime(t, "2019-05-15T15:00:00Z")) {
		t.Errorf("after to: %v", c.Now)
	}
	base := "/control/v1/sandboxes/" + sbx + "/clock"
	e.wantError("POST", base, map[string]any{"to": "2019-02-01T00:00:00Z"}, http.StatusBadRequest, CodeBadRequest)
	e.wantError("POST", base, map[string]any{"advance": "-1h"}, http.StatusBadRequest, CodeBadRequest)
	e.wantError("POST", base, map[string]any{"advance": "soon"}, http.StatusBadRequest, CodeBadRequest)
	e.wantError("POST", base, map[string]any{"advance": "1h", "to": "2020-01-01T00:00:00Z"}, http.StatusBadRequest, CodeBadRequest)
	e.wantError("POST", base, map[string]any{}, http.StatusBadRequest, CodeBadRequest)
	e.wantError("POST", base, map[string]any{"advance": "200000h"}, http.StatusBadRequest, CodeBadRequest)
	e.wantError("GET", "/control/v1/sandboxes/nope/clock", nil, http.StatusNotFound, CodeNotFound)
}

func TestControlToken(t *testing.T) {
	srv, err := New(Config{Scale: "tiny", ControlToken: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	e := &testEnv{t: t, srv: srv}
	e.ts = newHTTPTestServer(t, srv)
	e.wantError("GET", "/control/v1/sandboxes/default", nil, http.StatusUnauthorized, CodeUnauthorized)
	e.wantError("GET", "/control/v1/sandboxes/default", nil, http.StatusUnauthorized, CodeUnauthorized, "Authorization", "Bearer wrong")
	e.mustDo("GET", "/control/v1/sandboxes/default", nil, http.StatusOK, nil, "Authorization", "Bearer s3cret")
}

func TestRosterPaging(t *testing.T) {
	e := newTestEnv(t)
	lea := e.firstLEA("default")
	seen := map[string]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		var page rosterPage
		e.mustDo("GET", "/control/v1/sandboxes/default/leas/"+lea.CDS+"/students?limit=37&cursor="+cursor, nil, http.StatusOK, &page)
		for _, st := range page.Students {
			if seen[st.SSID] {
				t.Fatalf("student %s listed twice", st.SSID)
			}
			seen[st.SSID] = true
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
		if pages > 1000 {
			t.Fatal("paging does not end")
		}
	}
	if len(seen) != lea.Students {
		t.Errorf("paged through %d students, the LEA has %d", len(seen), lea.Students)
	}
	e.wantError("GET", "/control/v1/sandboxes/default/leas/"+lea.CDS+"/students?limit=0", nil, http.StatusBadRequest, CodeBadRequest)
	e.wantError("GET", "/control/v1/sandboxes/default/leas/"+lea.CDS+"/students?cursor=x", nil, http.StatusBadRequest, CodeBadRequest)
	e.wantError("GET", "/control/v1/sandboxes/default/students/123", nil, http.StatusBadRequest, CodeInvalidSSID)
	e.wantError("GET", "/control/v1/sandboxes/default/students/0000000001", nil, http.StatusNotFound, CodeStudentNotFound)
	e.wantError("GET", "/control/v1/sandboxes/default/students/0000000001/reports?at=never", nil, http.StatusNotFound, CodeStudentNotFound)
}

// manualClock is a reference clock moved by hand.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *manualClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

var _ simclock.Clock = (*manualClock)(nil)

func TestClockFollowsRealTimeOnlyWhenAsked(t *testing.T) {
	real := &manualClock{now: time.Unix(1_000_000, 0)}
	srv, err := New(Config{Scale: "tiny", RealClock: real})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	e := &testEnv{t: t, srv: srv, ts: newHTTPTestServer(t, srv)}
	start := e.advance("default", map[string]any{"advance": "0s"}).Now
	real.add(time.Hour)
	if now := e.advance("default", map[string]any{"advance": "0s"}).Now; !now.Equal(start) {
		t.Fatalf("a frozen sandbox clock moved with real time: %v → %v", start, now)
	}
	if c := e.advance("default", map[string]any{"followRealTime": true}); !c.FollowRealTime {
		t.Fatal("followRealTime was not switched on")
	}
	real.add(90 * time.Second)
	if now := e.advance("default", map[string]any{"advance": "0s"}).Now; !now.Equal(start.Add(90 * time.Second)) {
		t.Errorf("following real time: %v, want %v", now, start.Add(90*time.Second))
	}
	e.advance("default", map[string]any{"followRealTime": false})
	real.add(time.Hour)
	if now := e.advance("default", map[string]any{"advance": "0s"}).Now; !now.Equal(start.Add(90 * time.Second)) {
		t.Errorf("after followRealTime false the clock moved to %v", now)
	}
}

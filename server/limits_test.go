package server

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// newLimitedEnv is a test server with small bounds and a real clock the test moves.
func newLimitedEnv(t *testing.T, cfg Config) (*testEnv, *manualClock) {
	t.Helper()
	real := &manualClock{now: time.Unix(1_000_000, 0)}
	cfg.Scale, cfg.RealClock = "tiny", real
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return &testEnv{t: t, srv: srv, ts: newHTTPTestServer(t, srv)}, real
}

func TestSandboxLimit(t *testing.T) {
	e, _ := newLimitedEnv(t, Config{MaxSandboxes: 3})
	first := e.newSandbox(map[string]any{"seed": 1, "scale": "tiny"})
	e.newSandbox(map[string]any{"seed": 2, "scale": "tiny"})
	msg := e.wantError("POST", "/control/v1/sandboxes", map[string]any{"seed": 3, "scale": "tiny"}, http.StatusConflict, CodeLimitReached)
	if !strings.Contains(msg, "3 sandboxes") || !strings.Contains(msg, "--max-sandboxes") {
		t.Errorf("the limit's message %q does not say the limit and the flag", msg)
	}
	// Deleting one makes room again; the default sandbox counts, and is still there.
	e.mustDo("DELETE", "/control/v1/sandboxes/"+first.ID, nil, http.StatusNoContent, nil)
	e.newSandbox(map[string]any{"seed": 3, "scale": "tiny"})
	e.mustDo("GET", "/control/v1/sandboxes/default", nil, http.StatusOK, nil)
}

func TestIdleSandboxesAreReclaimed(t *testing.T) {
	e, real := newLimitedEnv(t, Config{MaxSandboxes: 3, SandboxIdle: time.Hour})
	idle := e.newSandbox(map[string]any{"seed": 1, "scale": "tiny"})
	busy := e.newSandbox(map[string]any{"seed": 2, "scale": "tiny"})
	real.add(40 * time.Minute)
	e.mustDo("GET", "/control/v1/sandboxes/"+busy.ID+"/clock", nil, http.StatusOK, nil) // busy is used
	real.add(40 * time.Minute)                                                          // idle: 80 min unused, busy: 40
	// At the limit, creating a sandbox reclaims the idle one rather than refusing.
	e.newSandbox(map[string]any{"seed": 3, "scale": "tiny"})
	e.wantError("GET", "/control/v1/sandboxes/"+idle.ID, nil, http.StatusNotFound, CodeNotFound)
	e.mustDo("GET", "/control/v1/sandboxes/"+busy.ID, nil, http.StatusOK, nil)
	// Everything unused for longer than the limit goes; the default sandbox stays.
	real.add(2 * time.Hour)
	var list struct {
		Sandboxes []sandboxInfo `json:"sandboxes"`
	}
	e.mustDo("GET", "/control/v1/sandboxes", nil, http.StatusOK, &list)
	if len(list.Sandboxes) != 1 || list.Sandboxes[0].ID != DefaultSandbox {
		t.Errorf("after 2 h unused the server still holds %+v, want the default sandbox only", list.Sandboxes)
	}
}

// TestListingIsNotUse: a dashboard that lists the sandboxes every few minutes does not keep
// the ones nobody uses alive.
func TestListingIsNotUse(t *testing.T) {
	e, real := newLimitedEnv(t, Config{SandboxIdle: time.Hour})
	idle := e.newSandbox(map[string]any{"seed": 1, "scale": "tiny"})
	var list struct {
		Sandboxes []sandboxInfo `json:"sandboxes"`
	}
	for range 5 {
		real.add(20 * time.Minute)
		e.mustDo("GET", "/control/v1/sandboxes", nil, http.StatusOK, &list)
	}
	if len(list.Sandboxes) != 1 || list.Sandboxes[0].ID != DefaultSandbox {
		t.Errorf("after 100 min listed but unused the server still holds %+v; %s should be reclaimed", list.Sandboxes, idle.ID)
	}
}

func TestIdleReclaimOff(t *testing.T) {
	e, real := newLimitedEnv(t, Config{MaxSandboxes: 2, SandboxIdle: -1})
	old := e.newSandbox(map[string]any{"seed": 1, "scale": "tiny"})
	real.add(1000 * time.Hour)
	e.wantError("POST", "/control/v1/sandboxes", map[string]any{"seed": 2, "scale": "tiny"}, http.StatusConflict, CodeLimitReached)
	e.mustDo("GET", "/control/v1/sandboxes/"+old.ID, nil, http.StatusOK, nil)
}

func TestFaultLimit(t *testing.T) {
	e, _ := newLimitedEnv(t, Config{MaxFaults: 2})
	base := "/control/v1/sandboxes/default/faults"
	fault := map[string]any{"route": "token", "status": 500, "count": 1}
	e.mustDo("POST", base, fault, http.StatusCreated, nil)
	e.mustDo("POST", base, fault, http.StatusCreated, nil)
	msg := e.wantError("POST", base, fault, http.StatusConflict, CodeLimitReached)
	if !strings.Contains(msg, "--max-faults") {
		t.Errorf("the limit's message %q does not name the flag", msg)
	}
	var list struct{ Faults []Fault }
	e.mustDo("GET", base, nil, http.StatusOK, &list)
	if len(list.Faults) != 2 {
		t.Errorf("%d faults held, want the 2 acknowledged", len(list.Faults))
	}
	e.mustDo("DELETE", base, nil, http.StatusNoContent, nil)
	e.mustDo("POST", base, fault, http.StatusCreated, nil)
}

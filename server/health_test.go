package server

import (
	"net/http"
	"testing"
)

func TestHealthProbes(t *testing.T) {
	e := newTestEnv(t)
	var body healthBody
	e.mustDo("GET", "/healthz", nil, http.StatusOK, &body)
	if body.Status != "ok" {
		t.Errorf("/healthz status %q, want ok", body.Status)
	}
	e.mustDo("GET", "/readyz", nil, http.StatusOK, &body)
	if body.Status != "ready" {
		t.Errorf("/readyz status %q, want ready", body.Status)
	}
	e.wantError("POST", "/healthz", nil, http.StatusMethodNotAllowed, CodeMethodNotAllowed)

	e.srv.Drain()
	e.wantError("GET", "/readyz", nil, http.StatusServiceUnavailable, CodeUnavailable)
	e.mustDo("GET", "/healthz", nil, http.StatusOK, &body)
}

// TestHealthNeedsNoControlToken checks that probes answer without the control token that
// guards the control API.
func TestHealthNeedsNoControlToken(t *testing.T) {
	srv, err := New(Config{Scale: "tiny", ControlToken: "sekrit"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	e := &testEnv{t: t, srv: srv, ts: newHTTPTestServer(t, srv)}
	e.mustDo("GET", "/healthz", nil, http.StatusOK, nil)
	e.mustDo("GET", "/readyz", nil, http.StatusOK, nil)
	e.wantError("GET", "/control/v1/sandboxes", nil, http.StatusUnauthorized, CodeUnauthorized)
}

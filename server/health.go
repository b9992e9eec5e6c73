package server

import "net/http"

// healthBody is the answer of /healthz and of /readyz when the server is ready.
type healthBody struct {
	Status string `json:"status"`
}

// handleHealthz is the liveness probe: 200 {"status":"ok"} while the process serves HTTP at
// all. It needs no token and touches no sandbox.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	encode(w, http.StatusOK, healthBody{"ok"})
}

// handleReadyz is the readiness probe: 200 {"status":"ready"} once the server can take
// requests (New returns only then), 503 unavailable after Drain, so that a load balancer stops
// sending requests to a server that is shutting down.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		s.writeError(w, r, Errorf(CodeUnavailable, "the server is shutting down"))
		return
	}
	encode(w, http.StatusOK, healthBody{"ready"})
}

// Drain marks the server as shutting down: /readyz answers 503 from now on; every other route
// keeps serving until the HTTP server stops.
func (s *Server) Drain() { s.draining.Store(true) }

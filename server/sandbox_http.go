package server

import (
	"net/http"
	"time"

	"github.com/gorilla/mux"
)

// sandboxInfo describes a sandbox.
type sandboxInfo struct {
	ID             string    `json:"id"`
	Seed           int64     `json:"seed"`
	Scenario       string    `json:"scenario"`
	Scale          string    `json:"scale"`
	Now            time.Time `json:"now"`
	FollowRealTime bool      `json:"followRealTime"`
	APIBase        string    `json:"apiBase"`
	LEAs           int       `json:"leas"`
	Students       int       `json:"students"`
}

func (s *Server) describe(r *http.Request, sb *Sandbox) sandboxInfo {
	return sandboxInfo{
		ID: sb.ID, Seed: sb.world.Seed(), Scenario: sb.scenario.Name, Scale: string(sb.world.Scale()),
		Now: sb.now(), FollowRealTime: sb.following(),
		APIBase: s.baseURL(r) + "/api/v1", LEAs: len(sb.world.LEAs()), Students: sb.world.NumStudents(),
	}
}

func (s *Server) handleCreateSandbox(w http.ResponseWriter, r *http.Request) {
	var spec sandboxSpec
	if err := decode(w, r, &spec); err != nil {
		s.writeError(w, r, err)
		return
	}
	sb, err := s.createSandbox(r.Context(), "", spec)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/control/v1/sandboxes/"+sb.ID)
	encode(w, http.StatusCreated, s.describe(r, sb))
}

func (s *Server) handleListSandboxes(w http.ResponseWriter, r *http.Request) {
	s.reclaimIdle(r.Context())
	recs, err := s.store.Sandboxes(r.Context())
	if err != nil {
		s.writeError(w, r, storeError(err))
		return
	}
	list := make([]*Sandbox, 0, len(recs))
	for _, rec := range recs {
		if sb, err := s.lookup(r.Context(), rec.ID); err == nil {
			list = append(list, sb)
		}
	}
	out := struct {
		Sandboxes []sandboxInfo `json:"sandboxes"`
	}{Sandboxes: make([]sandboxInfo, 0, len(list))}
	for _, sb := range list {
		out.Sandboxes = append(out.Sandboxes, s.describe(r, sb))
	}
	sortBy(out.Sandboxes, func(i sandboxInfo) string { return i.ID })
	encode(w, http.StatusOK, out)
}

func (s *Server) handleGetSandbox(w http.ResponseWriter, r *http.Request) {
	s.withSandbox(w, r, func(sb *Sandbox) error {
		encode(w, http.StatusOK, s.describe(r, sb))
		return nil
	})
}

func (s *Server) handleDeleteSandbox(w http.ResponseWriter, r *http.Request) {
	if err := s.deleteSandbox(r.Context(), mux.Vars(r)["sbx"]); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// withSandbox finds the route's sandbox and runs fn, answering its error.
func (s *Server) withSandbox(w http.ResponseWriter, r *http.Request, fn func(*Sandbox) error) {
	sb, err := s.sandbox(r.Context(), mux.Vars(r)["sbx"])
	if err == nil {
		err = fn(sb)
	}
	if err != nil {
		s.writeError(w, r, err)
	}
}

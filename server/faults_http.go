package server

import (
	"net/http"

	"github.com/gorilla/mux"
)

func (s *Server) handleAddFault(w http.ResponseWriter, r *http.Request) {
	s.withSandbox(w, r, func(sb *Sandbox) error {
		var f Fault
		if err := decode(w, r, &f); err != nil {
			return err
		}
		if err := f.validate(); err != nil {
			return err
		}
		id, err := s.newID("flt-", 8)
		if err != nil {
			return err
		}
		f.ID = id
		if err := sb.addFault(r.Context(), f, s.cfg.MaxFaults); err != nil {
			return err
		}
		encode(w, http.StatusCreated, f)
		return nil
	})
}

func (s *Server) handleListFaults(w http.ResponseWriter, r *http.Request) {
	s.withSandbox(w, r, func(sb *Sandbox) error {
		encode(w, http.StatusOK, struct {
			Faults []Fault `json:"faults"`
		}{sb.faults()})
		return nil
	})
}

func (s *Server) handleClearFaults(w http.ResponseWriter, r *http.Request) {
	s.withSandbox(w, r, func(sb *Sandbox) error {
		if err := sb.clearFaults(r.Context()); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
}

func (s *Server) handleDeleteFault(w http.ResponseWriter, r *http.Request) {
	s.withSandbox(w, r, func(sb *Sandbox) error {
		found, err := sb.removeFault(r.Context(), mux.Vars(r)["id"])
		if err != nil {
			return err
		}
		if !found {
			return Errorf(CodeNotFound, "no fault %q in this sandbox", mux.Vars(r)["id"])
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
}

func (s *Server) handleJournal(w http.ResponseWriter, r *http.Request) {
	s.withSandbox(w, r, func(sb *Sandbox) error {
		after, err := intParam(r, "after", 0, 0, 1<<53)
		if err != nil {
			return err
		}
		limit, err := intParam(r, "limit", 1000, 1, 10_000)
		if err != nil {
			return err
		}
		page, err := sb.store.Journal(r.Context(), sb.ID, after, limit)
		if err != nil {
			return storeError(err)
		}
		encode(w, http.StatusOK, page)
		return nil
	})
}

package server

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/ssrmock/ssrmock/fixtures"
)

// school validates the route's school code: 14 digits, a school (not an LEA's own code) of
// the route's LEA.
func (sb *Sandbox) school(r *http.Request, lea fixtures.LEA) (fixtures.School, error) {
	code := mux.Vars(r)["school"]
	if !fixtures.ValidCDS(code) || code[7:] == districtPart {
		return fixtures.School{}, Errorf(CodeInvalidCDS, "a school's CDS code is 14 digits not ending in 0000000")
	}
	s, ok := sb.world.School(code)
	if !ok || s.LEA != lea.CDS {
		return fixtures.School{}, Errorf(CodeNotFound, "no school %s in LEA %s", code, lea.CDS)
	}
	return s, nil
}

func (s *Server) handleSchools(w http.ResponseWriter, r *http.Request) {
	s.withSandbox(w, r, func(sb *Sandbox) error {
		l, err := sb.lea(r)
		if err != nil {
			return err
		}
		encode(w, http.StatusOK, struct {
			Schools []schoolInfo `json:"schools"`
		}{sb.schoolPairs(l.CDS)})
		return nil
	})
}

func (s *Server) handleGenerateSchoolCredentials(w http.ResponseWriter, r *http.Request) {
	s.withSandbox(w, r, func(sb *Sandbox) error {
		l, err := sb.lea(r)
		if err != nil {
			return err
		}
		sc, err := sb.school(r, l)
		if err != nil {
			return err
		}
		var req credentialRequest
		if err := decode(w, r, &req); err != nil {
			return err
		}
		issued, err := s.generatePair(r.Context(), sb, l.CDS, sc.CDS, req.Coordinator, req.AuthorizeRelease)
		if err != nil {
			return err
		}
		s.log.Info("school credentials generated", "sandbox", sb.ID, "lea", l.CDS, "school", sc.CDS, "coordinator", issued.Coordinator, "generation", issued.Generation)
		w.Header().Set("Cache-Control", "no-store")
		encode(w, http.StatusCreated, issued)
		return nil
	})
}

func (s *Server) handleSchoolCredentialStatus(w http.ResponseWriter, r *http.Request) {
	s.withSandbox(w, r, func(sb *Sandbox) error {
		l, err := sb.lea(r)
		if err != nil {
			return err
		}
		sc, err := sb.school(r, l)
		if err != nil {
			return err
		}
		encode(w, http.StatusOK, sb.credentialStatus(sc.CDS, sb.scenario.CredentialReminders))
		return nil
	})
}

package server

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/ssrmock/ssrmock/fixtures"
)

// leaInfo is an LEA as the control API lists it.
type leaInfo struct {
	CDS      string `json:"cds"`
	Name     string `json:"name"`
	County   string `json:"county"`
	Students int    `json:"students"`
}

func (s *Server) handleLEAs(w http.ResponseWriter, r *http.Request) {
	s.withSandbox(w, r, func(sb *Sandbox) error {
		leas := sb.world.LEAs()
		out := struct {
			LEAs []leaInfo `json:"leas"`
		}{LEAs: make([]leaInfo, 0, len(leas))}
		for _, l := range leas {
			_, n := sb.world.LEAStudents(l.CDS)
			out.LEAs = append(out.LEAs, leaInfo{CDS: l.CDS, Name: l.Name, County: l.County, Students: n})
		}
		encode(w, http.StatusOK, out)
		return nil
	})
}

// lea validates the route's LEA code.
func (sb *Sandbox) lea(r *http.Request) (fixtures.LEA, error) {
	code := mux.Vars(r)["lea"]
	if !fixtures.ValidCDS(code) {
		return fixtures.LEA{}, Errorf(CodeInvalidCDS, "an LEA's CDS code is 14 digits ending in 0000000")
	}
	l, ok := sb.world.LEA(code)
	if !ok {
		return fixtures.LEA{}, Errorf(CodeNotFound, "no LEA %s in this sandbox", code)
	}
	return l, nil
}

// credentialRequest is what a coordinator submits on the TOMS credentials page.
type credentialRequest struct {
	AuthorizeRelease bool   `json:"authorizeRelease"`
	Coordinator      string `json:"coordinator"`
}

func (s *Server) handleGenerateCredentials(w http.ResponseWriter, r *http.Request) {
	s.withSandbox(w, r, func(sb *Sandbox) error {
		l, err := sb.lea(r)
		if err != nil {
			return err
		}
		var req credentialRequest
		if err := decode(w, r, &req); err != nil {
			return err
		}
		issued, err := s.generateCredentials(r.Context(), sb, l.CDS, req.Coordinator, req.AuthorizeRelease)
		if err != nil {
			return err
		}
		s.log.Info("credentials generated", "sandbox", sb.ID, "lea", l.CDS, "coordinator", issued.Coordinator, "generation", issued.Generation)
		w.Header().Set("Cache-Control", "no-store")
		encode(w, http.StatusCreated, issued)
		return nil
	})
}

func (s *Server) handleCredentialStatus(w http.ResponseWriter, r *http.Request) {
	s.withSandbox(w, r, func(sb *Sandbox) error {
		l, err := sb.lea(r)
		if err != nil {
			return err
		}
		encode(w, http.StatusOK, sb.credentialStatus(l.CDS, sb.scenario.CredentialReminders))
		return nil
	})
}

// rosterPage is one page of an LEA's current students.
type rosterPage struct {
	Students   []studentInfo `json:"students"`
	NextCursor string        `json:"nextCursor"`
	Total      int           `json:"total"`
}

func (s *Server) handleRoster(w http.ResponseWriter, r *http.Request) {
	s.withSandbox(w, r, func(sb *Sandbox) error {
		l, err := sb.lea(r)
		if err != nil {
			return err
		}
		limit, err := intParam(r, "limit", 50, 1, 1000)
		if err != nil {
			return err
		}
		cursor, err := intParam(r, "cursor", 0, 0, 1<<40)
		if err != nil {
			return err
		}
		match, err := sb.rosterFilter(r)
		if err != nil {
			return err
		}
		first, count := sb.world.LEAStudents(l.CDS)
		in := sb.state().TransfersIn[l.CDS]
		page := rosterPage{Students: []studentInfo{}, Total: count + len(in)}
		pos := cursor
		// A filtered page of a statewide LEA stops after scanning maxRosterScan students and
		// hands back a cursor, so that no request walks half a million students.
		for end := pos + maxRosterScan; pos < count+len(in) && pos < end && len(page.Students) < limit; pos++ {
			var v studentView
			if pos < count {
				st, ok := sb.world.Student(first + pos)
				if !ok {
					continue
				}
				v = sb.view(st)
			} else {
				var ok bool
				if v, ok = sb.student(in[pos-count]); !ok {
					continue
				}
			}
			if v.LEA != l.CDS || !match(v) {
				continue // transferred out, or not what was asked for
			}
			page.Students = append(page.Students, studentJSON(v))
		}
		if pos < count+len(in) {
			page.NextCursor = strconv.Itoa(pos)
		}
		encode(w, http.StatusOK, page)
		return nil
	})
}

// maxRosterScan bounds the students one roster page looks at.
const maxRosterScan = 20_000

// rosterFilter reads the roster's optional filters: assessment (a report family) and
// schoolYear ("2018-19"). A student matches when it has a report of that family in that year.
func (sb *Sandbox) rosterFilter(r *http.Request) (func(studentView) bool, error) {
	q := r.URL.Query()
	family, year := q.Get("assessment"), q.Get("schoolYear")
	if family == "" && year == "" {
		return func(studentView) bool { return true }, nil
	}
	if family != "" && !slices.ContainsFunc(sb.scenario.Tests(), func(t fixtures.Test) bool { return string(t.Family) == family }) {
		return nil, Errorf(CodeBadRequest, "assessment %q is not one of this scenario's report families", family)
	}
	if year != "" && !slices.ContainsFunc(sb.scenario.Years, func(y fixtures.SchoolYear) bool { return y.String() == year }) {
		return nil, Errorf(CodeBadRequest, "schoolYear %q has no reports in this scenario", year)
	}
	return func(v studentView) bool {
		for _, rep := range sb.world.Reports(v.Student) {
			if (family == "" || string(rep.Family) == family) && (year == "" || rep.Year.String() == year) {
				return true
			}
		}
		return false
	}, nil
}

// intParam reads an optional integer query parameter within [lo, hi].
func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		return 0, Errorf(CodeBadRequest, "%s must be a whole number from %d to %d", name, lo, hi)
	}
	return n, nil
}

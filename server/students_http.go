package server

import (
	"net/http"
	"time"

	"github.com/ssrmock/ssrmock/server/store"

	"github.com/gorilla/mux"

	"github.com/ssrmock/ssrmock/fixtures"
)

// studentInfo is a student as the control API shows it.
type studentInfo struct {
	SSID            string           `json:"ssid"`
	FirstName       string           `json:"firstName"`
	MiddleName      string           `json:"middleName,omitempty"`
	LastName        string           `json:"lastName"`
	BirthDate       string           `json:"birthDate"`
	Grade           string           `json:"grade"`
	PrimaryLanguage string           `json:"primaryLanguage"`
	ReportLanguage  string           `json:"reportLanguage,omitempty"`
	ELStatus        string           `json:"elStatus"`
	LEA             string           `json:"lea"`
	School          string           `json:"school"`
	Enrollments     []enrollmentInfo `json:"enrollments,omitempty"`
}

type enrollmentInfo struct {
	SchoolYear string     `json:"schoolYear"`
	Grade      string     `json:"grade"`
	School     string     `json:"school"`
	LEA        string     `json:"lea"`
	Start      time.Time  `json:"start"`
	End        *time.Time `json:"end,omitempty"`
}

func studentJSON(v studentView) studentInfo {
	return studentInfo{
		SSID: v.SSID, FirstName: v.FirstName, MiddleName: v.MiddleName, LastName: v.LastName,
		BirthDate: v.BirthDate.Format(time.DateOnly), Grade: v.Grade.String(),
		PrimaryLanguage: v.PrimaryLanguage, ReportLanguage: string(v.ReportLanguage), ELStatus: v.ELStatus,
		LEA: v.LEA, School: v.School,
	}
}

func studentDetailJSON(v studentView) studentInfo {
	out := studentJSON(v)
	for _, e := range v.Enrollments {
		ei := enrollmentInfo{SchoolYear: e.Year.String(), Grade: e.Grade.String(), School: e.School, LEA: e.LEA, Start: e.Start}
		if !e.End.IsZero() {
			end := e.End
			ei.End = &end
		}
		out.Enrollments = append(out.Enrollments, ei)
	}
	return out
}

// studentParam finds the route's student.
func (sb *Sandbox) studentParam(r *http.Request) (studentView, error) {
	ssid := mux.Vars(r)["ssid"]
	if !fixtures.ValidSSID(ssid) {
		return studentView{}, Errorf(CodeInvalidSSID, "an SSID is 10 digits")
	}
	v, ok := sb.student(ssid)
	if !ok {
		return studentView{}, Errorf(CodeStudentNotFound, "no student %s in this sandbox", ssid)
	}
	sb.markSeen(r.Context(), ssid)
	return v, nil
}

func (s *Server) handleStudent(w http.ResponseWriter, r *http.Request) {
	s.withSandbox(w, r, func(sb *Sandbox) error {
		v, err := sb.studentParam(r)
		if err != nil {
			return err
		}
		encode(w, http.StatusOK, studentDetailJSON(v))
		return nil
	})
}

// truthReport is one language of one report as ground truth.
type truthReport struct {
	ID         string    `json:"id"`
	ReportID   string    `json:"reportId"`
	Program    string    `json:"program"`
	Assessment string    `json:"assessment"`
	SchoolYear string    `json:"schoolYear"`
	Language   string    `json:"language"`
	Format     string    `json:"format"`
	Version    int       `json:"version"`
	Grade      string    `json:"grade"`
	LEA        string    `json:"lea"`
	School     string    `json:"school"`
	TOMSAt     time.Time `json:"tomsAt"`
	ReleasedAt time.Time `json:"releasedAt"`
	Released   bool      `json:"released"`
	Visible    bool      `json:"visible"`
	SHA256     string    `json:"sha256"`
}

// groundTruth is every report of a student with what one LEA may see at one instant.
type groundTruth struct {
	SSID    string        `json:"ssid"`
	LEA     string        `json:"lea"`
	At      time.Time     `json:"at"`
	Reports []truthReport `json:"reports"`
}

func (s *Server) handleGroundTruth(w http.ResponseWriter, r *http.Request) {
	s.withSandbox(w, r, func(sb *Sandbox) error {
		v, err := sb.studentParam(r)
		if err != nil {
			return err
		}
		q := r.URL.Query()
		lea := q.Get("lea")
		if lea == "" {
			lea = v.LEA
		} else if !fixtures.ValidCDS(lea) {
			return Errorf(CodeInvalidCDS, "lea must be a 14-digit CDS code")
		}
		at, err := timeParam(r, "at", sb.now())
		if err != nil {
			return err
		}
		out := groundTruth{SSID: v.SSID, LEA: lea, At: at, Reports: []truthReport{}}
		for rep := range sb.reports(v) {
			for _, lang := range rep.Languages {
				for _, format := range reportFormats(sb.scenario) {
					file, err := s.render(sb, v, rep, lang, format)
					if err != nil {
						return err
					}
					out.Reports = append(out.Reports, truthReport{
						ID: formatListingID(rep, lang, format), ReportID: rep.ID, Program: string(rep.Program),
						Assessment: string(rep.Family), SchoolYear: rep.Year.String(), Language: string(lang),
						Format:  format,
						Version: rep.Version, Grade: rep.Grade.String(), LEA: rep.LEA, School: rep.School,
						TOMSAt: rep.ToTOMS, ReleasedAt: rep.Released, Released: !at.Before(rep.Released),
						Visible: sb.visible(v, rep, lea, at), SHA256: file.sha256,
					})
				}
			}
		}
		encode(w, http.StatusOK, out)
		return nil
	})
}

// transferRequest moves a student to another LEA.
type transferRequest struct {
	LEA string `json:"lea"`
}

func (s *Server) handleTransfer(w http.ResponseWriter, r *http.Request) {
	s.withSandbox(w, r, func(sb *Sandbox) error {
		v, err := sb.studentParam(r)
		if err != nil {
			return err
		}
		var req transferRequest
		if err := decode(w, r, &req); err != nil {
			return err
		}
		if !fixtures.ValidCDS(req.LEA) {
			return Errorf(CodeInvalidCDS, "lea must be a 14-digit CDS code")
		}
		if _, ok := sb.world.LEA(req.LEA); !ok {
			return Errorf(CodeNotFound, "no LEA %s in this sandbox", req.LEA)
		}
		if req.LEA == v.LEA {
			return Errorf(CodeConflict, "student %s is already enrolled in %s", v.SSID, req.LEA)
		}
		school := schoolFor(sb.world.Schools(req.LEA), v.Grade)
		_, err = sb.update(r.Context(), func(st *store.State) error {
			prev, moved := st.Transfers[v.SSID]
			t := store.Transfer{From: v.LEA, To: req.LEA, School: school, At: sb.nowIn(st.Clock)}
			if moved {
				// Keep the first move's origin: the world's enrollment ends there.
				t.From = prev.From
			}
			st.Transfers[v.SSID] = t
			if moved {
				st.TransfersIn[prev.To] = removeString(st.TransfersIn[prev.To], v.SSID)
			}
			if home := homeLEA(v); home != req.LEA {
				st.TransfersIn[req.LEA] = append(st.TransfersIn[req.LEA], v.SSID)
			}
			return nil
		})
		if err != nil {
			return err
		}
		nv, _ := sb.student(v.SSID)
		encode(w, http.StatusOK, studentDetailJSON(nv))
		return nil
	})
}

// homeLEA is the LEA whose roster range holds the student in the world.
func homeLEA(v studentView) string {
	if n := len(v.Student.Enrollments); n > 0 {
		return v.Student.Enrollments[n-1].LEA
	}
	return ""
}

// schoolFor picks the first school serving grade, or the first school.
func schoolFor(schools []fixtures.School, grade fixtures.Grade) string {
	for _, sc := range schools {
		if sc.Low <= grade && grade <= sc.High {
			return sc.CDS
		}
	}
	if len(schools) > 0 {
		return schools[0].CDS
	}
	return ""
}

func removeString(list []string, s string) []string {
	out := list[:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

func (s *Server) handleAmend(w http.ResponseWriter, r *http.Request) {
	s.withSandbox(w, r, func(sb *Sandbox) error {
		var none struct{} // amend takes no fields, but a body it is sent is still checked
		if err := decode(w, r, &none); err != nil {
			return err
		}
		id := mux.Vars(r)["id"]
		if base, _, ok := splitListingID(id); ok {
			id = base // a listing ID names the report too
		}
		rep, st, ok := sb.world.Report(id)
		if !ok {
			return Errorf(CodeNotFound, "no report %q in this sandbox", id)
		}
		var ver int
		if _, err := sb.update(r.Context(), func(s *store.State) error {
			ver = max(s.Amendments[rep.ID], 1) + 1
			s.Amendments[rep.ID] = ver
			return nil
		}); err != nil {
			return err
		}
		sb.markSeen(r.Context(), st.SSID)
		encode(w, http.StatusOK, struct {
			ReportID string `json:"reportId"`
			Version  int    `json:"version"`
		}{rep.ID, ver})
		return nil
	})
}

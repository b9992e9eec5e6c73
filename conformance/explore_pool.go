package conformance

import (
	"errors"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
)

// poolSize bounds a walk's pool of students: each one's first page view makes the server
// render all of its PDFs.
const poolSize = 7

// pickLEAs returns the walk's two LEAs: the one with the most students (where the pool comes
// from) and another with students (where students transfer to).
func pickLEAs(w *world, r *rand.Rand) []string {
	leas, err := w.h.api.LEAs(w.ctx, w.sb.ID)
	w.controlErr(err, "listing LEAs")
	leas = slices.DeleteFunc(leas, func(l controlapi.LEA) bool { return l.Students == 0 })
	if len(leas) < 2 {
		failHarness("the explore sandbox (seed %d) has fewer than two LEAs with students", w.seed)
	}
	slices.SortFunc(leas, func(a, b controlapi.LEA) int { return b.Students - a.Students })
	other := 1 + r.IntN(min(3, len(leas)-1))
	return []string{leas[0].CDS, leas[other].CDS}
}

// findPool picks the walk's students from LEA lea: between them they have every report
// family and every translated language the LEA's students have, and one of them has no report
// yet but one to come. It prefers young students, who have fewer reports: each student's
// first page view makes the server render all of the student's PDFs.
func findPool(w *world, lea, year string, r *rand.Rand) []member {
	var pool []member
	fams := map[string]bool{}
	langs := map[string]bool{}
	has := func(ssid string) bool {
		return slices.ContainsFunc(pool, func(m member) bool { return m.SSID == ssid })
	}
	add := func(ssid, why string) controlapi.Truth {
		t := w.truth(lea, ssid)
		pool = append(pool, member{SSID: ssid, Why: why})
		for _, rep := range t.Reports {
			fams[rep.Assessment], langs[rep.Language] = true, true
		}
		return t
	}
	youngFirst := func(cands []controlapi.Student) {
		slices.SortStableFunc(cands, func(a, b controlapi.Student) int {
			na, nb := !langs[reportLang(a)], !langs[reportLang(b)]
			if na != nb {
				if na {
					return -1
				}
				return 1
			}
			return gradeRank(a.Grade) - gradeRank(b.Grade)
		})
	}
	// A student with an empty list now and a first report to come.
	cands := rosterSample(w, lea, controlapi.RosterFilter{SchoolYear: year}, 40)
	slices.SortStableFunc(cands, func(a, b controlapi.Student) int { return gradeRank(a.Grade) - gradeRank(b.Grade) })
	for _, st := range cands[:min(3, len(cands))] {
		t := w.truth(lea, st.SSID)
		if len(t.Visible()) == 0 && len(t.Reports) > 0 {
			add(st.SSID, "no report yet, a first one to come")
			break
		}
	}
	// The rarest families first: their students often have the common ones too.
	for _, fam := range exploreRarestFirst {
		if fams[fam] || len(pool) >= poolSize {
			continue
		}
		cands := slices.DeleteFunc(rosterSample(w, lea, controlapi.RosterFilter{Assessment: fam}, 4),
			func(s controlapi.Student) bool { return has(s.SSID) })
		if len(cands) == 0 {
			continue
		}
		youngFirst(cands)
		add(cands[0].SSID, "a "+fam+" report")
	}
	// Every translated language the LEA's students read.
	for _, st := range rosterSample(w, lea, controlapi.RosterFilter{}, 400) {
		if l := reportLang(st); !langs[l] && !has(st.SSID) && len(pool) < poolSize {
			add(st.SSID, "reports in "+l)
		}
	}
	if len(pool) == 0 {
		failHarness("the explore sandbox (seed %d) has no student with reports in LEA %s", w.seed, lea)
	}
	r.Shuffle(len(pool), func(a, b int) { pool[a], pool[b] = pool[b], pool[a] })
	return pool
}

// exploreRarestFirst orders the report families for the pool's search.
var exploreRarestFirst = []string{"alternate-elpac", "caa", "csa", "cast", "initial-elpac", "summative-elpac", "smarter-balanced"}

// rosterSample reads up to n students of lea matching f, following cursors over a few pages.
func rosterSample(w *world, lea string, f controlapi.RosterFilter, n int) []controlapi.Student {
	var out []controlapi.Student
	cursor := ""
	for page := 0; page < 4 && len(out) < n; page++ {
		got, next, err := w.h.api.Roster(w.ctx, w.sb.ID, lea, f, n-len(out), cursor)
		var ce *controlapi.Error
		if errors.As(err, &ce) && ce.Status == http.StatusBadRequest && f.Assessment != "" {
			return nil // the scenario has no such report family
		}
		w.controlErr(err, "reading the roster of LEA "+lea)
		out = append(out, got...)
		if next == "" || next == cursor {
			break
		}
		cursor = next
	}
	return out
}

func reportLang(s controlapi.Student) string {
	if s.ReportLanguage == "" {
		return "en"
	}
	return s.ReportLanguage
}

// gradeRank orders grades: TK and K first, then 1 to 12.
func gradeRank(g string) int {
	switch strings.ToUpper(g) {
	case "TK":
		return -1
	case "K", "KN":
		return 0
	}
	n := 0
	for _, c := range g {
		if c < '0' || c > '9' {
			return 99
		}
		n = n*10 + int(c-'0')
	}
	return n
}

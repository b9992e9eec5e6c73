package conformance

import (
	"fmt"
	"slices"

	. "github.com/onsi/ginkgo/v2"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
)

// candidate is a student found on an LEA's roster, with the ground truth for that LEA now.
type candidate struct {
	student controlapi.Student
	lea     string
	truth   controlapi.Truth
}

// need describes the student a spec needs.
type need struct {
	// what describes the student for failure messages.
	what string
	// roster narrows the roster walk cheaply, on the server.
	roster controlapi.RosterFilter
	// student, when not nil, skips students before their ground truth is read (it is costly:
	// the server hashes every PDF).
	student func(controlapi.Student) bool
	// match decides on the ground truth.
	match func(candidate) bool
}

// The needs most specs share.
var (
	// withReports is a student with a report visible at the scenario's start: every student
	// with a 2017-18 report has one.
	withReports = need{what: "enrolled with a visible report", roster: controlapi.RosterFilter{SchoolYear: "2017-18"},
		match: func(c candidate) bool { return c.visibleCount(nil) > 0 }}
	// withHistory is a student with visible historical reports and a 2018-19 report to come.
	withHistory = need{what: "with historical reports and a 2018-19 report to come", roster: controlapi.RosterFilter{SchoolYear: "2017-18"},
		match: func(c candidate) bool {
			return c.visibleCount(yearBefore("2018-19")) > 0 && len(c.pending(inYear("2018-19"))) > 0
		}}
)

// rosterPage is the page size of roster walks; most needs are met by one of the first students.
const rosterPage = 25

// seedTries bounds how many sandboxes a search looks through before it gives up.
const seedTries = 3

// find walks the rosters of the sandbox's LEAs and returns the first student n matches. When
// the sandbox has none it tries sandboxes with the next seeds, so it must run before the spec
// connects the vendor.
func (w *world) find(n need) candidate {
	for try := 0; try < seedTries; try++ {
		if try > 0 {
			w.seed++
			w.createSandbox()
		}
		if c, ok := w.search(n, "", ""); ok {
			return c
		}
	}
	Fail(fmt.Sprintf("%sno student %s in %d %s sandboxes from seed %d", harnessMark, n.what, seedTries, w.scale, w.seed-seedTries+1), 1)
	return candidate{}
}

// findAnother is find restricted to LEA lea, in the current sandbox, for a student other than
// except.
func (w *world) findAnother(lea, except string, n need) candidate {
	if c, ok := w.search(n, lea, except); ok {
		return c
	}
	Fail(fmt.Sprintf("%sno second student %s in LEA %s (sandbox seed %d)", harnessMark, n.what, lea, w.seed), 1)
	return candidate{}
}

func (w *world) search(n need, onlyLEA, except string) (candidate, bool) {
	leas, err := w.h.api.LEAs(w.ctx, w.sb.ID)
	w.controlErr(err, "listing LEAs")
	for _, lea := range leas {
		if lea.Students == 0 || (onlyLEA != "" && lea.CDS != onlyLEA) {
			continue
		}
		cursor := ""
		for {
			page, next, err := w.h.api.Roster(w.ctx, w.sb.ID, lea.CDS, n.roster, rosterPage, cursor)
			w.controlErr(err, "reading the roster of LEA "+lea.CDS)
			for _, st := range page {
				if st.SSID == except || (n.student != nil && !n.student(st)) {
					continue
				}
				c := candidate{student: st, lea: lea.CDS}
				c.truth = w.truth(lea.CDS, st.SSID)
				if n.match == nil || n.match(c) {
					return c, true
				}
			}
			if next == "" || next == cursor || len(page) == 0 {
				break
			}
			cursor = next
		}
	}
	return candidate{}, false
}

// otherLEA returns an LEA of the sandbox other than lea that has students.
func (w *world) otherLEA(lea string) string {
	leas, err := w.h.api.LEAs(w.ctx, w.sb.ID)
	w.controlErr(err, "listing LEAs")
	for _, l := range leas {
		if l.CDS != lea && l.Students > 0 {
			return l.CDS
		}
	}
	Fail(fmt.Sprintf("%sthe sandbox (seed %d) has no second LEA with students", harnessMark, w.seed), 1)
	return ""
}

// visibleCount counts c's visible reports that satisfy keep (nil keeps all).
func (c candidate) visibleCount(keep func(controlapi.TruthReport) bool) int {
	n := 0
	for _, r := range c.truth.Reports {
		if r.Visible && (keep == nil || keep(r)) {
			n++
		}
	}
	return n
}

// pending returns c's reports not yet released that satisfy keep, earliest release first.
func (c candidate) pending(keep func(controlapi.TruthReport) bool) []controlapi.TruthReport {
	var out []controlapi.TruthReport
	for _, r := range c.truth.Reports {
		if !r.Released && (keep == nil || keep(r)) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b controlapi.TruthReport) int { return a.ReleasedAt.Compare(b.ReleasedAt) })
	return out
}

func family(name string) func(controlapi.TruthReport) bool {
	return func(r controlapi.TruthReport) bool { return r.Assessment == name }
}

func program(name string) func(controlapi.TruthReport) bool {
	return func(r controlapi.TruthReport) bool { return r.Program == name }
}

func yearBefore(year string) func(controlapi.TruthReport) bool {
	return func(r controlapi.TruthReport) bool { return r.SchoolYear < year }
}

func inYear(year string) func(controlapi.TruthReport) bool {
	return func(r controlapi.TruthReport) bool { return r.SchoolYear == year }
}

func notEnglish(r controlapi.TruthReport) bool { return r.Language != "en" }

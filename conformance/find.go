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

// seedTries bounds how many sandboxes a search looks through before it gives up.
const seedTries = 4

// find walks the rosters of the sandbox's LEAs and returns the first student for whom match
// holds. When the sandbox has none it tries sandboxes with the next seeds, so it must run before
// the spec connects the vendor. what describes the student for the failure message.
func (w *world) find(what string, match func(c candidate) bool) candidate {
	for try := 0; try < seedTries; try++ {
		if try > 0 {
			w.seed++
			w.createSandbox()
		}
		if c, ok := w.search(match, ""); ok {
			return c
		}
	}
	Fail(fmt.Sprintf("%sno student who is %s in %d tiny sandboxes from seed %d", harnessMark, what, seedTries, w.seed-seedTries+1), 1)
	return candidate{}
}

// findIn is find restricted to one LEA's roster, in the current sandbox only.
func (w *world) findIn(lea, what string, match func(c candidate) bool) candidate {
	if c, ok := w.search(match, lea); ok {
		return c
	}
	Fail(fmt.Sprintf("%sno student who is %s in LEA %s (sandbox seed %d)", harnessMark, what, lea, w.seed), 1)
	return candidate{}
}

func (w *world) search(match func(c candidate) bool, onlyLEA string) (candidate, bool) {
	leas, err := w.h.api.LEAs(w.ctx, w.sb.ID)
	w.controlErr(err, "listing LEAs")
	for _, lea := range leas {
		if lea.Students == 0 || (onlyLEA != "" && lea.CDS != onlyLEA) {
			continue
		}
		cursor := ""
		for {
			page, next, err := w.h.api.Roster(w.ctx, w.sb.ID, lea.CDS, 200, cursor)
			w.controlErr(err, "reading the roster of LEA "+lea.CDS)
			for _, st := range page {
				c := candidate{student: st, lea: lea.CDS}
				c.truth = w.truth(lea.CDS, st.SSID)
				if match(c) {
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

// Predicates over a candidate's ground truth.

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

func yearBefore(year string) func(controlapi.TruthReport) bool {
	return func(r controlapi.TruthReport) bool { return r.SchoolYear < year }
}

func inYear(year string) func(controlapi.TruthReport) bool {
	return func(r controlapi.TruthReport) bool { return r.SchoolYear == year }
}

func notEnglish(r controlapi.TruthReport) bool { return r.Language != "en" }

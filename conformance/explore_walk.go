package conformance

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
	"github.com/ssrmock/ssrmock/conformance/driver"
)

// explorer runs the explore phase: walks, their shrinking, the coverage of them all.
type explorer struct {
	ctx context.Context
	h   *harness
	cfg ExploreConfig
	cov *Coverage
	// slowLeft is how many more slow faults the phase may draw: each costs the vendor's
	// timeout in real time.
	slowLeft int
}

// walkPlan is what a replay of a walk needs besides its steps.
type walkPlan struct {
	scenario string
	seed     int64 // the sandbox's seed
	leas     []string
	pool     []member
}

// walk is one run of a sequence of steps in a sandbox of its own.
type walk struct {
	x      *explorer
	w      *world
	st     *state
	j      *judge
	plan   walkPlan
	pool   []member
	ssidOf map[string]string // report id → student
	done   []Step            // the steps carried out, with their texts
}

// exploreSyncGap is how often a walk runs the vendor's scheduled job (the "sync" operation):
// once a day of sandbox time, as a nightly job would run.
const exploreSyncGap = 24 * time.Hour

// failHarness stops the spec: the suite, not the vendor, could not go on.
func failHarness(format string, args ...any) {
	err := fmt.Errorf(format, args...)
	noteHarnessError(err)
	Fail(harnessMark+err.Error(), 1)
}

// openWorld makes a county sandbox for a walk and resets the driver; the returned function
// deletes the sandbox.
func (x *explorer) openWorld(scenario string, seed int64) (*world, func()) {
	w := &world{ctx: x.ctx, h: x.h, scenario: scenario, scale: "county", seed: seed, creds: map[string]controlapi.Credentials{},
		syncGap: exploreSyncGap}
	sb, err := x.h.api.CreateSandbox(x.ctx, controlapi.SandboxSpec{Seed: seed, Scenario: scenario, Scale: "county"})
	w.controlErr(err, "creating an explore sandbox")
	w.sb, w.now = sb, sb.Now
	w.driverErr(x.h.drv.Reset(x.ctx), "reset")
	w.tellClock()
	return w, func() { _ = x.h.api.DeleteSandbox(context.WithoutCancel(x.ctx), sb.ID) }
}

// start connects both LEAs of the plan and reads the pool's reports.
func (x *explorer) start(w *world, plan walkPlan) *walk {
	k := &walk{x: x, w: w, plan: plan, pool: plan.pool, ssidOf: map[string]string{}}
	k.st = &state{leas: plan.leas, at: map[string]int{}, amended: map[string]bool{}, clocked: x.h.has(driver.CapClock)}
	k.j = newJudge(k)
	for i, lea := range plan.leas {
		cr := w.generate(lea, controlapi.CoordinatorCAASPP)
		k.st.current = append(k.st.current, cr)
		k.st.held = append(k.st.held, controlapi.Credentials{})
		k.enter(i, cr)
	}
	seen := map[string]bool{}
	for _, m := range plan.pool {
		k.st.at[m.SSID] = m.Home
		for _, r := range w.truth(plan.leas[m.Home], m.SSID).Reports {
			if !seen[r.ReportID] {
				seen[r.ReportID] = true
				k.st.releases = append(k.st.releases, r)
				k.ssidOf[r.ReportID] = m.SSID
			}
			x.cov.offer(plan.scenario, r.Assessment, r.Language)
		}
	}
	slices.SortStableFunc(k.st.releases, func(a, b controlapi.TruthReport) int { return a.ReleasedAt.Compare(b.ReleasedAt) })
	k.j.cursor = w.cursor()
	return k
}

// walkOutcome is how a run of steps ended.
type walkOutcome struct {
	steps   []Step // the steps carried out (skipped ones left out), with their texts
	failure *trappedFailure
}

// runSteps carries out steps in a fresh sandbox, stopping at the first failed check. next
// returns the next step to carry out, or false when there are no more; it may generate steps
// from the walk's state.
func (x *explorer) runSteps(plan *walkPlan, next func(k *walk, i int) (Step, bool)) walkOutcome {
	w, done := x.openWorld(plan.scenario, plan.seed)
	defer done()
	if plan.leas == nil {
		r := rand.New(rand.NewPCG(uint64(plan.seed), 0x5eed))
		plan.leas = pickLEAs(w, r)
		plan.pool = findPool(w, plan.leas[0], plan.scenario, r)
	}
	k := x.start(w, *plan)
	var out walkOutcome
	for i := 0; ; i++ {
		s, ok := next(k, i)
		if !ok {
			break
		}
		if f := trapChecks(func() { k.exec(&s) }); f != nil {
			out.failure = f
			out.steps = append(k.done, s)
			return out
		}
		if s.Text != "" {
			k.done = append(k.done, s)
		}
	}
	out.steps = k.done
	return out
}

// exec carries out one step: its event, then its page views, each judged.
func (k *walk) exec(s *Step) {
	k.clearOneShot()
	text, ok := k.apply(s.Event)
	if !ok {
		return
	}
	s.Text = text
	var pages []string
	for _, l := range s.Views {
		i := l.LEA
		if i < 0 {
			i = k.st.at[l.SSID]
		}
		pages = append(pages, fmt.Sprintf("%s at LEA %s", l.SSID, leaLetter(i)))
	}
	s.Pages = strings.Join(pages, ", ")
	k.between()
	for _, l := range s.Views {
		k.look(l, s)
	}
}

// generated is a next function that draws each step from the walk's state, the first one
// being page views of the whole pool.
func (x *explorer) generated(r *rand.Rand, steps int) func(k *walk, i int) (Step, bool) {
	return func(k *walk, i int) (Step, bool) {
		if i > steps {
			return Step{}, false
		}
		if i == 0 {
			s := Step{Event: Event{Kind: evViewsOnly}}
			for _, m := range k.pool {
				s.Views = append(s.Views, Look{LEA: -1, SSID: m.SSID})
			}
			return s, true
		}
		return k.generate(r), true
	}
}

// fixed is a next function that replays steps.
func fixed(steps []Step) func(k *walk, i int) (Step, bool) {
	return func(k *walk, i int) (Step, bool) {
		if i >= len(steps) {
			return Step{}, false
		}
		s := steps[i]
		s.Text = ""
		return s, true
	}
}

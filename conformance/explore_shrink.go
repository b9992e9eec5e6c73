package conformance

import (
	"slices"
)

// maxShrinkReplays is shrinking's budget: replays are cheap (each stops at its failure), but a
// vendor that fails everywhere must not make the run slow. It counts replays, not time, so
// that the same seed shrinks to the same steps on any machine.
const maxShrinkReplays = 40

// shrink replays shorter versions of a failed walk and keeps the shortest one that fails the
// same check: first it drops runs of steps (halving their length, as delta debugging does),
// then page views. Each replay starts from a fresh sandbox and a reset driver.
func (x *explorer) shrink(plan *walkPlan, found walkOutcome) *ExploreFailure {
	saved := x.cov
	x.cov = newCoverage() // replays do not count as coverage
	defer func() { x.cov = saved }()

	site := found.failure.site
	best, msg := found.steps, found.failure.msg
	replays := 0
	try := func(cand []Step) bool {
		if len(cand) == 0 || replays >= maxShrinkReplays {
			return false
		}
		replays++
		out := x.runSteps(plan, fixed(cand))
		if out.failure == nil || out.failure.site != site {
			return false
		}
		best, msg = out.steps, out.failure.msg
		return true
	}
	for n := len(best) / 2; n >= 1; n /= 2 {
		for i := 0; i+n <= len(best); {
			if !try(slices.Concat(best[:i], best[i+n:])) {
				i += n
			}
		}
	}
	for si := 0; si < len(best); si++ {
		for vi := 0; vi < len(best[si].Views); {
			cand := slices.Clone(best)
			cand[si].Views = slices.Delete(slices.Clone(cand[si].Views), vi, vi+1)
			if !try(cand) {
				vi++
			}
		}
	}
	return &ExploreFailure{Scenario: plan.scenario, SandboxSeed: plan.seed, FoundAfter: len(found.steps),
		Steps: best, Message: msg, Replays: replays}
}

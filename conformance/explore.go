package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"math/rand/v2"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// DefaultExploreSteps is the number of steps of each explore walk when ExploreConfig.Steps is
// zero: enough to meet every event and every fault kind on every route in one run, within the
// suite's time budget.
const DefaultExploreSteps = 30

// exploreScenarios are the scenarios of the walks, one walk each.
var exploreScenarios = []string{scenario2018, scenario2025}

// ExploreConfig configures the explore phase.
type ExploreConfig struct {
	// Seed fixes the walks: the same seed and the same vendor give the same walks. 0 means
	// the run's random seed.
	Seed int64
	// Steps is the number of steps of each walk; 0 means DefaultExploreSteps.
	Steps int
}

func (c ExploreConfig) steps() int {
	if c.Steps <= 0 {
		return DefaultExploreSteps
	}
	return c.Steps
}

// slowBudget is how many slow faults a phase may draw: one per default budget of steps.
func (c ExploreConfig) slowBudget() int { return max(1, c.steps()/DefaultExploreSteps) }

// exploreEntry names the report entry that carries the explore phase's report from the spec to
// the summary.
const exploreEntry = "ssrmock-explore"

var _ = Describe("explore", Label(AreaExplore), func() {
	ConformanceIt("explore/model",
		"A vendor MUST show every parent what the service's ground truth says, and keep every journal rule, at every page view of seeded random walks through clock moves, releases, amendments, regenerations, expiries, transfers and faults on every route.",
		func(ctx SpecContext) {
			if suite == nil {
				Fail(harnessMark + "the suite setup did not finish")
			}
			rep := explore(ctx, suite, runOpts.Explore)
			data, err := json.Marshal(rep)
			if err != nil {
				Fail(harnessMark + "encoding the explore report: " + err.Error())
			}
			AddReportEntry(exploreEntry, ReportEntryVisibilityNever, string(data))
			fmt.Fprint(GinkgoWriter, rep.Coverage.Text())
			if rep.Failure != nil {
				Fail(rep.Failure.Text())
			}
		})
})

// explore runs the explore phase: one walk per scenario, the first failure shrunk.
func explore(ctx context.Context, h *harness, cfg ExploreConfig) *ExploreReport {
	x := &explorer{ctx: ctx, h: h, cfg: cfg, cov: newCoverage(), slowLeft: cfg.slowBudget()}
	rep := &ExploreReport{Seed: cfg.Seed, Steps: cfg.steps(), Coverage: x.cov}
	for i, scenario := range exploreScenarios {
		plan := &walkPlan{scenario: scenario, seed: sandboxSeed(cfg.Seed, i)}
		r := rand.New(rand.NewPCG(uint64(cfg.Seed), uint64(i)))
		out := x.runSteps(plan, x.generated(r, cfg.steps()))
		x.cov.Walks++
		x.cov.Steps += len(out.steps)
		rep.Walks = append(rep.Walks, WalkResult{Scenario: scenario, SandboxSeed: plan.seed, Steps: len(out.steps), Failed: out.failure != nil, Pool: plan.pool})
		if out.failure != nil {
			rep.Failure = x.shrink(plan, out)
			rep.Failure.Replay = replayCommand(h.opts, cfg)
			break
		}
	}
	if rep.Failure == nil {
		x.notExercised()
	}
	return rep
}

// sandboxSeed is the seed of walk i's sandbox.
func sandboxSeed(seed int64, i int) int64 {
	s := (seed + int64(i)*7919) % 100000
	if s < 0 {
		s = -s
	}
	return s + 1
}

// notExercised notes what the phase could not reach.
func (x *explorer) notExercised() {
	c := x.cov
	if f := c.Faults["pdf"]; len(f) == 0 {
		c.NotExercised = append(c.NotExercised, "faults on the report file: the vendor hands parents links, which their browser downloads")
	}
	if !x.h.has("clock") {
		c.NotExercised = append(c.NotExercised, "Retry-After and maintenance windows: the driver lacks the \"clock\" capability, so it cannot tell that sandbox time moved on")
	}
	for _, route := range faultRoutes {
		for _, kind := range faultKinds {
			if f := c.Faults[route][kind]; f != nil && f.Met == 0 {
				c.NotExercised = append(c.NotExercised, fmt.Sprintf("%s on %s was scheduled but no request met it", kind, route))
			}
		}
	}
}

// ExploreReport is what the explore phase did and found; conformance.json carries it.
type ExploreReport struct {
	// Seed is the seed that replays the phase (--explore-seed); Steps the steps of each walk.
	Seed  int64        `json:"seed"`
	Steps int          `json:"steps"`
	Walks []WalkResult `json:"walks"`
	// Failure is the first failure found, shrunk; nil when every walk passed.
	Failure  *ExploreFailure `json:"failure,omitempty"`
	Coverage *Coverage       `json:"coverage"`
}

// WalkResult is one walk of the phase.
type WalkResult struct {
	Scenario    string   `json:"scenario"`
	SandboxSeed int64    `json:"sandboxSeed"`
	Steps       int      `json:"steps"`
	Failed      bool     `json:"failed"`
	Pool        []member `json:"pool"`
}

// ExploreFailure is a failure of the explore phase, shrunk to a short sequence of steps a
// person can follow.
type ExploreFailure struct {
	Scenario    string `json:"scenario"`
	SandboxSeed int64  `json:"sandboxSeed"`
	// FoundAfter is the number of steps of the walk when the failure was found.
	FoundAfter int `json:"foundAfter"`
	// Steps is the shrunk sequence: its last step fails.
	Steps []Step `json:"steps"`
	// Message is what the last step's check said.
	Message string `json:"message"`
	// Replays counts the runs shrinking took.
	Replays int `json:"replays"`
	// Replay is the command that runs the same walks again.
	Replay string `json:"replay"`
}

// Text renders the failure as steps a person can follow.
func (f *ExploreFailure) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "The explore phase found a failure after %d steps of a %s walk (sandbox seed %d), shrunk to %d steps:\n",
		f.FoundAfter, f.Scenario, f.SandboxSeed, len(f.Steps))
	fmt.Fprintf(&b, "  0. A %s county sandbox; the CAASPP coordinators of LEAs A and B generate pairs, which their admins enter in the vendor's settings.\n", f.Scenario)
	for i, s := range f.Steps {
		fmt.Fprintf(&b, "  %d. %s\n", i+1, s.Text)
		if s.Pages != "" {
			fmt.Fprintf(&b, "     Parents open the pages of: %s.\n", s.Pages)
		}
	}
	fmt.Fprintf(&b, "Then:\n")
	for _, line := range strings.Split(strings.TrimRight(f.Message, "\n"), "\n") {
		fmt.Fprintf(&b, "  %s\n", line)
	}
	fmt.Fprintf(&b, "Replay: %s\n", f.Replay)
	return b.String()
}

// replayCommand is the command that runs the same explore phase against the same driver.
func replayCommand(opts Options, cfg ExploreConfig) string {
	steps := ""
	if cfg.Steps > 0 && cfg.Steps != DefaultExploreSteps {
		steps = fmt.Sprintf(" --explore-steps %d", cfg.Steps)
	}
	switch {
	case opts.DriverCmd != "":
		return fmt.Sprintf("ssrmock conform --driver-cmd %s --label-filter explore --explore-seed %d%s", shellQuote(opts.DriverCmd), cfg.Seed, steps)
	case opts.DriverURL != "":
		return fmt.Sprintf("ssrmock conform --driver-url %s --label-filter explore --explore-seed %d%s", shellQuote(opts.DriverURL), cfg.Seed, steps)
	}
	return fmt.Sprintf("go test ./conformance -run TestConformance -args -ginkgo.label-filter=explore -explore-seed=%d%s", cfg.Seed, strings.ReplaceAll(steps, " --", " -"))
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// exploreReportOf finds the explore phase's report in a suite report, or nil. The report
// travels as JSON in a report entry, so that it reaches parallel process 1 too.
func exploreReportOf(r types.Report) *ExploreReport {
	for _, sr := range r.SpecReports {
		for _, e := range sr.ReportEntries {
			if e.Name != exploreEntry {
				continue
			}
			s, ok := e.Value.GetRawValue().(string)
			if !ok && json.Unmarshal([]byte(e.Value.AsJSON), &s) != nil {
				continue
			}
			var rep ExploreReport
			if json.Unmarshal([]byte(s), &rep) == nil {
				return &rep
			}
		}
	}
	return nil
}

// Text renders the phase for the text summary: its seed, its walks, the failure if any, and
// its coverage.
func (r *ExploreReport) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Explore phase: seed %d (replay with --explore-seed %d), %d steps per walk", r.Seed, r.Seed, r.Steps)
	for _, w := range r.Walks {
		verdict := "passed"
		if w.Failed {
			verdict = "FAILED"
		}
		fmt.Fprintf(&b, "; %s walk %s after %d steps", w.Scenario, verdict, w.Steps)
	}
	b.WriteString("\n")
	if f := r.Failure; f != nil {
		fmt.Fprintf(&b, "It failed after %d steps of the %s walk, shrunk to %d steps in %d replays (see [explore/model] above).\nReplay: %s\n",
			f.FoundAfter, f.Scenario, len(f.Steps), f.Replays, f.Replay)
	}
	if r.Coverage != nil {
		b.WriteString(r.Coverage.Text())
	}
	return b.String()
}

// HTML renders the phase as a section of the HTML summary.
func (r *ExploreReport) HTML() template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, "<h2>Explore phase</h2><p>Seed %d (replay with <code>--explore-seed %d</code>), %d steps per walk.</p>", r.Seed, r.Seed, r.Steps)
	if f := r.Failure; f != nil {
		fmt.Fprintf(&b, "<p class=\"failed\">It failed after %d steps of the %s walk, shrunk to %d steps (see <code>explore/model</code> above). Replay: <code>%s</code></p>",
			f.FoundAfter, template.HTMLEscapeString(f.Scenario), len(f.Steps), template.HTMLEscapeString(f.Replay))
	}
	if r.Coverage != nil {
		b.WriteString(string(r.Coverage.HTML()))
	}
	return template.HTML(b.String())
}

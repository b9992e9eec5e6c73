package conformance

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// Level says whether a spec's rule is required for conformance or only recommended.
type Level string

// The two levels, also used as Ginkgo labels.
const (
	Required    Level = "required"
	Recommended Level = "recommended"
)

// The areas of the suite; each is a Ginkgo label on its Describe.
const (
	AreaAuthentication    = "authentication"
	AreaRegeneration      = "regeneration"
	AreaCredentialExpiry  = "credential-expiry"
	AreaReleaseTiming     = "release-timing"
	AreaLinks             = "links"
	AreaReportIntegrity   = "report-integrity"
	AreaEnrollmentPrivacy = "enrollment-privacy"
	AreaResilience        = "resilience"
	AreaExplore           = "explore"
)

// Areas lists the areas in the order the summary presents them.
var Areas = []string{
	AreaAuthentication, AreaRegeneration, AreaCredentialExpiry, AreaReleaseTiming,
	AreaLinks, AreaReportIntegrity, AreaEnrollmentPrivacy, AreaResilience, AreaExplore,
}

// Spec is one conformance rule as testdata/specs.yaml lists it.
type Spec struct {
	// ID is stable across releases: known-failing files name specs by it.
	ID    string `json:"id" yaml:"id"`
	Area  string `json:"area" yaml:"area"`
	Level Level  `json:"level" yaml:"level"`
	// Rule is the MUST (required) or SHOULD (recommended) sentence the spec checks.
	Rule string `json:"rule" yaml:"rule"`
}

var (
	registryMu sync.Mutex
	registry   = map[string]Spec{}
)

var idPattern = regexp.MustCompile(`^[a-z][a-z-]*/[a-z0-9][a-z0-9-]*$`)

// ConformanceIt declares one conformance spec: id is "area/slug", rule the MUST or SHOULD
// sentence; args are Ginkgo decorators (Label("recommended") makes the spec recommended, which
// the rule's SHOULD must match) followed by the body, as for It. The spec's Ginkgo text is
// "[id] rule", and it carries the labels of its level and of its area.
func ConformanceIt(id, rule string, args ...any) bool {
	area, _, _ := strings.Cut(id, "/")
	level := Required
	for _, a := range args {
		if l, ok := a.(Labels); ok && slices.Contains(l, string(Recommended)) {
			level = Recommended
		}
	}
	switch {
	case !idPattern.MatchString(id) || !slices.Contains(Areas, area):
		panic(fmt.Sprintf("conformance spec id %q: want area/slug with a known area", id))
	case level == Required && !strings.Contains(rule, " MUST "):
		panic(fmt.Sprintf("required conformance spec %s: its rule must say MUST: %q", id, rule))
	case level == Recommended && !strings.Contains(rule, " SHOULD "):
		panic(fmt.Sprintf("recommended conformance spec %s: its rule must say SHOULD: %q", id, rule))
	}
	registryMu.Lock()
	if old, dup := registry[id]; dup && old.Rule != rule {
		registryMu.Unlock()
		panic(fmt.Sprintf("conformance spec id %s declared twice", id))
	}
	registry[id] = Spec{ID: id, Area: area, Level: level, Rule: rule}
	registryMu.Unlock()
	if level == Required {
		args = append([]any{Label(string(Required), area)}, args...)
	} else {
		args = append([]any{Label(area)}, args...)
	}
	return It("["+id+"] "+rule, args...)
}

// RecommendedSpec is the decorator that makes a ConformanceIt spec recommended.
var RecommendedSpec = Label(string(Recommended))

var textPattern = regexp.MustCompile(`^\[([^\]]+)\] (.*)$`)

// specOf returns the conformance spec a Ginkgo spec report is about, and false for reports of
// other nodes (suite setup and the like).
func specOf(r types.SpecReport) (Spec, bool) {
	if r.LeafNodeType != types.NodeTypeIt {
		return Spec{}, false
	}
	m := textPattern.FindStringSubmatch(r.LeafNodeText)
	if m == nil {
		return Spec{}, false
	}
	registryMu.Lock()
	s, ok := registry[m[1]]
	registryMu.Unlock()
	if ok {
		return s, true
	}
	// A spec this process never built (another parallel process's): rebuild it from the report.
	s = Spec{ID: m[1], Rule: m[2], Level: Required}
	s.Area, _, _ = strings.Cut(s.ID, "/")
	if slices.Contains(r.Labels(), string(Recommended)) {
		s.Level = Recommended
	}
	return s, true
}

// SpecsOf lists the conformance specs of a Ginkgo report, sorted by id.
func SpecsOf(report types.Report) []Spec {
	var out []Spec
	for _, r := range report.SpecReports {
		if s, ok := specOf(r); ok {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b Spec) int { return strings.Compare(a.ID, b.ID) })
	return slices.CompactFunc(out, func(a, b Spec) bool { return a.ID == b.ID })
}

// List returns the suite's specs that a run with labelFilter would run ("" runs all), without
// running any. Like Run, it builds Ginkgo's spec tree; unlike Run it may be called more than
// once.
func List(labelFilter string) []Spec {
	cfg, _ := GinkgoConfiguration()
	cfg.LabelFilter = labelFilter
	cfg.FocusStrings, cfg.SkipStrings = nil, nil
	report := PreviewSpecs("ssrmock conformance", cfg)
	var out []Spec
	for _, r := range report.SpecReports {
		if s, ok := specOf(r); ok && r.State.Is(types.SpecStatePassed) {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b Spec) int { return strings.Compare(a.ID, b.ID) })
	return out
}

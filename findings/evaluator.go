package findings

import (
	"fmt"
	"sync"
)

// MaxFindings bounds the findings of one evaluator; later new ones are counted as dropped.
const MaxFindings = 1000

// maxSubjects bounds the LEAs or pairs one rule keeps state for; beyond it the rule forgets
// what it knew and starts again, so that memory stays bounded whatever the traffic.
const maxSubjects = 4096

// Evaluator judges a stream of journal entries against every rule. The zero value is not
// ready: use New. It is safe for concurrent use; entries must arrive in sequence order.
type Evaluator struct {
	mu        sync.Mutex
	rules     []rule
	findings  []*Finding
	index     map[findingKey]*Finding
	evaluated int64
	dropped   int
	// cur is the entry being judged and report records a hit: kept here so that judging
	// an entry allocates nothing when no rule is broken.
	cur    Entry
	report func(hit)
}

// findingKey names a finding: one rule broken by one LEA or pair.
type findingKey struct{ rule, lea, username string }

// hit is one breach a rule reports.
type hit struct {
	rule     Rule
	lea      string
	username string
	detail   string
	evidence []int64
	entry    *Entry
}

// rule is one incremental check.
type rule interface {
	observe(e *Entry, report func(hit))
}

// New returns an evaluator with every rule of Rules.
func New() *Evaluator {
	ev := &Evaluator{rules: newRules(), index: map[findingKey]*Finding{}}
	ev.report = ev.record
	return ev
}

// Add judges one entry.
func (ev *Evaluator) Add(e Entry) {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	ev.evaluated = e.Seq
	ev.cur = e
	for _, r := range ev.rules {
		r.observe(&ev.cur, ev.report)
	}
}

// record merges h into its finding. The caller holds mu.
func (ev *Evaluator) record(h hit) {
	key := findingKey{h.rule.ID, h.lea, h.username}
	f := ev.index[key]
	if f == nil {
		if len(ev.findings) >= MaxFindings {
			ev.dropped++
			return
		}
		f = &Finding{ID: len(ev.findings) + 1, Rule: h.rule.ID, Title: h.rule.Title, Severity: h.rule.Severity,
			LEA: h.lea, Username: h.username, Fix: h.rule.Fix, Evidence: []int64{}, FirstAt: h.entry.At}
		ev.findings = append(ev.findings, f)
		ev.index[key] = f
	}
	f.Count++
	f.Detail = h.detail
	f.LastAt = h.entry.At
	f.addEvidence(h.evidence)
}

// List returns up to limit findings from cursor (0: the first), in the order they were
// first seen.
func (ev *Evaluator) List(cursor, limit int) Page {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	p := Page{Findings: []Finding{}, Total: len(ev.findings), Evaluated: ev.evaluated, Dropped: ev.dropped}
	for i := max(cursor, 0); i < len(ev.findings) && len(p.Findings) < limit; i++ {
		f := *ev.findings[i]
		f.Evidence = append([]int64{}, f.Evidence...)
		p.Findings = append(p.Findings, f)
		if len(p.Findings) == limit && i+1 < len(ev.findings) {
			p.NextCursor = fmt.Sprint(i + 1)
		}
	}
	return p
}

// Judge runs every rule over entries and returns the findings, for a journal read whole.
func Judge(entries []Entry) []Finding {
	ev := New()
	for _, e := range entries {
		ev.Add(e)
	}
	return ev.List(0, MaxFindings).Findings
}

package findings

import "time"

// Severity says how sure and how serious a finding is.
type Severity string

// The severities.
const (
	// Error is a breach of a rule the suite requires (a MUST).
	Error Severity = "error"
	// Warning is a breach of a recommendation (a SHOULD), or a pattern the journal alone
	// cannot prove wrong (docs/findings.md says when).
	Warning Severity = "warning"
)

// MaxEvidence bounds the journal entries a finding quotes: the first MaxEvidence-1 and the
// latest.
const MaxEvidence = 16

// Finding is one rule broken by one LEA's (or one pair's) traffic. Later breaches of the
// same rule by the same subject update it: Count grows, Last moves on.
type Finding struct {
	// ID numbers findings in the order they were first seen, from 1.
	ID       int      `json:"id"`
	Rule     string   `json:"rule"`
	Title    string   `json:"title"`
	Severity Severity `json:"severity"`
	// LEA is the LEA whose traffic broke the rule; Username the pair, when the rule is
	// about a pair.
	LEA      string `json:"lea,omitempty"`
	Username string `json:"username,omitempty"`
	// Count is how many times the rule was broken.
	Count int `json:"count"`
	// Detail says what the integration did, the latest time.
	Detail string `json:"detail"`
	// Fix says what the integration should do.
	Fix string `json:"fix"`
	// Evidence lists the journal entries that show the breach (sequence numbers).
	Evidence []int64 `json:"evidence"`
	// FirstAt and LastAt are the sandbox times of the first and latest evidence.
	FirstAt time.Time `json:"firstAt"`
	LastAt  time.Time `json:"lastAt"`
}

// addEvidence records seqs, keeping the first MaxEvidence-1 and the latest.
func (f *Finding) addEvidence(seqs []int64) {
	for _, s := range seqs {
		if n := len(f.Evidence); n > 0 && f.Evidence[n-1] >= s {
			continue
		}
		if len(f.Evidence) < MaxEvidence {
			f.Evidence = append(f.Evidence, s)
		} else {
			f.Evidence[MaxEvidence-1] = s
		}
	}
}

// Page is one page of a sandbox's findings.
type Page struct {
	Findings []Finding `json:"findings"`
	// NextCursor, when not empty, is the cursor of the next page.
	NextCursor string `json:"nextCursor,omitempty"`
	// Total is the number of findings.
	Total int `json:"total"`
	// Evaluated is the sequence number of the last journal entry judged.
	Evaluated int64 `json:"evaluated"`
	// Dropped counts breaches not recorded because the sandbox reached MaxFindings.
	Dropped int `json:"dropped"`
}

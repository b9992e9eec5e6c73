package findings

import (
	"fmt"
	"time"
)

// RetryAfterWatch follows one client's requests through the Retry-After window of a 429 or
// 503 answer, in sandbox time: the window opens with the answer and lasts its Retry-After
// from the answer's time; a request sent inside it is early. The zero value watches for
// either status. The suite uses it on a spec's journal, the findings on each LEA's traffic.
type RetryAfterWatch struct {
	// Status, when not zero, is the only status that opens a window.
	Status int

	opener Entry
	open   bool
	closed bool
	until  time.Time
	early  []int64
	count  int
}

// Observe judges the next entry and reports whether it was sent inside an open window.
func (w *RetryAfterWatch) Observe(e Entry) bool {
	if w.open {
		if e.At.Before(w.until) {
			if len(w.early) < MaxEvidence {
				w.early = append(w.early, e.Seq)
			} else {
				w.early[MaxEvidence-1] = e.Seq
			}
			w.count++
			return true
		}
		w.open, w.closed = false, true
	}
	if e.RetryAfter > 0 && (e.Status == w.Status || w.Status == 0 && (e.Status == 429 || e.Status == 503)) {
		w.opener, w.open, w.closed, w.until, w.early, w.count = e, true, false, e.At.Add(e.RetryAfter), nil, 0
	}
	return false
}

// Opened reports whether a window has opened, and returns the answer that opened the latest.
func (w *RetryAfterWatch) Opened() (Entry, bool) { return w.opener, w.open || w.closed }

// Closed reports whether the latest window has ended (a request came after its time).
func (w *RetryAfterWatch) Closed() bool { return w.closed }

// Until is when the latest window ends.
func (w *RetryAfterWatch) Until() time.Time { return w.until }

// Early is the number of requests sent inside the latest window.
func (w *RetryAfterWatch) Early() int { return w.count }

// retryAfter finds an LEA calling again before the Retry-After time it was given.
type retryAfter struct{ leas subjects[RetryAfterWatch] }

func (r *retryAfter) observe(e *Entry, report func(hit)) {
	if !integration(*e) || e.LEA == "" {
		return
	}
	w := r.leas.get(e.LEA)
	if !w.Observe(*e) || w.Early() <= RetryAfterAllowed {
		return
	}
	rule := RuleRetryAfter503
	if w.opener.Status == 429 {
		rule = RuleRetryAfter429
	}
	report(hit{rule: rule, lea: e.LEA, entry: e, evidence: append([]int64{w.opener.Seq}, w.early...),
		detail: fmt.Sprintf("sent %d request(s) after a %d answer with Retry-After %s (entry #%d), before that time had passed on the service's clock",
			w.Early(), w.opener.Status, w.opener.RetryAfter, w.opener.Seq)})
}

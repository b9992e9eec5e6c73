package findings

import "fmt"

// retryLoop finds 401 answers piling up for one LEA in a short real time with no listing
// getting through: a retry loop.
type retryLoop struct{ leas subjects[run] }

func (r *retryLoop) observe(e *Entry, report func(hit)) {
	if !integration(*e) || e.LEA == "" {
		return
	}
	if e.Route == RouteReports && e.Status != 0 && (e.Status < 400 || e.Status == 404) {
		delete(r.leas, e.LEA)
		return
	}
	if e.Status != 401 {
		return
	}
	st := r.leas.get(e.LEA)
	st.push(e, LoopCount+1)
	if st.within(LoopCount+1, LoopWindow) {
		report(hit{rule: RuleRetryLoop, lea: e.LEA, entry: e, evidence: st.evidence(),
			detail: fmt.Sprintf("got %d answers 401 within %s of real time and kept asking", LoopCount+1, st.times[LoopCount].Sub(st.times[0]).Round(1e6))})
		*st = run{}
	}
}

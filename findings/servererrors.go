package findings

import "fmt"

// serverErrors finds server errors retried in a tight run on one LEA's route.
type serverErrors struct{ runs keyed[routeKey, run] }

// routeKey is one LEA's route.
type routeKey struct{ lea, route string }

func (r *serverErrors) observe(e *Entry, report func(hit)) {
	if !integration(*e) || e.LEA == "" || e.Status == 0 {
		return
	}
	key := routeKey{e.LEA, e.Route}
	if e.Status < 500 {
		delete(r.runs, key)
		return
	}
	if e.RetryAfter > 0 {
		return // the Retry-After rules judge these
	}
	st := r.runs.get(key)
	st.push(e, ServerErrorRun+1)
	if st.within(ServerErrorRun+1, ServerErrorWindow) {
		report(hit{rule: RuleServerErrors, lea: e.LEA, entry: e, evidence: st.evidence(),
			detail: fmt.Sprintf("sent %d %s requests in a row within %s of real time while each was answered %d or more",
				ServerErrorRun+1, e.Route, st.times[ServerErrorRun].Sub(st.times[0]).Round(1e6), 500)})
		*st = run{}
	}
}

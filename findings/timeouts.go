package findings

import "fmt"

// noTimeout finds a client that waited to the end for an answer a fault held back: what the
// journal can see of a request without a timeout. Without a delay fault the mock answers at
// once, and a missing timeout cannot be seen.
type noTimeout struct{}

func (noTimeout) observe(e *Entry, report func(hit)) {
	if !integration(*e) || e.Delay < SlowAnswer || e.Code == "client_gone" {
		return
	}
	rule := RuleSlowResponse
	if e.Route == RouteToken {
		rule = RuleSlowToken
	}
	report(hit{rule: rule, lea: e.LEA, entry: e, evidence: []int64{e.Seq},
		detail: fmt.Sprintf("waited %s for the answer to %s %s instead of giving up", e.Delay, e.Method, e.Path)})
}

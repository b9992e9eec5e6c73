package findings

import "fmt"

// deadToken finds a pair's token sent again after the service refused it as expired or
// superseded, with no new token asked for in between.
type deadToken struct{ pairs subjects[deadState] }

type deadState struct {
	seqs []int64
}

func (r *deadToken) observe(e *Entry, report func(hit)) {
	if !integration(*e) || e.Username == "" {
		return
	}
	st := r.pairs.get(e.Username)
	switch {
	case e.Route == RouteToken && e.Status == 200:
		st.seqs = nil
	case e.Route == RouteReports && (e.TokenState == "expired" || e.TokenState == "superseded"):
		if len(st.seqs) < MaxEvidence {
			st.seqs = append(st.seqs, e.Seq)
		}
		if len(st.seqs) > DeadTokenSendsAllowed {
			report(hit{rule: RuleDeadToken, lea: e.LEA, username: e.Username, entry: e, evidence: append([]int64{}, st.seqs...),
				detail: fmt.Sprintf("sent a %s token of User Name %s again after the service refused it, without asking for a new one", e.TokenState, e.Username)})
		}
	}
}

package findings

import (
	"fmt"
	"time"
)

// tokenReuse finds a pair minting token after token while the last one was still young and
// nothing refused it: a new token for every call.
type tokenReuse struct {
	pairs    subjects[reuseState]
	refusals subjects[int] // per LEA: listings refused with 401 so far
}

type reuseState struct {
	mintedAt time.Time
	mintSeq  int64
	refusals int
	// unneeded are the tokens of the current run, after the one at runStart that was needed.
	runStart int64
	unneeded []int64
}

func (r *tokenReuse) observe(e *Entry, report func(hit)) {
	if !integration(*e) || e.LEA == "" {
		return
	}
	if e.Route == RouteReports && e.Status == 401 {
		*r.refusals.get(e.LEA)++
		return
	}
	if e.Route != RouteToken || e.Status != 200 || e.Username == "" {
		return
	}
	refusals := *r.refusals.get(e.LEA)
	st := r.pairs.get(e.Username)
	if st.mintSeq != 0 && st.refusals == refusals && e.At.Sub(st.mintedAt) < TokenLifetime/2 {
		if len(st.unneeded) == 0 {
			st.runStart = st.mintSeq
		}
		st.unneeded = append(st.unneeded, e.Seq)
		if len(st.unneeded) >= UnneededTokens {
			report(hit{rule: RuleReuseToken, lea: e.LEA, username: e.Username, entry: e,
				evidence: append([]int64{st.runStart}, st.unneeded...),
				detail:   fmt.Sprintf("asked for %d new tokens in a row while the previous token of User Name %s was still young and valid", len(st.unneeded), e.Username)})
			st.unneeded = nil
		}
	} else {
		st.unneeded = nil
	}
	st.mintedAt, st.mintSeq, st.refusals = e.At, e.Seq, refusals
}

package findings

import "fmt"

// pairResent finds a pair sent to the token route again after the service rejected it:
// wrong, superseded by a regeneration, or expired.
type pairResent struct{ pairs subjects[pairState] }

type pairState struct {
	rejected   int64 // the entry that rejected the pair; 0 while it is not rejected
	credential string
	code       string
	resends    int
}

func (r *pairResent) observe(e *Entry, report func(hit)) {
	if e.Route != RouteToken || e.Username == "" || e.Client == SuiteClient {
		return
	}
	st := r.pairs.get(e.Username)
	switch {
	case e.Status == 200:
		*st = pairState{}
	case st.rejected != 0:
		st.resends++
		if st.resends > ResendsAllowed {
			rule := RuleRejectedPair
			switch {
			case st.credential == "superseded":
				rule = RuleSupersededPair
			case st.credential == "expired" || st.code == "credentials_expired":
				rule = RuleExpiredPair
			}
			report(hit{rule: rule, lea: e.LEA, username: e.Username, entry: e, evidence: []int64{st.rejected, e.Seq},
				detail: fmt.Sprintf("sent the pair of User Name %s %d more time(s) after the service answered 401 %s (entry #%d)", e.Username, st.resends, st.code, st.rejected)})
		}
	case e.Status == 401 && (e.Code == "invalid_credentials" || e.Code == "credentials_expired"):
		*st = pairState{rejected: e.Seq, credential: e.Credential, code: e.Code}
	}
}

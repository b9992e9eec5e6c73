package conformance

import (
	"fmt"
	"slices"
	"time"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
	"github.com/ssrmock/ssrmock/conformance/driver"
	"github.com/ssrmock/ssrmock/findings"
)

// maxTriesPerView bounds the requests to one route during one page view: a first try, a renewal
// or two retries of a server error, and no more.
const maxTriesPerView = 4

// maxServerErrors bounds the server errors (5xx) one route may answer during one page view: a
// first try and two retries, then the parent is told the service is unavailable.
const maxServerErrors = 3

// judge holds what the explore phase learnt from the journal across a walk's page views.
type judge struct {
	k      *walk
	cursor int64 // journal position after the last page view
	// rejected counts, per LEA, the token requests sent after the service rejected the pair the
	// vendor holds (-1: not rejected since the admin last entered a pair).
	rejected []int
	// waits are the Retry-After windows the service asked the vendor to respect.
	waits []retryWait
	// lastToken and lastList are when the vendor last got a token (per LEA) and a listing
	// (per LEA and student), for the coverage of clock positions.
	lastToken map[string]time.Time
	lastList  map[string]time.Time
	// empty marks LEA and student pairs seen with an empty page.
	empty map[string]bool
	// waited says a Retry-After window has passed.
	waited bool
	// faultSeen says the journal shows a request that met the step's one-shot fault.
	faultSeen bool
}

// seen reports whether entries, or those of an earlier page view of the step, show a request
// that met the step's one-shot fault.
func (j *judge) seen(entries []controlapi.Entry) bool {
	if !j.faultSeen {
		j.faultSeen = slices.ContainsFunc(entries, func(e controlapi.Entry) bool { return slices.Contains(j.k.st.oneShot, e.FaultID) })
	}
	return j.faultSeen
}

// retryWait is a Retry-After window of one LEA's pair, and the requests sent inside it.
type retryWait struct {
	lea   string
	until time.Time
	after int64 // the journal sequence number of the answer that asked for it
	first controlapi.Entry
	sent  []controlapi.Entry
}

func newJudge(k *walk) *judge {
	j := &judge{k: k, lastToken: map[string]time.Time{}, lastList: map[string]time.Time{}, empty: map[string]bool{}}
	for range k.plan.leas {
		j.rejected = append(j.rejected, -1)
	}
	return j
}

// configured notes that the admin of LEA i entered a pair: an earlier rejection no longer holds.
func (j *judge) configured(i int) {
	if i < len(j.rejected) {
		j.rejected[i] = -1
	}
}

// entries returns the journal entries of the vendor since the last call: every route, the
// suite's own downloads left out.
func (j *judge) entries() []controlapi.Entry {
	w := j.k.w
	all, next, dropped, err := w.h.api.JournalSince(w.ctx, w.sb.ID, j.cursor)
	w.controlErr(err, "reading the journal")
	if dropped > 0 {
		failHarness("the journal overflowed (%d entries lost): the suite cannot judge the walk", dropped)
	}
	j.cursor = next
	return slices.DeleteFunc(all, func(e controlapi.Entry) bool { return e.Client == controlapi.SuiteClient })
}

// between judges the vendor's requests since the last page view (its scheduled job, run when
// the clock moved) by the rules that span page views.
func (k *walk) between() {
	j := k.j
	entries := j.entries()
	for _, e := range entries {
		if e.FaultID != "" {
			k.x.cov.hit(k.faultOf(e.FaultID), e.Route)
		}
	}
	j.seen(entries)
	api := count(entries, "", func(e controlapi.Entry) bool { return e.Route != controlapi.RoutePDF })
	j.checkCredentials(api, "Between page views (the vendor's own requests, e.g. its scheduled job)")
}

// look opens one page and judges it: the journal rules first, then what the parent saw.
func (k *walk) look(l Look, s *Step) {
	w, st, j := k.w, k.st, k.j
	i := l.LEA
	if i < 0 {
		i = st.at[l.SSID]
	}
	lea := st.leas[i]
	since := j.cursor
	start := time.Now()
	v := w.view(lea, l.SSID)
	took := time.Since(start)
	entries := j.entries()
	api := count(entries, "", func(e controlapi.Entry) bool { return e.Route != controlapi.RoutePDF })
	context := fmt.Sprintf("At %s, on the page of student %s at LEA %s", w.now.Format(exploreDateLayout), l.SSID, leaLetter(i))

	j.checkJournal(i, lea, entries, api, context)
	if took >= slowDelay && st.stepFault == fkSlow {
		violation(fmt.Sprintf("%s, kept the parent waiting %s", context, took.Round(100*time.Millisecond)),
			fmt.Sprintf("answered the parent within %s whatever the service does: time out a held-back answer and say \"unavailable\"", slowDelay), api)
	}

	hit := slices.ContainsFunc(entries, func(e controlapi.Entry) bool {
		return e.FaultID != "" && (slices.Contains(st.oneShot, e.FaultID) && st.stepFault != fk401 ||
			st.maint != nil && e.FaultID == st.maint.id)
	})
	// The server journals a request when it is done with it: a held-back or dropped answer
	// the vendor gave up on may not be in the journal yet. Until the step's fault shows up
	// there, any page view may have met it.
	unseen := st.stepFault != "" && st.stepFault != fk401 && !j.seen(entries)
	hit = hit || unseen
	quiet := j.waiting(lea, w.now)
	maint := st.inMaintenance(w.now)
	switch {
	case st.pairBad(i, w.now):
		if v.Outcome == driver.Unavailable && len(v.Reports) == 0 && (hit || quiet || maint) {
			break
		}
		why := "the pair the vendor holds for this LEA was superseded by a regeneration; the LEA's admin must enter the new one"
		if !w.now.Before(st.held[i].ExpiresAt) {
			why = "the pair the vendor holds for this LEA has expired; the LEA must generate a new one"
		}
		w.expectOutcome(v, driver.AuthError, context, why, since)
	case maint:
		w.expectOutcome(v, driver.Unavailable, context,
			fmt.Sprintf("the service is down for maintenance until %s and answers every request 503 with Retry-After", st.maint.until.Format(exploreDateLayout)), since)
	case hit || quiet:
		w.expectUnavailableOrMatches(lea, l.SSID, v, since, context)
	default:
		w.expectMatches(lea, l.SSID, v, since, context)
	}
	j.learn(i, lea, l.SSID, v, entries)
}

// checkJournal applies the journal rules to the requests of one page view at LEA i.
func (j *judge) checkJournal(i int, lea string, entries, api []controlapi.Entry, context string) {
	if leaked := count(entries, "", func(e controlapi.Entry) bool { return findings.CarriesCredential(e.Finding()) }); len(leaked) > 0 {
		violation(fmt.Sprintf("%s, sent the Secret Key or a token in a URL %d time(s)", context, len(leaked)),
			"sent the pair only in the JSON body of POST /api/v1/token and the token only as \"Authorization: Bearer\"", leaked)
	}
	// A request the vendor gave up on (client_gone) is journaled when the server notices,
	// which may be after the next page view began: it may belong to an earlier view, of
	// another LEA, so the rules that count a view's requests leave it out. A vendor that
	// keeps waiting on such requests is caught by the time a page view takes.
	own := count(api, "", func(e controlapi.Entry) bool { return e.Code != "client_gone" })
	if borrowed := count(own, "", func(e controlapi.Entry) bool { return e.LEA != "" && e.LEA != lea }); len(borrowed) > 0 {
		violation(fmt.Sprintf("%s, the page at LEA %s sent %d request(s) with another LEA's pair or token", context, lea, len(borrowed)),
			fmt.Sprintf("used only LEA %s's own pair for its page", lea), api)
	}
	for _, route := range []string{controlapi.RouteToken, controlapi.RouteReports} {
		if n := len(count(own, route, nil)); n > maxTriesPerView {
			violation(fmt.Sprintf("%s, sent %d %s requests for one page view", context, n, route),
				fmt.Sprintf("sent at most %d per page view: one try, one renewal or two retries of a server error with a backoff, then told the parent", maxTriesPerView), api)
		}
	}
	for _, route := range []string{controlapi.RouteToken, controlapi.RouteReports, controlapi.RoutePDF} {
		if failed := count(entries, route, func(e controlapi.Entry) bool { return e.Status >= 500 }); len(failed) > maxServerErrors {
			violation(fmt.Sprintf("%s, sent %d %s requests that the service answered with a server error, in one page view", context, len(failed), route),
				fmt.Sprintf("retried a server error at most %d times, with a backoff, then told the parent the service is unavailable", maxServerErrors-1), entries)
		}
	}
	reports := count(api, controlapi.RouteReports, func(e controlapi.Entry) bool { return e.FaultID == "" })
	if none := count(reports, "", func(e controlapi.Entry) bool { return e.TokenState == "" || e.TokenState == "unknown" }); len(none) > 0 {
		violation(fmt.Sprintf("%s, listed reports %d time(s) without a token the service issued", context, len(none)),
			"sent the token from /api/v1/token as \"Authorization: Bearer <token>\" on every report request", api)
	}
	for _, state := range []string{"expired", "superseded"} {
		if stale := count(reports, "", func(e controlapi.Entry) bool { return e.TokenState == state }); len(stale) > 1 {
			violation(fmt.Sprintf("%s, sent a %s token %d times in one page view", context, state, len(stale)),
				"asked /api/v1/token for a new token after the first 401 (or before, from expires_in)", api)
		}
	}
	j.checkCredentials(api, context)
}

// checkCredentials applies the rules on credentials that span page views: no superseded pair
// once the new one is entered, no rejected pair sent again, Retry-After respected.
func (j *judge) checkCredentials(api []controlapi.Entry, context string) {
	st := j.k.st
	for _, e := range count(api, controlapi.RouteToken, func(e controlapi.Entry) bool { return e.FaultID == "" }) {
		k := slices.Index(st.leas, e.LEA)
		if k < 0 {
			continue
		}
		if findings.SentSupersededPair(e.Finding()) && st.held[k].Generation == st.current[k].Generation {
			violation(fmt.Sprintf("%s, sent a superseded Secret Key for LEA %s after its admin entered the new pair", context, e.LEA),
				"used only the pair the LEA entered last: only the newest pair is valid", api)
		}
		if j.rejected[k] >= 0 {
			j.rejected[k]++
			if j.rejected[k] > 1 {
				violation(fmt.Sprintf("%s, sent LEA %s's rejected pair %d more times", context, e.LEA, j.rejected[k]),
					"remembered the 401 and waited for the LEA's admin to enter new credentials (one retry at most)", api)
			}
		}
		if e.Status == 401 && (e.Code == "invalid_credentials" || e.Code == "credentials_expired") && j.rejected[k] < 0 {
			j.rejected[k] = 0
		}
	}
	j.checkWaits(api, context)
}

// checkWaits applies the Retry-After rule: after a 429 or 503 with Retry-After on the token
// or report route, at most one further request for the same LEA (any of its pairs, a pair
// entered meanwhile too) before its time.
func (j *judge) checkWaits(api []controlapi.Entry, context string) {
	for _, e := range api {
		for wi := range j.waits {
			wt := &j.waits[wi]
			if e.LEA == wt.lea && e.Seq > wt.after && e.At.Before(wt.until) {
				wt.sent = append(wt.sent, e)
				if len(wt.sent) > 1 {
					violation(fmt.Sprintf("%s, sent %d requests for LEA %s (with any of its pairs) after a %d answer with Retry-After %s, before its time (%s)",
						context, len(wt.sent), wt.lea, wt.first.Status, time.Duration(wt.first.RetryAfter), wt.until.Format(exploreDateLayout)),
						"waited until the Retry-After time had passed (at most one request before it)", append([]controlapi.Entry{wt.first}, wt.sent...))
				}
			}
		}
		if (e.Status == 429 || e.Status == 503) && e.RetryAfter > 0 {
			j.waits = append(j.waits, retryWait{lea: e.LEA, until: e.At.Add(time.Duration(e.RetryAfter)), after: e.Seq, first: e})
		}
	}
	now := j.k.w.now
	j.waits = slices.DeleteFunc(j.waits, func(wt retryWait) bool {
		if !wt.until.After(now) {
			j.waited = true
			return true
		}
		return false
	})
}

// waiting reports whether a Retry-After window of lea's pair covers t: the vendor may then
// tell the parent the service is unavailable without asking it.
func (j *judge) waiting(lea string, t time.Time) bool {
	return slices.ContainsFunc(j.waits, func(wt retryWait) bool { return wt.lea == lea && t.Before(wt.until) })
}

// learn notes, after a page view passed, what it exercised.
func (j *judge) learn(i int, lea, ssid string, v driver.View, entries []controlapi.Entry) {
	k := j.k
	cov := k.x.cov
	now := k.w.now
	key := lea + "/" + ssid
	cov.position("token life", sinceWindow(j.lastToken[lea], now, tokenLife))
	cov.position("link life", sinceWindow(j.lastList[key], now, tokenLife))
	for _, e := range entries {
		switch {
		case e.Route == controlapi.RouteToken && e.Status == 200:
			j.lastToken[lea] = e.At
		case e.Route == controlapi.RouteReports && e.Status == 200:
			j.lastList[e.LEA+"/"+e.SSID] = e.At
		}
		if e.FaultID != "" {
			cov.hit(k.faultOf(e.FaultID), e.Route)
		}
	}
	switch {
	case j.waiting(lea, now):
		cov.position("Retry-After", "inside")
	case j.waited:
		cov.position("Retry-After", "after")
	}
	if m := k.st.maint; m != nil {
		pos := "after"
		if k.st.inMaintenance(now) {
			pos = "inside"
		}
		cov.position("maintenance window", pos)
	}
	for _, r := range k.st.releases {
		if d := now.Sub(r.ReleasedAt); d > -24*time.Hour && d < 24*time.Hour && k.ssidOf[r.ReportID] == ssid {
			pos := "the day before"
			if d >= 0 {
				pos = "the day after"
			}
			cov.position("release day", pos)
			break
		}
	}
	cred := "valid"
	switch {
	case k.st.held[i].Generation != k.st.current[i].Generation:
		cred = "superseded, new pair not entered"
	case !now.Before(k.st.held[i].ExpiresAt):
		cred = "expired"
	case k.st.held[i].ExpiresAt.Sub(now) <= 14*24*time.Hour:
		cred = "in its last 14 days"
	}
	cov.position("credentials", cred)
	cov.outcome(string(v.Outcome))
	if slices.ContainsFunc(v.Reports, func(r driver.ViewReport) bool { return r.URL == "" && r.SHA256 != "" }) {
		k.st.servesBytes = true
	}
	if v.Outcome == driver.OK || v.Outcome == driver.NotFound {
		for _, r := range v.Reports {
			cov.view(k.plan.scenario, r.Assessment, r.Language)
		}
		if len(v.Reports) == 0 {
			j.empty[key] = true
		} else if j.empty[key] && v.Outcome == driver.OK {
			cov.emptyThenReports(k.plan.scenario, ssid)
		}
	}
}

// tokenLife is the life of a token and of a link, in sandbox time (docs/api.md).
const tokenLife = 30 * time.Minute

// sinceWindow places now relative to a window of length life that opened at from.
func sinceWindow(from, now time.Time, life time.Duration) string {
	switch {
	case from.IsZero():
		return "none yet"
	case now.Sub(from) < life:
		return "inside"
	}
	return "past"
}

// faultOf names the route and kind of a fault this walk scheduled.
func (k *walk) faultOf(id string) string {
	if k.st.maint != nil && id == k.st.maint.id {
		return "maintenance"
	}
	if slices.Contains(k.st.oneShot, id) {
		return k.st.stepFault
	}
	return ""
}

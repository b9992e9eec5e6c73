package conformance

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
)

// afterChange is how long the clock moves on after an event that changes what a vendor should
// show (a regeneration, an amendment): a vendor may reuse a listing while its links live.
const afterChange = 31 * time.Minute

// server5xxCount is how many requests a 5xx fault answers: one more than a page view may meet
// (a first try and two retries).
const server5xxCount = maxServerErrors + 1

// action is one kind of event: when it may happen and how it is drawn.
type action struct {
	kind string
	// weight is how often the action is drawn, relative to the others.
	weight float64
	// ok is the action's precondition.
	ok func(k *walk) bool
	// draw picks the event's parameters and the students to look at first.
	draw func(k *walk, r *rand.Rand) (Event, []Look)
}

// actions are the explore phase's events.
var actions = []action{
	{evClockShort, 2, always, func(k *walk, r *rand.Rand) (Event, []Look) {
		return Event{Kind: evClockShort, Advance: time.Duration(1+r.IntN(20)) * time.Minute}, nil
	}},
	{evClockLong, 2, always, func(k *walk, r *rand.Rand) (Event, []Look) {
		return Event{Kind: evClockLong, Advance: time.Duration(1+r.IntN(21))*24*time.Hour + time.Duration(r.IntN(24))*time.Hour}, nil
	}},
	{evClock30, 2, always, func(k *walk, r *rand.Rand) (Event, []Look) {
		d := time.Duration(25+r.IntN(5)) * time.Minute // inside the 30 minutes of tokens and links
		if r.IntN(2) == 0 {
			d = time.Duration(31+r.IntN(10)) * time.Minute // just past them
		}
		return Event{Kind: evClock30, Advance: d}, nil
	}},
	{evRetryInside, 3, func(k *walk) bool { return k.st.retry != nil && k.st.retry.until.After(k.w.now) }, func(k *walk, r *rand.Rand) (Event, []Look) {
		return Event{Kind: evRetryInside, Frac: 0.2 + 0.6*r.Float64()}, nil
	}},
	{evRetryPast, 2, func(k *walk) bool { return k.st.retry != nil && k.st.retry.until.After(k.w.now) }, func(k *walk, r *rand.Rand) (Event, []Look) {
		return Event{Kind: evRetryPast, Offset: time.Duration(1+r.IntN(5)) * time.Minute}, nil
	}},
	{evMaintenance, 1, func(k *walk) bool { return k.st.clocked && !k.st.inMaintenance(k.w.now) }, func(k *walk, r *rand.Rand) (Event, []Look) {
		ws := []time.Duration{10 * time.Minute, 45 * time.Minute, 3 * time.Hour}
		return Event{Kind: evMaintenance, RetryAfter: ws[r.IntN(len(ws))]}, nil
	}},
	{evMaintInside, 2, func(k *walk) bool { return k.st.inMaintenance(k.w.now) }, func(k *walk, r *rand.Rand) (Event, []Look) {
		return Event{Kind: evMaintInside, Frac: 0.2 + 0.6*r.Float64()}, nil
	}},
	{evMaintEnd, 3, func(k *walk) bool { return k.st.inMaintenance(k.w.now) }, func(k *walk, r *rand.Rand) (Event, []Look) {
		return Event{Kind: evMaintEnd, Offset: time.Duration(1+r.IntN(20)) * time.Minute}, nil
	}},
	{evReleaseBefore, 1, hasPending, func(k *walk, r *rand.Rand) (Event, []Look) {
		rel := k.nextRelease(r)
		offs := []time.Duration{time.Hour, 6 * time.Hour, 20 * time.Hour}
		return Event{Kind: evReleaseBefore, At: rel.ReleasedAt, SSID: rel.ssid, ReportID: rel.ReportID, Offset: offs[r.IntN(len(offs))]},
			[]Look{{LEA: -1, SSID: rel.ssid}}
	}},
	{evRelease, 4, hasPending, func(k *walk, r *rand.Rand) (Event, []Look) {
		rel := k.nextRelease(r)
		offs := []time.Duration{afterChange, 2 * time.Hour, 10 * time.Hour}
		return Event{Kind: evRelease, At: rel.ReleasedAt, SSID: rel.ssid, ReportID: rel.ReportID, Offset: offs[r.IntN(len(offs))]},
			[]Look{{LEA: -1, SSID: rel.ssid}}
	}},
	{evAmend, 2, func(k *walk) bool { return len(k.amendable()) > 0 }, func(k *walk, r *rand.Rand) (Event, []Look) {
		rs := k.amendable()
		rel := rs[r.IntN(len(rs))]
		return Event{Kind: evAmend, SSID: rel.ssid, ReportID: rel.ReportID}, []Look{{LEA: -1, SSID: rel.ssid}}
	}},
	{evRegenerate, 2, always, func(k *walk, r *rand.Rand) (Event, []Look) {
		i := r.IntN(len(k.st.leas))
		return Event{Kind: evRegenerate, LEA: i, Coordinator: coordinators[r.IntN(2)], Enter: r.IntN(2) == 0}, k.looksAt(i, r)
	}},
	{evEnterPair, 3, func(k *walk) bool { return k.pendingPair() >= 0 }, func(k *walk, r *rand.Rand) (Event, []Look) {
		i := k.pendingPair()
		return Event{Kind: evEnterPair, LEA: i}, k.looksAt(i, r)
	}},
	{evExpiryNear, 1, func(k *walk) bool { return k.expiring(time.Hour) >= 0 }, func(k *walk, r *rand.Rand) (Event, []Look) {
		offs := []time.Duration{time.Hour, 24 * time.Hour}
		i := k.expiring(time.Hour)
		return Event{Kind: evExpiryNear, LEA: i, Offset: offs[r.IntN(2)]}, k.looksAt(i, r)
	}},
	{evExpiryPast, 1, func(k *walk) bool { return k.expiring(0) >= 0 }, func(k *walk, r *rand.Rand) (Event, []Look) {
		i := k.expiring(0)
		return Event{Kind: evExpiryPast, LEA: i, Offset: time.Duration(1+r.IntN(120)) * time.Minute}, k.looksAt(i, r)
	}},
	{evRenew, 4, func(k *walk) bool { return k.badPair() >= 0 }, func(k *walk, r *rand.Rand) (Event, []Look) {
		i := k.badPair()
		return Event{Kind: evRenew, LEA: i, Coordinator: coordinators[r.IntN(2)]}, k.looksAt(i, r)
	}},
	{evTransfer, 2, always, func(k *walk, r *rand.Rand) (Event, []Look) {
		m := k.pool[r.IntN(len(k.pool))]
		to := (k.st.at[m.SSID] + 1) % len(k.st.leas)
		return Event{Kind: evTransfer, SSID: m.SSID, LEA: to}, []Look{{LEA: 0, SSID: m.SSID}, {LEA: 1, SSID: m.SSID}}
	}},
	{evFault, 8, func(k *walk) bool { return len(k.faultChoices()) > 0 && k.faultTarget() != "" }, func(k *walk, r *rand.Rand) (Event, []Look) {
		choices := k.faultChoices()
		// The least exercised route and kind first: every fault on every route, in time.
		least := slices.MinFunc(choices, func(a, b [2]string) int { return k.x.cov.scheduled(a) - k.x.cov.scheduled(b) })
		var fewest [][2]string
		for _, c := range choices {
			if k.x.cov.scheduled(c) == k.x.cov.scheduled(least) {
				fewest = append(fewest, c)
			}
		}
		c := fewest[r.IntN(len(fewest))]
		if k.x.slowLeft > 0 && k.plan.scenario == exploreScenarios[len(exploreScenarios)-1] && len(k.done) > k.x.cfg.steps()/2 {
			// The slow fault of the budget comes late in the last walk, on the report route
			// (which page views meet, not the vendor's scheduled job): it costs the vendor's
			// timeout in real time, in every replay that keeps it.
			c = [2]string{controlapi.RouteReports, fkSlow}
		}
		e := Event{Kind: evFault, Route: c[0], Fault: c[1]}
		if c[1] == fk429 || c[1] == fk503 {
			ras := []time.Duration{2 * time.Minute, 10 * time.Minute, time.Hour}
			e.RetryAfter = ras[r.IntN(len(ras))]
		}
		// The first look is at a student with reports, so that a file fault is met.
		return e, []Look{{LEA: -1, SSID: k.faultTarget()}}
	}},
}

func actionOf(kind string) action {
	for _, a := range actions {
		if a.kind == kind {
			return a
		}
	}
	panic("no explore action " + kind)
}

var coordinators = []string{controlapi.CoordinatorCAASPP, controlapi.CoordinatorELPAC}

func always(*walk) bool { return true }

func hasPending(k *walk) bool { return len(k.st.pendingReleases(k.w.now)) > 0 }

// release is a pool report to come, with its student.
type release struct {
	controlapi.TruthReport
	ssid string
}

// nextRelease picks one of the next few pool releases, the first one most often.
func (k *walk) nextRelease(r *rand.Rand) release {
	p := k.st.pendingReleases(k.w.now)
	i := 0
	if len(p) > 1 && r.IntN(3) == 0 {
		i = r.IntN(min(len(p), 4))
	}
	return release{TruthReport: p[i], ssid: k.ssidOf[p[i].ReportID]}
}

// amendable lists the pool's released reports.
func (k *walk) amendable() []release {
	var out []release
	for _, rel := range k.st.releases {
		if !rel.ReleasedAt.After(k.w.now) {
			out = append(out, release{TruthReport: rel, ssid: k.ssidOf[rel.ReportID]})
		}
	}
	return out
}

// pendingPair returns an LEA whose newest pair its admin has not entered yet, or -1.
func (k *walk) pendingPair() int {
	for i := range k.st.leas {
		if k.st.held[i].Generation != k.st.current[i].Generation && k.w.now.Before(k.st.current[i].ExpiresAt) {
			return i
		}
	}
	return -1
}

// badPair returns an LEA whose vendor-held pair no longer works, or -1.
func (k *walk) badPair() int {
	for i := range k.st.leas {
		if k.st.pairBad(i, k.w.now) {
			return i
		}
	}
	return -1
}

// expiring returns an LEA whose newest pair expires more than margin from now, or -1.
func (k *walk) expiring(margin time.Duration) int {
	for i := range k.st.leas {
		if k.st.current[i].ExpiresAt.Add(-margin).After(k.w.now) && k.st.held[i].Generation == k.st.current[i].Generation {
			return i
		}
	}
	return -1
}

// faultChoices lists the route and kind pairs a fault event may draw now.
func (k *walk) faultChoices() [][2]string {
	var out [][2]string
	for _, route := range faultRoutes {
		if route == controlapi.RoutePDF && !k.st.servesBytes {
			continue // the parent's browser downloads the file, not the vendor
		}
		for _, kind := range faultKinds {
			switch {
			case kind == fk401 && route != controlapi.RouteReports:
				continue // a 401 on the token route means a rejected pair; on a file, nothing
			case kind == fkSlow:
				continue // drawn on its own, see the fault action
			case (kind == fk429 || kind == fk503) && !k.st.clocked:
				continue
			}
			out = append(out, [2]string{route, kind})
		}
	}
	return out
}

// looksAt returns views of two pool students at LEA i.
func (k *walk) looksAt(i int, r *rand.Rand) []Look {
	var here []string
	for _, m := range k.pool {
		if k.st.at[m.SSID] == i {
			here = append(here, m.SSID)
		}
	}
	if len(here) == 0 {
		return []Look{{LEA: i, SSID: k.pool[r.IntN(len(k.pool))].SSID}}
	}
	r.Shuffle(len(here), func(a, b int) { here[a], here[b] = here[b], here[a] })
	out := []Look{{LEA: i, SSID: here[0]}}
	if len(here) > 1 {
		out = append(out, Look{LEA: i, SSID: here[1]})
	}
	return out
}

// faultTarget returns a pool student with a released report at an LEA whose pair works, and
// no maintenance or Retry-After window open: a page view for whom meets a fault; "" if none.
func (k *walk) faultTarget() string {
	now := k.w.now
	if k.st.inMaintenance(now) || k.st.retry != nil && k.st.retry.until.After(now) {
		return ""
	}
	for _, rel := range k.amendable() {
		if !k.st.pairBad(k.st.at[rel.ssid], now) {
			return rel.ssid
		}
	}
	return ""
}

// generate draws the next step: an action whose precondition holds, weighted towards the
// actions this run has exercised least, then page views of several students.
func (k *walk) generate(r *rand.Rand) Step {
	weight := func(a action) float64 {
		if a.kind == evFault {
			return a.weight // faults pick their least exercised route and kind themselves
		}
		return a.weight / (1 + float64(k.x.cov.Events[a.kind])/3)
	}
	var ok []action
	var total float64
	for _, a := range actions {
		if a.ok(k) {
			ok = append(ok, a)
			total += weight(a)
		}
	}
	pick := r.Float64() * total
	chosen := ok[len(ok)-1]
	for _, a := range ok {
		pick -= weight(a)
		if pick < 0 {
			chosen = a
			break
		}
	}
	if k.badPair() >= 0 && r.IntN(5) < 3 {
		// An LEA whose pair no longer works gets a new one soon, as a real LEA would.
		chosen = actionOf(evRenew)
		if k.pendingPair() >= 0 {
			chosen = actionOf(evEnterPair)
		}
	}
	e, looks := chosen.draw(k, r)
	k.x.cov.Events[e.Kind]++
	if e.Kind == evMaintenance {
		k.x.cov.schedule(controlapi.RouteAll, "maintenance")
	}
	if e.Kind == evFault {
		k.x.cov.schedule(e.Route, e.Fault)
		if e.Fault == fkSlow {
			k.x.slowLeft--
		}
	}
	for range 1 + r.IntN(2) {
		m := k.pool[r.IntN(len(k.pool))]
		l := Look{LEA: -1, SSID: m.SSID}
		if r.IntN(5) == 0 {
			l.LEA = r.IntN(len(k.st.leas)) // now and then at an LEA the student may not be in
		}
		if !slices.Contains(looks, l) {
			looks = append(looks, l)
		}
	}
	return Step{Event: e, Views: looks}
}

package conformance

import (
	"fmt"
	"strings"
	"time"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
)

// apply carries out e on the service, moving the model along, and says what happened; false
// when e's precondition no longer holds (in a shortened sequence).
func (k *walk) apply(e Event) (string, bool) {
	w, st := k.w, k.st
	lea := func(i int) string { return fmt.Sprintf("LEA %s (%s)", leaLetter(i), st.leas[i]) }
	moveTo := func(t time.Time) bool {
		if !t.After(w.now) {
			return false
		}
		w.advanceTo(t)
		return true
	}
	now := func() string { return w.now.Format(exploreDateLayout) }
	switch e.Kind {
	case evViewsOnly:
		return "The LEAs have entered their pairs; parents open their pages.", true
	case evClockShort, evClockLong, evClock30:
		w.advance(e.Advance)
		what := ""
		if e.Kind == evClock30 {
			what = ": inside the 30 minutes of the tokens and links of the last page views"
			if e.Advance > 30*time.Minute {
				what = ": just past the 30 minutes of the tokens and links of the last page views"
			}
		}
		return fmt.Sprintf("The clock moves on %s, to %s%s.", e.Advance, now(), what), true
	case evRetryInside, evRetryPast:
		if st.retry == nil || !st.retry.until.After(w.now) {
			return "", false
		}
		if e.Kind == evRetryPast {
			moveTo(st.retry.until.Add(e.Offset))
			return fmt.Sprintf("The clock moves to %s, %s after the Retry-After time.", now(), e.Offset), true
		}
		moveTo(w.now.Add(time.Duration(e.Frac * float64(st.retry.until.Sub(w.now)))))
		return fmt.Sprintf("The clock stops at %s, inside the Retry-After window (it ends at %s).", now(), st.retry.until.Format(exploreDateLayout)), true
	case evMaintenance:
		if !st.clocked || st.inMaintenance(w.now) {
			return "", false
		}
		f := k.addFault(controlapi.Fault{Route: controlapi.RouteAll, Status: 503, Code: "maintenance",
			RetryAfter: controlapi.Duration(e.RetryAfter), From: w.now, Until: w.now.Add(e.RetryAfter)})
		st.maint = &window{id: f.ID, from: w.now, until: w.now.Add(e.RetryAfter)}
		return fmt.Sprintf("A maintenance window starts at %s: every request is answered 503 maintenance with Retry-After %s, until %s.",
			now(), e.RetryAfter, st.maint.until.Format(exploreDateLayout)), true
	case evMaintInside, evMaintEnd:
		if !st.inMaintenance(w.now) {
			return "", false
		}
		if e.Kind == evMaintEnd {
			moveTo(st.maint.until.Add(e.Offset))
			return fmt.Sprintf("The clock moves to %s, %s after the maintenance window ended.", now(), e.Offset), true
		}
		moveTo(w.now.Add(time.Duration(e.Frac * float64(st.maint.until.Sub(w.now)))))
		return fmt.Sprintf("The clock stops at %s, inside the maintenance window (it ends at %s).", now(), st.maint.until.Format(exploreDateLayout)), true
	case evReleaseBefore, evRelease:
		t := e.At.Add(e.Offset)
		what := "after"
		if e.Kind == evReleaseBefore {
			t, what = e.At.Add(-e.Offset), "before"
		}
		if !moveTo(t) {
			return "", false
		}
		return fmt.Sprintf("The clock moves to %s, %s %s the release of report %s of student %s (released %s).",
			now(), e.Offset, what, e.ReportID, e.SSID, e.At.Format(exploreDateLayout)), true
	case evAmend:
		if !k.releasedAt(e.ReportID, w.now) {
			return "", false
		}
		a, err := w.h.api.Amend(w.ctx, w.sb.ID, e.ReportID)
		w.controlErr(err, "amending report "+e.ReportID)
		w.advance(afterChange)
		return fmt.Sprintf("Report %s of student %s is rescored (version %d); the clock moves on %s, to %s.", e.ReportID, e.SSID, a.Version, afterChange, now()), true
	case evRegenerate:
		cr := w.generate(st.leas[e.LEA], e.Coordinator)
		st.current[e.LEA] = cr
		entered := "does not enter it yet"
		if e.Enter {
			k.enter(e.LEA, cr)
			entered = "enters it in the vendor's settings at once"
		}
		w.advance(afterChange)
		return fmt.Sprintf("The %s coordinator of %s regenerates its pair (the old pair and its tokens die); the LEA's admin %s. The clock moves on %s, to %s.",
			strings.ToUpper(e.Coordinator), lea(e.LEA), entered, afterChange, now()), true
	case evEnterPair:
		if st.held[e.LEA].Generation == st.current[e.LEA].Generation || !w.now.Before(st.current[e.LEA].ExpiresAt) {
			return "", false
		}
		k.enter(e.LEA, st.current[e.LEA])
		return fmt.Sprintf("The admin of %s enters the regenerated pair in the vendor's settings.", lea(e.LEA)), true
	case evExpiryNear, evExpiryPast:
		exp := st.current[e.LEA].ExpiresAt
		t, what := exp.Add(e.Offset), "after"
		if e.Kind == evExpiryNear {
			t, what = exp.Add(-e.Offset), "before"
		}
		if st.held[e.LEA].Generation != st.current[e.LEA].Generation || !exp.After(w.now) || !moveTo(t) {
			return "", false
		}
		return fmt.Sprintf("The clock moves to %s, %s %s the pair of %s expires (%s).", now(), e.Offset, what, lea(e.LEA), exp.Format(exploreDateLayout)), true
	case evRenew:
		if !st.pairBad(e.LEA, w.now) {
			return "", false
		}
		cr := w.generate(st.leas[e.LEA], e.Coordinator)
		st.current[e.LEA] = cr
		k.enter(e.LEA, cr)
		return fmt.Sprintf("The %s coordinator of %s generates a new pair and the LEA's admin enters it.", strings.ToUpper(e.Coordinator), lea(e.LEA)), true
	case evTransfer:
		if st.at[e.SSID] == e.LEA {
			return "", false
		}
		from := st.at[e.SSID]
		_, err := w.h.api.Transfer(w.ctx, w.sb.ID, e.SSID, st.leas[e.LEA])
		w.controlErr(err, "transferring student "+e.SSID)
		st.at[e.SSID] = e.LEA
		w.advance(24 * time.Hour)
		return fmt.Sprintf("Student %s transfers from %s to %s; the clock moves on a day (the next enrollment feed), to %s.", e.SSID, lea(from), lea(e.LEA), now()), true
	case evFault:
		return k.applyFault(e)
	}
	panic("unknown explore event " + e.Kind)
}

// applyFault schedules a one-shot fault of the step. A fault on the token route comes with a
// clock move past the tokens' life, so that the vendor needs a new token: its scheduled job,
// if it has one, may be the first to meet the fault.
func (k *walk) applyFault(e Event) (string, bool) {
	w := k.w
	f := controlapi.Fault{Route: e.Route, Count: 1}
	once := "once"
	var what string
	switch e.Fault {
	case fk401:
		f.Status, f.Code, what = 401, "invalid_token", "answers 401 invalid_token"
	case fk429:
		f.Status, f.Code, f.RetryAfter = 429, "rate_limited", controlapi.Duration(e.RetryAfter)
		what = fmt.Sprintf("answers 429 rate_limited with Retry-After %s", e.RetryAfter)
	case fk503:
		f.Status, f.Code, f.RetryAfter = 503, "maintenance", controlapi.Duration(e.RetryAfter)
		what = fmt.Sprintf("answers 503 maintenance with Retry-After %s", e.RetryAfter)
	case fk5xx:
		// More server errors than a careful vendor's tries for one page view.
		f.Status, f.Code, f.Count, what = 500, "internal", server5xxCount, "answers 500 internal"
		once = fmt.Sprintf("%d times", server5xxCount)
	case fkSlow:
		f.Delay, what = controlapi.Duration(slowDelay), fmt.Sprintf("holds its answer back %s", slowDelay)
	case fkDrop:
		f.Drop, what = true, "drops the connection"
	case fkTruncate:
		f.Truncate, what = true, "cuts its answer short"
	}
	got := k.addFault(f)
	k.st.oneShot = append(k.st.oneShot, got.ID)
	k.st.stepFault = e.Fault
	text := fmt.Sprintf("The %s route %s, %s", routeName(e.Route), what, once)
	if e.Route == controlapi.RouteToken {
		w.advance(afterChange)
		text += fmt.Sprintf("; the clock moves on %s (past the tokens' life), to %s", afterChange, w.now.Format(exploreDateLayout))
	}
	if f.RetryAfter > 0 {
		k.st.retry = &window{id: got.ID, from: w.now, until: w.now.Add(e.RetryAfter)}
	}
	return text + ".", true
}

func routeName(route string) string {
	switch route {
	case controlapi.RouteToken:
		return "token (POST /api/v1/token)"
	case controlapi.RouteReports:
		return "report list (GET /api/v1/students/{ssid}/reports)"
	case controlapi.RoutePDF:
		return "report file (the link)"
	}
	return route
}

func leaLetter(i int) string { return string(rune('A' + i)) }

func (k *walk) releasedAt(reportID string, t time.Time) bool {
	for _, r := range k.st.releases {
		if r.ReportID == reportID {
			return !r.ReleasedAt.After(t)
		}
	}
	return false
}

// enter pastes cr into the vendor's settings for LEA i.
func (k *walk) enter(i int, cr controlapi.Credentials) {
	k.w.configure(k.st.leas[i], cr)
	k.st.held[i] = cr
	k.j.configured(i)
}

func (k *walk) addFault(f controlapi.Fault) controlapi.Fault {
	got, err := k.w.h.api.AddFault(k.w.ctx, k.w.sb.ID, f)
	k.w.controlErr(err, "scheduling a fault")
	return got
}

// clearOneShot removes the last step's one-shot faults, met or not.
func (k *walk) clearOneShot() {
	for _, id := range k.st.oneShot {
		_ = k.w.h.api.DeleteFault(k.w.ctx, k.w.sb.ID, id)
	}
	k.st.oneShot, k.st.stepFault = nil, ""
	k.j.faultSeen = false
}

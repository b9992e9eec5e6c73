package server

import (
	"net/http"
	"time"
)

// JSON can write the years 0 to 9999 only (RFC 3339 has four digits for the year), and the
// server writes instants it derives from a sandbox's clock: credential expiry a year on,
// reminders, link and token expiry. So every instant the API accepts is bounded, and a
// sandbox's clock more tightly, leaving room for what it derives.
var (
	// latestInstant bounds instants the API accepts that are not the clock: fault windows,
	// the ground truth's at.
	latestInstant = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
	// latestClock bounds a sandbox's clock, moved or followed: credentials generated then
	// (at most 366 days) still expire within year 9999.
	latestClock = time.Date(9998, 1, 1, 0, 0, 0, 0, time.UTC)
)

// checkInstant refuses an instant after latest, or one JSON cannot write (a zone offset of a
// day or more, say).
func checkInstant(name string, t, latest time.Time) error {
	if t.After(latest) {
		return Errorf(CodeBadRequest, "%s %s is too late: instants must be before %s", name, clipString(t.Format(time.RFC3339), 40), latest.Add(time.Second).Format(time.RFC3339))
	}
	if _, err := t.MarshalJSON(); err != nil {
		return Errorf(CodeBadRequest, "%s cannot be written as an RFC 3339 instant: use a zone offset between -23:59 and +23:59", name)
	}
	return nil
}

// checkClock refuses an instant a sandbox's clock may not reach.
func checkClock(name string, t time.Time) error {
	return checkInstant(name, t, latestClock.Add(-time.Second))
}

// timeParam reads an optional RFC 3339 query parameter; def when absent.
func timeParam(r *http.Request, name string, def time.Time) (time.Time, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return def, nil
	}
	t, err := time.Parse(time.RFC3339, raw)
	if err != nil {
		return time.Time{}, Errorf(CodeBadRequest, "%s: not a time: %s (write an RFC 3339 instant like 2019-05-15T08:00:00-07:00)", name, clipString(raw, 40))
	}
	if err := checkInstant(name, t, latestInstant); err != nil {
		return time.Time{}, err
	}
	return t, nil
}

// clampClock keeps a followed clock from running past latestClock.
func clampClock(t time.Time) time.Time {
	if last := latestClock.Add(-time.Second); t.After(last) {
		return last
	}
	return t
}

package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/ssrmock/ssrmock/server/store"
)

// Vendor routes, as faults and the journal name them.
const (
	routeToken   = "token"
	routeReports = "reports"
	routePDF     = "pdf"
	routeAny     = "*"
)

// Fault is a scheduled misbehaviour of one vendor route: an error status, a delay, a dropped
// connection or a truncated body, for a number of requests and/or a window of sandbox time.
type Fault struct {
	ID    string `json:"id"`
	Route string `json:"route"`
	// Status, when set, answers the request with this status and Code instead of serving it.
	Status int    `json:"status,omitempty"`
	Code   string `json:"code,omitempty"`
	// RetryAfter is sent as Retry-After, in whole seconds.
	RetryAfter Duration `json:"retryAfter,omitempty"`
	// Delay holds the response back this long in real time.
	Delay Duration `json:"delay,omitempty"`
	// Drop closes the connection without an answer.
	Drop bool `json:"drop,omitempty"`
	// Truncate sends the headers and half the body, then closes the connection.
	Truncate bool `json:"truncate,omitempty"`
	// Count is how many requests the fault affects; 0 means every request in the window.
	Count int `json:"count,omitempty"`
	// Remaining is how many of Count are left.
	Remaining int `json:"remaining"`
	// Spent is set once a counted fault has affected all its requests; it stays listed.
	Spent bool `json:"spent"`
	// From and Until bound the fault in sandbox time; zero means unbounded.
	From  time.Time `json:"from,omitzero"`
	Until time.Time `json:"until,omitzero"`
	// Hits counts the requests the fault has affected.
	Hits int `json:"hits"`
}

// Bounds of a fault's numbers.
const (
	// maxRetryAfter bounds a fault's Retry-After: a day (our choice: longer than any wait a
	// test stages, and whole seconds of it fit every integer a client may parse it into).
	maxRetryAfter = Duration(24 * time.Hour)
	// maxFaultCount bounds how many requests a counted fault affects.
	maxFaultCount = 1_000_000_000
)

// validate checks a fault a client asked for and fills in its defaults.
func (f *Fault) validate() error {
	switch f.Route {
	case routeToken, routeReports, routePDF, routeAny:
	case "":
		f.Route = routeAny
	default:
		return Errorf(CodeBadRequest, "route must be %q, %q, %q or %q", routeToken, routeReports, routePDF, routeAny)
	}
	if f.Status != 0 && (f.Status < 400 || f.Status > 599) {
		return Errorf(CodeBadRequest, "status must be an HTTP error status (400-599), not %d", f.Status)
	}
	if _, known := codeStatus[f.Code]; f.Code != "" && !known {
		return Errorf(CodeBadRequest, "unknown error code %q: use one of the API's codes (see errors in the API reference)", f.Code)
	}
	if f.Code == "" && f.Status != 0 {
		f.Code = defaultFaultCode(f.Status)
	}
	if f.Code != "" && f.Status == 0 {
		f.Status = ErrorStatus(f.Code)
	}
	if f.Status == 0 && f.Delay == 0 && !f.Drop && !f.Truncate {
		return Errorf(CodeBadRequest, "a fault needs a status, a delay, drop or truncate")
	}
	if f.Drop && f.Truncate {
		return Errorf(CodeBadRequest, "a fault drops the connection or truncates the body, not both")
	}
	if f.Delay < 0 || time.Duration(f.Delay) > 5*time.Minute {
		return Errorf(CodeBadRequest, "delay must be between 0 and 5m")
	}
	if f.RetryAfter < 0 || f.Count < 0 {
		return Errorf(CodeBadRequest, "retryAfter and count cannot be negative")
	}
	if f.RetryAfter > maxRetryAfter {
		return Errorf(CodeBadRequest, "retryAfter must be at most %v", time.Duration(maxRetryAfter))
	}
	if f.Count > maxFaultCount {
		return Errorf(CodeBadRequest, "count must be at most %d", maxFaultCount)
	}
	if err := checkInstant("from", f.From, latestInstant); err != nil {
		return err
	}
	if err := checkInstant("until", f.Until, latestInstant); err != nil {
		return err
	}
	if !f.From.IsZero() && !f.Until.IsZero() && !f.Until.After(f.From) {
		return Errorf(CodeBadRequest, "until must be after from")
	}
	f.Remaining, f.Hits, f.Spent = f.Count, 0, false
	return nil
}

func defaultFaultCode(status int) string {
	switch status {
	case http.StatusTooManyRequests:
		return CodeRateLimited
	case http.StatusServiceUnavailable:
		return CodeMaintenance
	case http.StatusInternalServerError:
		return CodeInternal
	case http.StatusUnauthorized:
		return CodeInvalidToken
	case http.StatusNotFound:
		return CodeNotFound
	}
	if status >= 500 {
		return CodeUnavailable
	}
	return CodeBadRequest
}

// stored is f as the store keeps it.
func (f Fault) stored() store.Fault {
	return store.Fault{ID: f.ID, Route: f.Route, Status: f.Status, Code: f.Code,
		RetryAfter: time.Duration(f.RetryAfter), Delay: time.Duration(f.Delay), Drop: f.Drop, Truncate: f.Truncate,
		Count: f.Count, Remaining: f.Remaining, From: f.From, Until: f.Until, Hits: f.Hits}
}

// faultOf is a stored fault as the API shows it.
func faultOf(f store.Fault) Fault {
	return Fault{ID: f.ID, Route: f.Route, Status: f.Status, Code: f.Code,
		RetryAfter: Duration(f.RetryAfter), Delay: Duration(f.Delay), Drop: f.Drop, Truncate: f.Truncate,
		Count: f.Count, Remaining: f.Remaining, Spent: f.Count > 0 && f.Remaining == 0,
		From: f.From, Until: f.Until, Hits: f.Hits}
}

// addFault schedules f, or answers limit_reached when the sandbox already holds max faults.
func (sb *Sandbox) addFault(ctx context.Context, f Fault, max int) error {
	_, err := sb.update(ctx, func(st *store.State) error {
		if len(st.Faults) >= max {
			return Errorf(CodeLimitReached, "the sandbox holds %d faults, its limit (serve --max-faults): clear them (DELETE …/faults) or delete spent ones, then try again", max)
		}
		st.Faults = append(st.Faults, f.stored())
		return nil
	})
	return err
}

// faults lists the sandbox's faults, in the order they were scheduled.
func (sb *Sandbox) faults() []Fault {
	st := sb.state()
	out := make([]Fault, len(st.Faults))
	for i, f := range st.Faults {
		out[i] = faultOf(f)
	}
	return out
}

// removeFault deletes the fault with the given ID and reports whether there was one.
func (sb *Sandbox) removeFault(ctx context.Context, id string) (bool, error) {
	found := false
	_, err := sb.update(ctx, func(st *store.State) error {
		n := len(st.Faults)
		st.Faults = slices.DeleteFunc(st.Faults, func(f store.Fault) bool { return f.ID == id })
		found = len(st.Faults) < n
		return nil
	})
	return found, err
}

// clearFaults deletes every fault.
func (sb *Sandbox) clearFaults(ctx context.Context) error {
	_, err := sb.update(ctx, func(st *store.State) error {
		st.Faults = nil
		return nil
	})
	return err
}

// errNoFault ends an update that found no fault to take.
var errNoFault = errors.New("no fault applies")

// takeFault returns the first fault that applies to route at instant now and counts the
// hit. Most requests meet no fault: they are answered from the state at hand, without a
// change to the store.
func (sb *Sandbox) takeFault(ctx context.Context, route string, now time.Time) (Fault, bool, error) {
	if faultFor(sb.state().Faults, route, now) < 0 {
		return Fault{}, false, nil
	}
	var taken store.Fault
	_, err := sb.update(ctx, func(st *store.State) error {
		i := faultFor(st.Faults, route, now)
		if i < 0 {
			return errNoFault
		}
		f := &st.Faults[i]
		if f.Count > 0 {
			f.Remaining--
		}
		f.Hits++
		taken = *f
		return nil
	})
	if errors.Is(err, errNoFault) {
		return Fault{}, false, nil
	}
	if err != nil {
		return Fault{}, false, err
	}
	return faultOf(taken), true, nil
}

// faultFor is the index of the first of faults that applies to route at now, or -1.
func faultFor(faults []store.Fault, route string, now time.Time) int {
	for i, f := range faults {
		if f.Route != routeAny && f.Route != route {
			continue
		}
		if (!f.From.IsZero() && now.Before(f.From)) || (!f.Until.IsZero() && !now.Before(f.Until)) {
			continue
		}
		if f.Count > 0 && f.Remaining == 0 {
			continue
		}
		return i
	}
	return -1
}

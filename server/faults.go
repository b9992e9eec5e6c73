package server

import (
	"net/http"
	"slices"
	"sync"
	"time"
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

// faultSet is a sandbox's scheduled faults.
type faultSet struct {
	mu     sync.Mutex
	faults []*Fault
}

// add schedules f, or answers limit_reached when the set already holds max faults.
func (fs *faultSet) add(f Fault, max int) error {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if len(fs.faults) >= max {
		return Errorf(CodeLimitReached, "the sandbox holds %d faults, its limit (serve --max-faults): clear them (DELETE …/faults) or delete spent ones, then try again", max)
	}
	fs.faults = append(fs.faults, &f)
	return nil
}

func (fs *faultSet) list() []Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make([]Fault, len(fs.faults))
	for i, f := range fs.faults {
		out[i] = *f
		out[i].Spent = f.Count > 0 && f.Remaining == 0
	}
	return out
}

func (fs *faultSet) remove(id string) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	n := len(fs.faults)
	fs.faults = slices.DeleteFunc(fs.faults, func(f *Fault) bool { return f.ID == id })
	return len(fs.faults) < n
}

func (fs *faultSet) clear() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.faults = nil
}

// take returns the first fault that applies to route at instant now and counts the hit.
func (fs *faultSet) take(route string, now time.Time) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, f := range fs.faults {
		if f.Route != routeAny && f.Route != route {
			continue
		}
		if (!f.From.IsZero() && now.Before(f.From)) || (!f.Until.IsZero() && !now.Before(f.Until)) {
			continue
		}
		if f.Count > 0 && f.Remaining == 0 {
			continue
		}
		if f.Count > 0 {
			f.Remaining--
		}
		f.Hits++
		return *f, true
	}
	return Fault{}, false
}

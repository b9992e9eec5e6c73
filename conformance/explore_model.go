package conformance

import (
	"time"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
)

// The kinds of explore events: the actions of the state machine.
const (
	evClockShort      = "clock-short"
	evClockLong       = "clock-long"
	evClock30         = "clock-30m"
	evRetryInside     = "retry-after-inside"
	evRetryPast       = "retry-after-past"
	evMaintenance     = "maintenance"
	evMaintInside     = "maintenance-inside"
	evMaintEnd        = "maintenance-end"
	evReleaseBefore   = "release-before"
	evRelease         = "release"
	evAmend           = "amend"
	evRegenerate      = "regenerate"
	evEnterPair       = "enter-pair"
	evExpiryNear      = "expiry-near"
	evExpiryPast      = "expiry-past"
	evRenew           = "renew"
	evTransfer        = "transfer"
	evFault           = "fault"
	evViewsOnly       = "views"
	exploreDateLayout = "2006-01-02 15:04 -07:00"
)

// The kinds of faults the explore phase puts on the vendor routes.
const (
	fk401      = "401-once"
	fk429      = "429-retry-after"
	fk503      = "503-retry-after"
	fk5xx      = "5xx"
	fkSlow     = "slow"
	fkDrop     = "dropped"
	fkTruncate = "truncated"
)

// faultKinds lists the fault kinds in the order the coverage shows them.
var faultKinds = []string{fk401, fk429, fk503, fk5xx, fkSlow, fkDrop, fkTruncate}

// faultRoutes lists the vendor routes faults go on: token, report list, report file.
var faultRoutes = []string{controlapi.RouteToken, controlapi.RouteReports, controlapi.RoutePDF}

// Event is one step's event of an explore walk, self-contained so that a shorter sequence can
// be replayed: moves relative to a window are resolved when the event is applied.
type Event struct {
	Kind string `json:"kind"`
	// Advance is a relative clock move ("25m0s").
	Advance time.Duration `json:"advance,omitempty"`
	// At is an absolute instant (a report's release, for release events).
	At time.Time `json:"at,omitzero"`
	// Offset places the clock relative to a window's edge (a release, an expiry).
	Offset time.Duration `json:"offset,omitempty"`
	// Frac places the clock a fraction of the way into a window.
	Frac float64 `json:"frac,omitempty"`
	// LEA is the LEA the event concerns ("A" or "B" by index in Walk.LEAs, resolved at
	// apply time to a CDS code).
	LEA         int    `json:"lea,omitempty"`
	SSID        string `json:"ssid,omitempty"`
	ReportID    string `json:"reportId,omitempty"`
	Coordinator string `json:"coordinator,omitempty"`
	// Enter says the LEA's admin enters the regenerated pair at once.
	Enter bool   `json:"enter,omitempty"`
	Route string `json:"route,omitempty"`
	Fault string `json:"fault,omitempty"`
	// RetryAfter of 429/503 faults and maintenance windows.
	RetryAfter time.Duration `json:"retryAfter,omitempty"`
}

// Look is one page view: a parent opens student SSID's page at the LEA of index LEA (-1: the
// student's LEA at the time).
type Look struct {
	LEA  int    `json:"lea"`
	SSID string `json:"ssid"`
}

// Step is one event followed by page views.
type Step struct {
	Event Event  `json:"event"`
	Views []Look `json:"views"`
	// Text says what happened and Pages whose pages parents then opened, for a person to
	// follow; both are filled in when the step runs.
	Text  string `json:"text,omitempty"`
	Pages string `json:"pages,omitempty"`
}

// member is one student of a walk's pool.
type member struct {
	SSID string `json:"ssid"`
	// Home is the index of the LEA the student starts in.
	Home int `json:"home"`
	// Why says what the student was picked for (a family, a language, an empty list).
	Why string `json:"why"`
}

// window is a stretch of sandbox time a fault covers.
type window struct {
	id          string
	from, until time.Time
}

// state is the model of one walk: what the suite did to the service, from which it predicts
// what a correct vendor shows. It knows nothing the vendor did; what the vendor did is read
// from the journal when judging.
type state struct {
	leas    []string
	current []controlapi.Credentials // the LEA's newest pair
	held    []controlapi.Credentials // the pair the LEA's admin entered in the vendor's settings
	at      map[string]int           // each pool student's current LEA
	// reports of the pool at the start (id → truth), for releases and amendments.
	releases []controlapi.TruthReport
	amended  map[string]bool

	oneShot     []string // faults of this step only, removed before the next
	stepFault   string   // kind of this step's one-shot fault
	maint       *window  // the maintenance window scheduled last
	retry       *window  // the Retry-After window of the last 429/503 scheduled
	servesBytes bool     // the vendor serves PDFs itself (learnt on the first view)
	clocked     bool     // the driver follows sandbox time
}

// pairBad reports whether the pair the vendor holds for LEA i no longer works now.
func (s *state) pairBad(i int, now time.Time) bool {
	return s.held[i].Generation != s.current[i].Generation || !now.Before(s.held[i].ExpiresAt)
}

// inMaintenance reports whether now falls inside the maintenance window.
func (s *state) inMaintenance(now time.Time) bool {
	return s.maint != nil && !now.Before(s.maint.from) && now.Before(s.maint.until)
}

// pendingReleases returns the pool's reports released after now, earliest first.
func (s *state) pendingReleases(now time.Time) []controlapi.TruthReport {
	var out []controlapi.TruthReport
	for _, r := range s.releases {
		if r.ReleasedAt.After(now) {
			out = append(out, r)
		}
	}
	return out
}

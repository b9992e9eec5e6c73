// Package refvendor is the reference vendor: a small but real parent-portal back end that shows
// parents their student's score reports through the SSR vendor API, written the way a careful
// vendor would, and able to get things wrong in one named way (Faults) so that the conformance
// suite can be seen to catch it.
//
// It implements driver.Driver with the optional driver.Clocked and driver.Syncer. It never
// reads the wall clock to decide whether something has expired: its clock is the sandbox time
// it was told through Clock, moved forward by the Date headers of the service's answers.
package refvendor

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/ssrmock/ssrmock/conformance/driver"
)

// Version is the reference vendor's version, as Hello reports it.
const Version = "1.0"

// Options configure a Vendor.
type Options struct {
	// Fault names one deliberate fault (see Faults); "" means none.
	Fault string
	// HTTPClient carries the requests to the service; nil means a client of its own.
	HTTPClient *http.Client
	// Timeout bounds each request to the service; 0 means 2s.
	Timeout time.Duration
	// RetryBudget is the longest Retry-After the vendor waits out (in real time) before
	// retrying once; 0 means 2s. A longer one makes the view unavailable at once.
	RetryBudget time.Duration
	// ServeBytes makes View download each PDF, check it and report its SHA-256 instead of
	// handing out the service's link.
	ServeBytes bool
	// Logger receives the vendor's log; nil discards it. It never receives a secret, a
	// token or a link.
	Logger *slog.Logger
}

// Vendor is the reference vendor. It is safe for concurrent use.
type Vendor struct {
	fault       string
	hc          *http.Client
	timeout     time.Duration
	retryBudget time.Duration
	serveBytes  bool
	log         *slog.Logger

	mu   sync.Mutex
	now  time.Time // the vendor's idea of sandbox time; zero until told or answered
	leas map[string]*leaState
	// firstLEA is the LEA configured first, for uses-first-lea-pair.
	firstLEA string
	mem      memory // what the faulty caches remember
}

var (
	_ driver.Driver  = (*Vendor)(nil)
	_ driver.Clocked = (*Vendor)(nil)
	_ driver.Syncer  = (*Vendor)(nil)
)

// leaState is what the vendor keeps for one LEA. Fields are guarded by Vendor.mu.
type leaState struct {
	cfg driver.Config
	gen int // bumped by every configure, so that answers to older requests are not stored

	token    string
	tokenExp time.Time // on the vendor's clock, already shortened by a safety margin

	// rejected is the service's verdict on the current pair ("invalid_credentials" or
	// "credentials_expired"); the vendor does not send the pair again until reconfigured.
	rejected string
	// quietUntil is the Retry-After time of the last 429/503: no request before it.
	quietUntil time.Time

	// known are the students viewed through this LEA, for the scheduled job, with the report
	// ids already noticed.
	known map[string]map[string]bool
}

// New returns a Vendor; an unknown fault is an error.
func New(o Options) (*Vendor, error) {
	if err := checkFault(o.Fault); err != nil {
		return nil, err
	}
	v := &Vendor{
		fault:       o.Fault,
		hc:          o.HTTPClient,
		timeout:     o.Timeout,
		retryBudget: o.RetryBudget,
		serveBytes:  o.ServeBytes,
		log:         o.Logger,
		leas:        map[string]*leaState{},
	}
	if v.hc == nil {
		v.hc = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	if v.timeout <= 0 {
		v.timeout = 2 * time.Second
	}
	if v.retryBudget <= 0 {
		v.retryBudget = 2 * time.Second
	}
	if v.log == nil {
		v.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if v.has(FaultCachesPDFByID) {
		v.serveBytes = true
	}
	return v, nil
}

// MustNew is New for options known to be valid; it panics on an unknown fault.
func MustNew(o Options) *Vendor {
	v, err := New(o)
	if err != nil {
		panic(err)
	}
	return v
}

// has reports whether the vendor runs with fault name.
func (v *Vendor) has(name string) bool { return v.fault == name }

// Hello names the vendor and its capabilities: clock and sync.
func (v *Vendor) Hello(ctx context.Context) (driver.Hello, error) {
	name := "ssrmock reference vendor"
	if v.fault != "" {
		name += " (fault: " + v.fault + ")"
	}
	return driver.Hello{Name: name, Version: Version, Capabilities: []string{driver.CapClock, driver.CapSync}}, nil
}

// Reset forgets everything: credentials, tokens, caches and the clock.
func (v *Vendor) Reset(ctx context.Context) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.now = time.Time{}
	v.leas = map[string]*leaState{}
	v.firstLEA = ""
	v.mem = memory{}
	v.log.Info("reset")
	return nil
}

// Configure stores an LEA's pair, replacing the previous one at once: the next request uses
// it, and the token obtained with the old pair is dropped.
func (v *Vendor) Configure(ctx context.Context, c driver.Config) error {
	if c.LEA == "" || c.BaseURL == "" || c.Username == "" || c.SecretKey == "" {
		return errMissing(c)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	key := holder(c.LEA, c.School)
	st := v.leas[key]
	if st == nil {
		st = &leaState{known: map[string]map[string]bool{}}
		v.leas[key] = st
		if v.firstLEA == "" {
			v.firstLEA = c.LEA
		}
	} else if v.has(FaultIgnoresNewCredentials) {
		v.log.Info("configure: keeping the pair already configured", "lea", c.LEA)
		return nil
	}
	if st.cfg.BaseURL != c.BaseURL {
		st.quietUntil = time.Time{}
	}
	st.cfg = c
	st.gen++
	st.token, st.tokenExp = "", time.Time{}
	st.rejected = ""
	v.log.Info("configure: new pair", "lea", c.LEA, "school", c.School, "username", c.Username)
	return nil
}

// Clock sets the vendor's clock to now (sandbox time).
func (v *Vendor) Clock(ctx context.Context, now time.Time) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.now = now
	return nil
}

// observe moves the vendor's clock forward to t, the Date of an answer of the service.
func (v *Vendor) observe(t time.Time) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if t.After(v.now) {
		v.now = t
	}
}

// clock returns the vendor's idea of sandbox time.
func (v *Vendor) clock() time.Time {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.now
}

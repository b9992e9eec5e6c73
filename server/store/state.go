package store

import (
	"crypto/sha256"
	"maps"
	"slices"
	"time"
)

// Sandbox is what a sandbox is made of that never changes: the world is rebuilt from Spec.
type Sandbox struct {
	ID string
	// Spec is the server's description of the world (seed, scenario, scale or LEAs), as JSON.
	Spec []byte
	// Key signs the sandbox's tokens and report links, so that they outlive a restart.
	Key []byte
	// CreatedAt and LastUsed are real instants.
	CreatedAt time.Time
	LastUsed  time.Time
}

// State is everything about a sandbox that changes: small, and copied whole on each change.
type State struct {
	Clock Clock `json:"clock"`
	// Credentials are the current pairs, by holder: an LEA's CDS code, or a school's for a
	// pair of its own.
	Credentials map[string]Credential `json:"credentials,omitempty"`
	// Transfers are manual enrollment changes, by SSID.
	Transfers map[string]Transfer `json:"transfers,omitempty"`
	// TransfersIn lists, by LEA, the SSIDs transferred into it, in order.
	TransfersIn map[string][]string `json:"transfersIn,omitempty"`
	// Amendments are the latest versions of amended reports, by report ID.
	Amendments map[string]int `json:"amendments,omitempty"`
	// Faults are the scheduled faults, in the order they were added.
	Faults []Fault `json:"faults,omitempty"`
	// NextFault numbers the faults.
	NextFault int `json:"nextFault,omitempty"`
}

// Clock is a simulated clock's setting: it reads Now, or, while Following, Now plus the
// real time gone by since RefAt.
type Clock struct {
	Now       time.Time `json:"now"`
	Following bool      `json:"following,omitempty"`
	RefAt     time.Time `json:"refAt,omitzero"`
}

// At is the clock's reading at real instant real.
func (c Clock) At(real time.Time) time.Time {
	if !c.Following {
		return c.Now
	}
	return c.Now.Add(real.Sub(c.RefAt))
}

// Set is the clock standing at t at real instant real, following or not as before.
func (c Clock) Set(t, real time.Time) Clock {
	return Clock{Now: t, Following: c.Following, RefAt: real}
}

// Credential is a holder's current User Name and Secret Key. The secret itself is never
// stored: only its SHA-256.
type Credential struct {
	LEA         string            `json:"lea"`
	School      string            `json:"school,omitempty"`
	Generation  int               `json:"generation"`
	Username    string            `json:"username"`
	SecretHash  [sha256.Size]byte `json:"secretHash"`
	Coordinator string            `json:"coordinator"`
	GeneratedAt time.Time         `json:"generatedAt"`
	ExpiresAt   time.Time         `json:"expiresAt"`
	// Superseded are the holder's earlier User Names, newest last.
	Superseded []string `json:"superseded,omitempty"`
}

// UsernameOf is the User Name of generation gen of the pair, if still remembered.
func (c Credential) UsernameOf(gen int) string {
	if gen < 1 || gen > c.Generation {
		return ""
	}
	back := c.Generation - gen // 0 is the current pair
	if back == 0 {
		return c.Username
	}
	if i := len(c.Superseded) - back; i >= 0 {
		return c.Superseded[i]
	}
	return ""
}

// Transfer is a manual enrollment change.
type Transfer struct {
	From   string    `json:"from"` // LEA CDS codes
	To     string    `json:"to"`
	School string    `json:"school"` // the new school's CDS code
	At     time.Time `json:"at"`
}

// Fault is a scheduled misbehaviour of a vendor route; the server gives the fields their
// meaning.
type Fault struct {
	ID         string        `json:"id"`
	Route      string        `json:"route"`
	Status     int           `json:"status,omitempty"`
	Code       string        `json:"code,omitempty"`
	RetryAfter time.Duration `json:"retryAfter,omitempty"`
	Delay      time.Duration `json:"delay,omitempty"`
	Drop       bool          `json:"drop,omitempty"`
	Truncate   bool          `json:"truncate,omitempty"`
	Count      int           `json:"count,omitempty"`
	Remaining  int           `json:"remaining,omitempty"`
	From       time.Time     `json:"from,omitzero"`
	Until      time.Time     `json:"until,omitzero"`
	Hits       int           `json:"hits,omitempty"`
}

// Clone returns a copy of st that shares nothing it may change.
func (st State) Clone() State {
	out := st
	out.Credentials = maps.Clone(st.Credentials)
	out.Transfers = maps.Clone(st.Transfers)
	out.TransfersIn = make(map[string][]string, len(st.TransfersIn))
	for k, v := range st.TransfersIn {
		out.TransfersIn[k] = slices.Clone(v)
	}
	out.Amendments = maps.Clone(st.Amendments)
	out.Faults = slices.Clone(st.Faults)
	return out
}

// init gives st's maps their zero values, so that an update may write to them.
func (st *State) init() {
	if st.Credentials == nil {
		st.Credentials = map[string]Credential{}
	}
	if st.Transfers == nil {
		st.Transfers = map[string]Transfer{}
	}
	if st.TransfersIn == nil {
		st.TransfersIn = map[string][]string{}
	}
	if st.Amendments == nil {
		st.Amendments = map[string]int{}
	}
}

// regenerate applies Store.Regenerate's rule to st and returns the new credential and the
// User Names it forgets.
func (st *State) regenerate(holder string, c Credential, keep int) (Credential, []string) {
	c.Generation, c.Superseded = 1, nil
	if old, ok := st.Credentials[holder]; ok {
		c.Generation = old.Generation + 1
		c.Superseded = append(slices.Clip(old.Superseded), old.Username)
	}
	var forget []string
	if n := len(c.Superseded); n > keep {
		forget = slices.Clone(c.Superseded[:n-keep])
		c.Superseded = slices.Clone(c.Superseded[n-keep:])
	}
	st.Credentials[holder] = c
	return c, forget
}

// Package simclock names the clock ssrmock reads real time from, so that tests can replace
// it. A sandbox's simulated clock is a setting in its state (store.Clock).
package simclock

import (
	"time"
)

// Clock tells the time. The server asks nothing else of time.
type Clock interface {
	Now() time.Time
}

// Real is the wall clock.
type Real struct{}

// Now returns the wall-clock time.
func (Real) Now() time.Time { return time.Now() }

// Package simclock provides the clocks ssrmock reasons with: a simulated clock that stands
// still until it is moved, optionally following real time, and the real clock.
package simclock

import (
	"errors"
	"fmt"
	"sync"
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

// ErrBackwards is returned when a clock is asked to move into its past.
var ErrBackwards = errors.New("the clock only moves forward")

// Sim is a simulated clock. It stands still unless it is advanced or told to follow real
// time, in which case it moves at the pace of its reference clock from where it stood.
// Its zero value is not usable: use New. It is safe for concurrent use.
type Sim struct {
	mu  sync.Mutex
	now time.Time
	// ref is the reference clock followed while following is true; nil means Real.
	ref       Clock
	following bool
	refAt     time.Time // ref's reading when now was last set, while following
}

// New returns a simulated clock standing at start. ref is the clock followed in follow mode;
// nil means the wall clock.
func New(start time.Time, ref Clock) *Sim {
	if ref == nil {
		ref = Real{}
	}
	return &Sim{now: start, ref: ref}
}

// Now returns the simulated time.
func (c *Sim) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *Sim) nowLocked() time.Time {
	if !c.following {
		return c.now
	}
	return c.now.Add(c.ref.Now().Sub(c.refAt))
}

// Advance moves the clock forward by d and returns the time before and after the move.
func (c *Sim) Advance(d time.Duration) (from, to time.Time, err error) {
	if d < 0 {
		return time.Time{}, time.Time{}, fmt.Errorf("advance by %v: %w", d, ErrBackwards)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	from = c.nowLocked()
	c.set(from.Add(d))
	return from, c.now, nil
}

// AdvanceTo moves the clock forward to t and returns the time before the move.
func (c *Sim) AdvanceTo(t time.Time) (from time.Time, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	from = c.nowLocked()
	if t.Before(from) {
		return from, fmt.Errorf("move to %s, before %s: %w", t.Format(time.RFC3339), from.Format(time.RFC3339), ErrBackwards)
	}
	c.set(t)
	return from, nil
}

// Follow switches following real time on or off, keeping the current reading.
func (c *Sim) Follow(on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.set(c.nowLocked())
	c.following = on
}

// Following reports whether the clock follows real time.
func (c *Sim) Following() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.following
}

func (c *Sim) set(t time.Time) {
	c.now = t
	c.refAt = c.ref.Now()
}

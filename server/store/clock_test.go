package store

import (
	"testing"
	"time"
)

func TestClockStandsStillUnlessFollowing(t *testing.T) {
	at := time.Date(2019, 5, 1, 8, 0, 0, 0, time.UTC)
	real := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	c := Clock{Now: at}
	if got := c.At(real.Add(time.Hour)); !got.Equal(at) {
		t.Errorf("a standing clock reads %v an hour later, want %v", got, at)
	}
	c = Clock{Now: at, Following: true, RefAt: real}
	if got := c.At(real.Add(90 * time.Second)); !got.Equal(at.Add(90 * time.Second)) {
		t.Errorf("a following clock reads %v 90 s later, want %v", got, at.Add(90*time.Second))
	}
	moved := c.Set(at.Add(48*time.Hour), real.Add(time.Minute))
	if !moved.Following || !moved.At(real.Add(2*time.Minute)).Equal(at.Add(48*time.Hour+time.Minute)) {
		t.Errorf("a following clock set 48 h on reads %v a minute later, following %v", moved.At(real.Add(2*time.Minute)), moved.Following)
	}
}

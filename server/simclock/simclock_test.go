package simclock

import (
	"errors"
	"sync"
	"testing"
	"time"
)

// stepClock is a reference clock moved by hand.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *stepClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

var _ Clock = (*stepClock)(nil)

var start = time.Date(2019, 2, 11, 16, 0, 0, 0, time.UTC)

func TestSimStandsStill(t *testing.T) {
	ref := &stepClock{now: time.Unix(0, 0)}
	c := New(start, ref)
	ref.add(time.Hour)
	if got := c.Now(); !got.Equal(start) {
		t.Errorf("Now() = %v after the reference moved, want %v", got, start)
	}
}

func TestSimAdvance(t *testing.T) {
	c := New(start, nil)
	from, to, err := c.Advance(72 * time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if !from.Equal(start) || !to.Equal(start.Add(72*time.Hour)) || !c.Now().Equal(to) {
		t.Errorf("Advance(72h) = %v, %v; Now() = %v", from, to, c.Now())
	}
	if _, _, err := c.Advance(-time.Second); !errors.Is(err, ErrBackwards) {
		t.Errorf("Advance(-1s) error = %v, want ErrBackwards", err)
	}
}

func TestSimAdvanceTo(t *testing.T) {
	c := New(start, nil)
	target := time.Date(2019, 5, 15, 15, 0, 0, 0, time.UTC)
	if _, err := c.AdvanceTo(target); err != nil {
		t.Fatal(err)
	}
	if got := c.Now(); !got.Equal(target) {
		t.Errorf("Now() = %v, want %v", got, target)
	}
	if _, err := c.AdvanceTo(start); !errors.Is(err, ErrBackwards) {
		t.Errorf("AdvanceTo(past) error = %v, want ErrBackwards", err)
	}
	if got := c.Now(); !got.Equal(target) {
		t.Errorf("a refused move changed the clock to %v", got)
	}
}

func TestSimFollow(t *testing.T) {
	ref := &stepClock{now: time.Unix(1000, 0)}
	c := New(start, ref)
	c.Follow(true)
	ref.add(90 * time.Second)
	if got, want := c.Now(), start.Add(90*time.Second); !got.Equal(want) {
		t.Errorf("following: Now() = %v, want %v", got, want)
	}
	if _, _, err := c.Advance(time.Hour); err != nil {
		t.Fatal(err)
	}
	ref.add(10 * time.Second)
	if got, want := c.Now(), start.Add(time.Hour+100*time.Second); !got.Equal(want) {
		t.Errorf("following after Advance: Now() = %v, want %v", got, want)
	}
	c.Follow(false)
	stopped := c.Now()
	ref.add(time.Hour)
	if got := c.Now(); !got.Equal(stopped) {
		t.Errorf("after Follow(false) the clock moved from %v to %v", stopped, got)
	}
}

func TestSimConcurrent(t *testing.T) {
	c := New(start, nil)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				c.Advance(time.Minute)
				c.Now()
			}
		}()
	}
	wg.Wait()
	if got, want := c.Now(), start.Add(800*time.Minute); !got.Equal(want) {
		t.Errorf("Now() = %v after 800 concurrent one-minute advances, want %v", got, want)
	}
}

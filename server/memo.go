package server

import (
	"maps"
	"sync"
	"sync/atomic"
)

// memo remembers values that are pure functions of their keys for as long as the memo's owner
// lives: a sandbox's MACs (of its key and a message), a state's URL scans (of the URL and the
// state's Secret Keys), a server's parsed tokens (of the token). Past memoSize entries it
// starts again empty. Values are shared by whoever gets them, who only read them.
//
// Every request of the vendor API reads a memo or two, on every core, so a read takes no lock:
// it looks in read, a map published whole and never written again. A value put since is in
// recent, under mu, until as many reads have missed read as there are entries, when the two
// are published together as the new read (sync.Map's design, for string keys: a key given as
// bytes is looked up without a copy, and no value is boxed).
type memo[V any] struct {
	read atomic.Pointer[map[string]V]

	mu     sync.Mutex
	recent map[string]V // values put since read was published
	misses int          // reads since then that read could not answer
}

// memoSize bounds a memo.
const memoSize = 512

// get is the value remembered for key k.
func (c *memo[V]) get(k []byte) (V, bool) { return memoGet(c, k) }

// getString is get with a string key.
func (c *memo[V]) getString(k string) (V, bool) { return memoGet(c, k) }

// memoGet is get and getString: a key given as bytes is looked up without a copy.
func memoGet[V any, K ~string | ~[]byte](c *memo[V], k K) (V, bool) {
	if r := c.read.Load(); r != nil {
		if v, ok := (*r)[string(k)]; ok {
			return v, true
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.recent[string(k)]
	c.missedLocked()
	return v, ok
}

// put remembers v for key k.
func (c *memo[V]) put(k string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lenLocked() >= memoSize {
		c.read.Store(nil)
		c.recent, c.misses = nil, 0
	}
	if c.recent == nil {
		c.recent = make(map[string]V, 16)
	}
	c.recent[k] = v
}

// missedLocked counts a read that read could not answer, and publishes the recent values
// with read's once the misses have paid for copying them. c.mu is held.
func (c *memo[V]) missedLocked() {
	c.misses++
	if len(c.recent) == 0 || c.misses < c.lenLocked() {
		return
	}
	next := make(map[string]V, c.lenLocked())
	if r := c.read.Load(); r != nil {
		maps.Copy(next, *r)
	}
	maps.Copy(next, c.recent)
	c.read.Store(&next)
	c.recent, c.misses = nil, 0
}

// lenLocked is how many values the memo holds, a value put again since read was published
// counted twice. c.mu is held.
func (c *memo[V]) lenLocked() int {
	n := len(c.recent)
	if r := c.read.Load(); r != nil {
		n += len(*r)
	}
	return n
}

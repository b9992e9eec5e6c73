package server

import "sync"

// memo remembers values that are pure functions of their keys for as long as the memo's owner
// lives: a sandbox's MACs (of its key and a message), a state's URL scans (of the URL and the
// state's Secret Keys), a server's parsed tokens (of the token). Past memoSize entries it
// starts again empty. Values are shared by whoever gets them, who only read them.
type memo[V any] struct {
	mu sync.RWMutex
	m  map[string]V
}

// memoSize bounds a memo.
const memoSize = 512

// get is the value remembered for key k.
func (c *memo[V]) get(k []byte) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.m[string(k)] // no copy of k: a lookup by a converted key does not allocate
	return v, ok
}

// getString is get with a string key.
func (c *memo[V]) getString(k string) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *memo[V]) put(k string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= memoSize {
		c.m = make(map[string]V, 64)
	}
	c.m[k] = v
}

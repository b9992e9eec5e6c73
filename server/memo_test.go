package server

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"sync"
	"testing"
)

// TestMACMemoIsTheMAC: remembered or not, a sandbox's MAC is HMAC-SHA256 of purpose, a zero
// byte and the message under its key, for more messages than the memo holds, from several
// goroutines at once; and one sandbox's memo never answers for another's key.
func TestMACMemoIsTheMAC(t *testing.T) {
	a, b := &Sandbox{ID: "a", key: []byte("key-a")}, &Sandbox{ID: "b", key: []byte("key-b")}
	want := func(key []byte, purpose string, msg []byte) []byte {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(purpose))
		m.Write([]byte{0})
		m.Write(msg)
		return m.Sum(nil)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 3 * memoSize {
				msg := []byte(fmt.Sprintf("message %d", (i*7+g)%(2*memoSize)))
				if i%3 == 0 {
					msg = bytes.Repeat(msg, 40) // longer than the stack buffer
				}
				for _, sb := range []*Sandbox{a, b} {
					for _, purpose := range []string{"link", "token"} {
						if got := sb.mac(purpose, msg); !bytes.Equal(got, want(sb.key, purpose, msg)) {
							t.Errorf("sandbox %s: mac(%s, %.20q) is not the HMAC", sb.ID, purpose, msg)
							return
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	if n := a.macMemo.size(); n == 0 || n > memoSize {
		t.Errorf("the memo holds %d MACs, want 1..%d", n, memoSize)
	}
}

// TestMemoKeepsWhatItWasGiven: a value put is got back at once, from the recent values or,
// once reads have missed enough, from the published map without a lock; whatever a read
// answers is the value put for its key; and the memo never holds more than memoSize.
func TestMemoKeepsWhatItWasGiven(t *testing.T) {
	var c memo[string]
	value := func(k string) string { return "value of " + k }
	for i := range 5 * memoSize {
		k := fmt.Sprintf("key %d", i%(2*memoSize))
		if v, ok := c.getString(k); ok && v != value(k) {
			t.Fatalf("get(%q) = %q, want %q", k, v, value(k))
		}
		c.put(k, value(k))
		if v, ok := c.get([]byte(k)); !ok || v != value(k) {
			t.Fatalf("right after put(%q): get = %q, %v", k, v, ok)
		}
		if n := c.size(); n > memoSize {
			t.Fatalf("the memo holds %d values, more than %d", n, memoSize)
		}
	}
	// A key read often enough is published: its reads no longer take the lock.
	c.put("hot", value("hot"))
	for range memoSize + 1 {
		c.getString("hot")
	}
	if r := c.read.Load(); r == nil || (*r)["hot"] != value("hot") {
		t.Fatalf("a key read %d times is not in the published map", memoSize+1)
	}
	if n := testing.AllocsPerRun(100, func() { c.get([]byte("hot")) }); n != 0 {
		t.Errorf("a published value allocates %v times to get by bytes, want 0", n)
	}
}

// TestMemoUnderConcurrentUse: readers and writers at once (run with -race) only ever get the
// value put for a key.
func TestMemoUnderConcurrentUse(t *testing.T) {
	var c memo[int]
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 4 * memoSize {
				n := (i*13 + g*7) % (memoSize + memoSize/2)
				k := fmt.Sprint(n)
				if v, ok := c.get([]byte(k)); ok && v != n {
					t.Errorf("get(%q) = %d", k, v)
					return
				}
				if i%3 == g%3 {
					c.put(k, n)
				}
			}
		}()
	}
	wg.Wait()
}

// size is how many values c holds, as its bound counts them.
func (c *memo[V]) size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lenLocked()
}

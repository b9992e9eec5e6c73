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
	if n := len(a.macMemo.m); n == 0 || n > memoSize {
		t.Errorf("the memo holds %d MACs, want 1..%d", n, memoSize)
	}
}

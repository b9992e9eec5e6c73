package server

import (
	"crypto/sha256"
	"sync"
)

// macMemo remembers the MACs a sandbox computed last: the same token comes with each of a
// vendor's requests, and the same link is signed on each listing while the sandbox clock
// stands still. A MAC is a pure function of the sandbox key and the message, so a
// remembered one is the one computing it again would give; verification still compares it
// with what the request carries.
type macMemo struct {
	mu   sync.RWMutex
	sums map[string]*[sha256.Size]byte
}

// macMemoSize bounds the memo: past it, it starts again empty.
const macMemoSize = 512

// get is the MAC remembered for the purpose-and-message key k, or nil.
func (m *macMemo) get(k []byte) *[sha256.Size]byte {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.sums[string(k)]
}

func (m *macMemo) put(k string, sum *[sha256.Size]byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sums == nil || len(m.sums) >= macMemoSize {
		m.sums = make(map[string]*[sha256.Size]byte, 64)
	}
	m.sums[k] = sum
}

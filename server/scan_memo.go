package server

import "sync"

// scanMemo remembers the scans of the URLs vendor requests came with under one state of a
// sandbox: a scan depends on the URL, on the state's Secret Keys and on the sandbox key, which
// never changes, so a state's memo is right for as long as the state is current. A vendor
// fetching a report link again, or listing with a URL it used before, is not scanned again.
// A scan's names are shared by the journal entries that carry them, which only read them.
type scanMemo struct {
	mu    sync.RWMutex
	scans map[string]urlScan
}

// scanMemoSize bounds a memo: past it, new scans are not remembered.
const scanMemoSize = 256

// get is the scan remembered for key k (the link signature, the path and the raw query).
func (m *scanMemo) get(k []byte) (urlScan, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	scan, ok := m.scans[string(k)]
	return scan, ok
}

func (m *scanMemo) put(k string, scan urlScan) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.scans == nil {
		m.scans = make(map[string]urlScan, 16)
	}
	if len(m.scans) < scanMemoSize {
		m.scans[k] = scan
	}
}

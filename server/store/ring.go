package store

import "sync"

// ring is a bounded journal in memory, grown as it fills: overflow drops the oldest entry.
type ring struct {
	mu       sync.Mutex
	capacity int
	// chunks hold the entries, ringChunk to a chunk, allocated as the ring fills so that
	// growing never copies what is kept.
	chunks [][]JournalEntry
	start  int // index of the oldest entry
	n      int
	next   int // the next sequence number; sequences start at 1
}

// ringChunk is the number of entries in one chunk of a ring.
const ringChunk = 256

func (j *ring) at(i int) *JournalEntry { return &j.chunks[i/ringChunk][i%ringChunk] }

// add appends e, numbering it, and returns its sequence number.
func (j *ring) add(e JournalEntry) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	e.Seq = j.next
	j.next++
	if j.n < j.capacity {
		if j.n%ringChunk == 0 {
			j.chunks = append(j.chunks, make([]JournalEntry, min(ringChunk, j.capacity-j.n)))
		}
		*j.at(j.n) = e // start stays 0 until the ring is full
		j.n++
		return e.Seq
	}
	*j.at(j.start) = e
	j.start = (j.start + 1) % j.capacity
	return e.Seq
}

// since returns up to limit entries with a sequence number above after. The ring's entries
// are numbered without gaps, so the first one wanted is found by arithmetic, not a scan.
func (j *ring) since(after, limit int) JournalPage {
	j.mu.Lock()
	defer j.mu.Unlock()
	oldest := j.next - j.n // the sequence number at start
	from := max(after+1, oldest)
	var out []JournalEntry
	if n := min(j.next-from, limit); n > 0 {
		out = make([]JournalEntry, n)
		for i := range out {
			out[i] = *j.at((j.start + from - oldest + i) % j.capacity)
		}
	}
	return page(after, j.next, j.n, out)
}

package server

import (
	"sync"
	"time"
)

// JournalEntry is one vendor request as the journal keeps it. It never holds a secret key
// or a token: only the User Name and what the server made of the credential.
type JournalEntry struct {
	Seq    int       `json:"seq"`
	At     time.Time `json:"at"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Route  string    `json:"route"`
	LEA    string    `json:"lea,omitempty"`
	// School is set when the request used a school's own pair; Pair says which pair it was,
	// "district" (the LEA's) or "school", once the server knows.
	School     string `json:"school,omitempty"`
	Pair       string `json:"pair,omitempty"`
	Username   string `json:"username,omitempty"`
	Credential string `json:"credential,omitempty"`
	TokenState string `json:"tokenState,omitempty"`
	SSID       string `json:"ssid,omitempty"`
	Status     int    `json:"status"`
	Code       string `json:"code,omitempty"`
	RetryAfter int    `json:"retryAfter,omitempty"`
	FaultID    string `json:"faultId,omitempty"`
	// Delay is how long a fault held the answer back, in seconds; Code is "client_gone"
	// when the client gave up first.
	Delay float64 `json:"delay,omitempty"`
	// StudentLEA is the LEA the student is enrolled in, set on a 404 student_not_found
	// listing of a student who exists (so that a lookup with another LEA's pair shows).
	StudentLEA string `json:"studentLea,omitempty"`
	// QueryParams names the query parameters the request carried (names only, never values),
	// sorted; a name that held credential material, or that is not a short plain name, is
	// "{redacted}".
	QueryParams []string `json:"queryParams,omitempty"`
	// SecretInURL is set when the URL (path, query names or values) carried credential
	// material of the sandbox: an LEA's current Secret Key, an access token the sandbox
	// signed, or a report link's signature outside its sig parameter. See redact.go.
	SecretInURL bool `json:"secretInUrl,omitempty"`
	// Client is what the request's X-SSRMock-Client header said, so that a test harness can
	// tell its own requests (following a link, say) from the integration's.
	Client string `json:"client,omitempty"`
	// RealAt is the real time of the request. Sandbox time stands still between clock moves,
	// so RealAt is what tells an immediate retry from one that backed off.
	RealAt time.Time `json:"realAt"`
}

// journal is a bounded ring of entries, grown as it fills. Overflow drops the oldest and is
// counted.
type journal struct {
	mu       sync.Mutex
	capacity int
	// chunks hold the entries, journalChunk to a chunk, allocated as the journal fills so that
	// growing never copies what is kept; a ring buffer once full.
	chunks  [][]JournalEntry
	start   int // index of the oldest entry
	n       int
	next    int // the next sequence number; sequences start at 1
	dropped int
	// observe, when set, sees each entry once numbered, under mu, in sequence order.
	observe func(JournalEntry)
}

// journalChunk is the number of entries in one chunk of a journal.
const journalChunk = 256

// at returns the entry at index i of the ring.
func (j *journal) at(i int) *JournalEntry { return &j.chunks[i/journalChunk][i%journalChunk] }

func newJournal(capacity int) *journal {
	return &journal{capacity: capacity, next: 1}
}

// add appends e, numbering it.
func (j *journal) add(e JournalEntry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	e.Seq = j.next
	j.next++
	if j.observe != nil {
		j.observe(e)
	}
	if j.n < j.capacity {
		if j.n%journalChunk == 0 {
			j.chunks = append(j.chunks, make([]JournalEntry, min(journalChunk, j.capacity-j.n)))
		}
		*j.at(j.n) = e // start stays 0 until the ring is full
		j.n++
		return
	}
	*j.at(j.start) = e
	j.start = (j.start + 1) % j.capacity
	j.dropped++
}

// journalPage is a page of the journal.
type journalPage struct {
	Entries []JournalEntry `json:"entries"`
	// Next is the sequence number to ask for with after= to continue.
	Next int `json:"next"`
	// Dropped counts entries lost to overflow since the sandbox was made.
	Dropped int `json:"dropped"`
	// Missed counts entries after the asked-for sequence number that were lost to overflow
	// before this read: a reader that sees it non-zero has missed requests.
	Missed int `json:"missed"`
}

// since returns up to limit entries with a sequence number above after.
func (j *journal) since(after, limit int) journalPage {
	j.mu.Lock()
	defer j.mu.Unlock()
	p := journalPage{Entries: []JournalEntry{}, Dropped: j.dropped, Next: after}
	oldest := j.next - j.n // the sequence number of the oldest kept entry
	if after+1 < oldest {
		p.Missed = oldest - after - 1
	}
	for i := 0; i < j.n && len(p.Entries) < limit; i++ {
		e := *j.at((j.start + i) % j.capacity)
		if e.Seq > after {
			p.Entries = append(p.Entries, e)
			p.Next = e.Seq
		}
	}
	if len(p.Entries) == 0 && p.Missed > 0 {
		p.Next = j.next - 1
	}
	return p
}

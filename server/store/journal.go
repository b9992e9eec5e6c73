package store

import "time"

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

// JournalPage is a page of a journal.
type JournalPage struct {
	Entries []JournalEntry `json:"entries"`
	// Next is the sequence number to ask for with after= to continue.
	Next int `json:"next"`
	// Dropped counts entries lost to overflow since the sandbox was made.
	Dropped int `json:"dropped"`
	// Missed counts entries after the asked-for sequence number that were lost to overflow
	// before this read: a reader that sees it non-zero has missed requests.
	Missed int `json:"missed"`
}

// page builds a journal page from the entries kept after after, given the next sequence
// number to be issued and the number of entries kept.
func page(after, next, kept int, entries []JournalEntry) JournalPage {
	p := JournalPage{Entries: entries, Next: after, Dropped: next - 1 - kept}
	if p.Entries == nil {
		p.Entries = []JournalEntry{}
	}
	if oldest := next - kept; after+1 < oldest {
		p.Missed = oldest - after - 1
	}
	if n := len(p.Entries); n > 0 {
		p.Next = p.Entries[n-1].Seq
	} else if p.Missed > 0 {
		p.Next = next - 1
	}
	return p
}

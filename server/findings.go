package server

import (
	"context"
	"time"

	"github.com/ssrmock/ssrmock/findings"
)

// catchUpLocked feeds findings the journal's entries it has not seen, in order: after a
// restart, or when other servers sharing the store journal too. sb.judgeMu is held.
func (sb *Sandbox) catchUpLocked(ctx context.Context) error {
	for {
		page, err := sb.store.Journal(ctx, sb.ID, sb.judged, 1000)
		if err != nil {
			return storeError(err)
		}
		for i := range page.Entries {
			sb.judge(&page.Entries[i])
		}
		if page.Next <= sb.judged || len(page.Entries) == 0 {
			sb.judged = max(sb.judged, page.Next)
			sb.early.dropThrough(sb.judged) // read from the journal meanwhile
			return nil
		}
		sb.judged = page.Next
	}
}

// judge feeds one numbered journal entry to the sandbox's findings.
func (sb *Sandbox) judge(e *JournalEntry) {
	sb.judged = e.Seq
	sb.findings.Add(findings.Entry{Seq: int64(e.Seq), At: e.At, RealAt: e.RealAt, Method: e.Method, Path: e.Path,
		Route: e.Route, LEA: e.LEA, Username: e.Username, Credential: e.Credential, TokenState: e.TokenState,
		SSID: e.SSID, Status: e.Status, Code: e.Code, RetryAfter: time.Duration(e.RetryAfter) * time.Second,
		Delay: time.Duration(e.Delay * float64(time.Second)), StudentLEA: e.StudentLEA,
		SecretInURL: e.SecretInURL, Client: e.Client})
}

// findingsPage is a page of the sandbox's findings; with findings off, an empty one.
func (sb *Sandbox) findingsPage(ctx context.Context, cursor, limit int) (findings.Page, error) {
	if sb.findings == nil {
		return findings.Page{Findings: []findings.Finding{}}, nil
	}
	sb.judgeMu.Lock()
	err := sb.catchUpLocked(ctx)
	sb.judgeMu.Unlock()
	if err != nil {
		return findings.Page{}, err
	}
	return sb.findings.List(cursor, limit), nil
}

package server

import (
	"context"

	"github.com/ssrmock/ssrmock/server/store"
)

// JournalEntry is one vendor request as the journal keeps it (see store.JournalEntry).
type JournalEntry = store.JournalEntry

// record journals a finished vendor request. A listing answered student_not_found for a
// student who exists notes the student's LEA, so that the findings can tell a lookup with
// another LEA's pair.
//
// The journal is written even when the client is gone: the request happened. An entry the
// store could not take is an error: the request must not be answered as if journaled.
func (s *Server) record(ctx context.Context, sb *Sandbox, e *JournalEntry) error {
	if e.Route == routeReports && e.Code == CodeStudentNotFound && e.SSID != "" && e.SSID != "(invalid)" {
		if v, ok := sb.student(e.SSID); ok {
			e.StudentLEA = v.LEA
		}
	}
	ctx = context.WithoutCancel(ctx)
	shared := sb.store.Shared()
	if sb.findings != nil && !shared {
		// In one process, findings see each entry as it is numbered.
		sb.judgeMu.Lock()
		defer sb.judgeMu.Unlock()
	}
	seq, err := sb.store.Append(ctx, sb.ID, *e)
	if err != nil {
		return storeError(err)
	}
	e.Seq = seq
	if sb.findings == nil || shared {
		return nil
	}
	if seq == sb.judged+1 {
		sb.judge(*e)
		return nil
	}
	if err := sb.catchUpLocked(ctx); err != nil {
		s.log.Error("findings: read the journal", "sandbox", sb.ID, "err", err)
	}
	return nil
}

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
//
// Concurrent requests journal side by side, so that the store can commit their entries
// together; findings then take the entries in the order of their numbers (see intake).
func (s *Server) record(ctx context.Context, sb *Sandbox, e *JournalEntry) error {
	if e.Route == routeReports && e.Code == CodeStudentNotFound && e.SSID != "" && e.SSID != "(invalid)" {
		if v, ok := sb.student(e.SSID); ok {
			e.StudentLEA = v.LEA
		}
	}
	ctx = context.WithoutCancel(ctx)
	// With other servers on the store, findings read the journal instead (findingsPage).
	judged := sb.findings != nil && !sb.store.Shared()
	if judged {
		sb.journaling.Add(1)
	}
	seq, err := sb.store.Append(ctx, sb.ID, *e)
	if err != nil {
		if judged {
			sb.journaling.Add(-1)
		}
		return storeError(err)
	}
	e.Seq = seq
	if judged {
		if err := sb.intake(ctx, e); err != nil {
			s.log.Error("findings: read the journal", "sandbox", sb.ID, "err", err)
		}
	}
	return nil
}

// maxEarly bounds the entries findings hold back waiting for an earlier number; past it, they
// read the journal instead.
const maxEarly = 256

// intake gives findings a numbered entry in the order of the journal. An entry whose
// predecessors other requests of this server are still journaling waits in sb.early for
// them; one with a gap no request here will fill (entries journaled before a restart) has
// findings read the journal; one findings already read there is skipped.
func (sb *Sandbox) intake(ctx context.Context, e *JournalEntry) error {
	sb.judgeMu.Lock()
	defer sb.judgeMu.Unlock()
	others := sb.journaling.Add(-1) // requests still between Append and intake
	switch {
	case e.Seq <= sb.judged:
		return nil
	case e.Seq > sb.judged+1:
		sb.early.hold(e)
		if others > 0 && len(sb.early) <= maxEarly {
			return nil
		}
		return sb.catchUpLocked(ctx)
	}
	sb.judge(e)
	for {
		next, ok := sb.early.take(sb.judged + 1)
		if !ok {
			return nil
		}
		sb.judge(&next)
	}
}

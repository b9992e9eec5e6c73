package server

import (
	"context"
	"time"
)

// The server's bounds on what its clients may make it hold, so that a CI farm sharing one
// mock, or a runaway test, cannot grow it without end. The defaults are our choice: far
// above what a vendor's suite run needs (one sandbox per spec, a few faults each), far below
// what exhausts a laptop.
const (
	// DefaultMaxSandboxes bounds the sandboxes a server holds, the default one included.
	DefaultMaxSandboxes = 100
	// DefaultMaxFaults bounds the faults one sandbox holds, spent ones included.
	DefaultMaxFaults = 1000
	// DefaultSandboxIdle is how long a sandbox other than the default one may go unused (no
	// request names it) before the server may reclaim it.
	DefaultSandboxIdle = 24 * time.Hour
)

// reclaimIdle deletes every sandbox but the default one that has gone unused for longer
// than the server's idle limit, and returns how many it deleted.
func (s *Server) reclaimIdle(ctx context.Context) int {
	if s.cfg.SandboxIdle < 0 {
		return 0
	}
	recs, err := s.store.Sandboxes(ctx)
	if err != nil {
		s.log.Error("list sandboxes to reclaim", "err", err)
		return 0
	}
	cutoff := s.real.Now().Add(-s.cfg.SandboxIdle)
	n := 0
	for _, rec := range recs {
		used := rec.LastUsed
		if sb, ok := s.sandboxes.Load(rec.ID); ok && sb.idleSince().After(used) {
			used = sb.idleSince()
		}
		if rec.ID != DefaultSandbox && used.Before(cutoff) && s.deleteSandbox(ctx, rec.ID) == nil {
			n++
		}
	}
	if n > 0 {
		s.log.Info("reclaimed idle sandboxes", "count", n, "idleLimit", s.cfg.SandboxIdle.String())
	}
	return n
}

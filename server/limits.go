package server

import (
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

// touch notes that a request used the sandbox now (real time).
func (sb *Sandbox) touch() { sb.lastUsed.Store(sb.real.Now().UnixNano()) }

// idleSince is the real instant of the sandbox's last use.
func (sb *Sandbox) idleSince() time.Time { return time.Unix(0, sb.lastUsed.Load()) }

// reclaimIdleLocked deletes every sandbox but the default one that has gone unused for
// longer than the server's idle limit, and returns how many it deleted. s.mu is held.
func (s *Server) reclaimIdleLocked() int {
	if s.cfg.SandboxIdle < 0 {
		return 0
	}
	cutoff := s.real.Now().Add(-s.cfg.SandboxIdle)
	n := 0
	for id, sb := range s.sandboxes {
		if id != DefaultSandbox && sb.idleSince().Before(cutoff) {
			s.removeLocked(id)
			n++
		}
	}
	if n > 0 && s.log != nil {
		s.log.Info("reclaimed idle sandboxes", "count", n, "idleLimit", s.cfg.SandboxIdle.String())
	}
	return n
}

// roomForSandboxLocked answers limit_reached when the server holds as many sandboxes as it
// may, after reclaiming the idle ones. s.mu is held.
func (s *Server) roomForSandboxLocked() error {
	if len(s.sandboxes) < s.cfg.MaxSandboxes {
		return nil
	}
	if s.reclaimIdleLocked() > 0 && len(s.sandboxes) < s.cfg.MaxSandboxes {
		return nil
	}
	return Errorf(CodeLimitReached, "the server holds %d sandboxes, its limit (serve --max-sandboxes): delete one you no longer need, then try again", s.cfg.MaxSandboxes)
}

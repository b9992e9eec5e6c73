package server

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ssrmock/ssrmock/findings"
	"github.com/ssrmock/ssrmock/fixtures"
	"github.com/ssrmock/ssrmock/server/simclock"
	"github.com/ssrmock/ssrmock/server/store"
	"golang.org/x/sys/cpu"
)

// Sandbox is one isolated world: a seed and scenario, a simulated clock, the LEAs'
// credentials, manual changes (transfers, amended reports), scheduled faults and a bounded
// journal of vendor requests. Sandboxes share nothing mutable. What changes lives in the
// server's store (see sandbox_state.go); a Sandbox holds what is rebuilt from it.
type Sandbox struct {
	ID       string
	world    *fixtures.World
	scenario *fixtures.Scenario
	// real is the reference clock of journal entries' RealAt and of the clock's following.
	real simclock.Clock
	// key signs this sandbox's tokens and report links.
	key []byte
	// macs holds HMAC states keyed with key, for reuse; macMemo, the MACs computed last (the
	// same token comes with each of a vendor's requests, the same link is signed on each
	// listing while the clock stands still), keyed by purpose and message.
	macs    sync.Pool
	macMemo memo[*[sha256.Size]byte]
	// students is the server's cache of rebuilt students, shared by all sandboxes.
	students *studentCache

	store store.Store
	// cur is the newest state this server has seen, never changed in place.
	cur atomic.Pointer[snapshot]
	// lastUsed is the real instant, in Unix nanoseconds, of the last request that named the
	// sandbox, and stored when the store last heard of it: idle sandboxes are reclaimed
	// (limits.go).
	lastUsed, stored atomic.Int64
	// seen holds the SSIDs this server has told the store the sandbox was asked about.
	seenMu sync.Mutex
	seen   map[string]struct{}

	// judgeMu orders the findings' intake: judged is the sequence number of the last entry
	// findings has seen, and early holds entries numbered after one still being journaled;
	// journaling counts the requests between their Append and their intake. Every request
	// writes them, so they have cache lines of their own: writing them on one core does not
	// take the fields every request reads from the others.
	_          cpu.CacheLinePad
	judgeMu    sync.Mutex
	judged     int
	early      heldEntries
	journaling atomic.Int64
	_          cpu.CacheLinePad
	// findings judges the journal's entries; nil when findings are off.
	findings *findings.Evaluator
}

// sandboxSpec is what a sandbox is made from.
type sandboxSpec struct {
	Seed       int64     `json:"seed"`
	Scenario   string    `json:"scenario"`
	Scale      string    `json:"scale"`
	ClockStart time.Time `json:"clockStart"`
	// LEAs, when given, replace the generated LEAs (scale must then be empty).
	LEAs []declaredLEA `json:"leas"`
}

// declaredLEA is an LEA a sandbox declares at creation.
type declaredLEA struct {
	CDS      string `json:"cds"`
	Name     string `json:"name"`
	Students int    `json:"students"`
}

// createSandbox makes and registers a sandbox; an empty id draws a fresh one.
func (s *Server) createSandbox(ctx context.Context, id string, spec sandboxSpec) (*Sandbox, error) {
	w, err := s.sandboxWorld(spec)
	if err != nil {
		return nil, err
	}
	if spec.ClockStart.IsZero() {
		spec.ClockStart = w.Scenario().Start
	}
	if err := checkClock("clockStart", spec.ClockStart); err != nil {
		return nil, err
	}
	key := make([]byte, 32)
	if _, err := io.ReadFull(s.random, key); err != nil {
		return nil, err
	}
	if id == "" {
		id, err = s.newID("sbx-", 10)
		if err != nil {
			return nil, err
		}
	}
	specJSON, err := json.Marshal(spec)
	if err != nil {
		return nil, err
	}
	now := s.real.Now()
	rec := store.Sandbox{ID: id, Spec: specJSON, Key: key, CreatedAt: now, LastUsed: now}
	first := store.State{Clock: store.Clock{Now: spec.ClockStart}}
	err = s.store.Create(ctx, rec, first, s.cfg.MaxSandboxes)
	if errors.Is(err, store.ErrLimit) && s.reclaimIdle(ctx) > 0 {
		err = s.store.Create(ctx, rec, first, s.cfg.MaxSandboxes)
	}
	switch {
	case errors.Is(err, store.ErrExists):
		return nil, Errorf(CodeConflict, "sandbox %q exists", id)
	case errors.Is(err, store.ErrLimit):
		return nil, Errorf(CodeLimitReached, "the server holds %d sandboxes, its limit (serve --max-sandboxes): delete one you no longer need, then try again", s.cfg.MaxSandboxes)
	case err != nil:
		return nil, storeError(err)
	}
	return s.open(ctx, rec, w)
}

// open makes the Sandbox of a stored record, with its world, and caches it.
func (s *Server) open(ctx context.Context, rec store.Sandbox, w *fixtures.World) (*Sandbox, error) {
	st, version, err := s.store.Load(ctx, rec.ID)
	if err != nil {
		return nil, storeError(err)
	}
	sb := &Sandbox{
		ID:       rec.ID,
		world:    w,
		scenario: w.Scenario(),
		real:     s.real,
		key:      rec.Key,
		students: s.students,
		store:    s.store,
		seen:     make(map[string]struct{}),
	}
	sb.cur.Store(&snapshot{st: st, version: version})
	sb.lastUsed.Store(rec.LastUsed.UnixNano())
	sb.stored.Store(rec.LastUsed.UnixNano())
	if !s.cfg.NoFindings {
		sb.findings = findings.New()
	}
	sb, _ = s.sandboxes.LoadOrStore(rec.ID, sb) // another request may have opened it first
	return sb, nil
}

// load rebuilds a stored sandbox this server has not opened yet: one made before a restart,
// or by another server sharing the store.
func (s *Server) load(ctx context.Context, id string) (*Sandbox, error) {
	rec, err := s.store.Sandbox(ctx, id)
	if err != nil {
		return nil, storeError(err)
	}
	var spec sandboxSpec
	if err := json.Unmarshal(rec.Spec, &spec); err != nil {
		return nil, fmt.Errorf("sandbox %s: stored spec: %w", id, err)
	}
	w, err := s.sandboxWorld(spec)
	if err != nil {
		return nil, fmt.Errorf("sandbox %s: %w", id, err)
	}
	return s.open(ctx, rec, w)
}

// sandboxWorld returns the world a spec asks for: generated at its scale, or of its declared
// LEAs.
func (s *Server) sandboxWorld(spec sandboxSpec) (*fixtures.World, error) {
	if spec.LEAs == nil {
		return s.world(spec.Seed, spec.Scenario, spec.Scale)
	}
	if spec.Scale != "" {
		return nil, Errorf(CodeBadRequest, "give either scale or leas, not both")
	}
	leas := make([]fixtures.LEASpec, len(spec.LEAs))
	var key strings.Builder
	for i, l := range spec.LEAs {
		leas[i] = fixtures.LEASpec{CDS: l.CDS, Name: l.Name, Students: l.Students}
		fmt.Fprintf(&key, "%q %q %d\n", l.CDS, l.Name, l.Students)
	}
	if err := fixtures.ValidateLEAs(leas); err != nil {
		return nil, Errorf(CodeBadRequest, "%v", err)
	}
	return s.worldOf(worldKey{seed: spec.Seed, scenario: spec.Scenario, scale: string(fixtures.Declared), leas: key.String()},
		func() (*fixtures.World, error) { return fixtures.NewDeclared(spec.Seed, spec.Scenario, leas) })
}

// deleteSandbox removes a sandbox with everything it holds.
func (s *Server) deleteSandbox(ctx context.Context, id string) error {
	err := s.store.Delete(ctx, id)
	s.forget(id)
	if errors.Is(err, store.ErrNotFound) {
		return Errorf(CodeNotFound, "no sandbox %q", id)
	}
	return storeError(err)
}

// forget drops a sandbox from this server's cache.
func (s *Server) forget(id string) {
	s.sandboxes.Delete(id)
}

// validSandboxID reports whether id could name a sandbox, so that a request naming
// anything else is answered without asking the store.
func validSandboxID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

var idEncoding = base32.NewEncoding("abcdefghijkmnpqrstuvwxyz23456789").WithPadding(base32.NoPadding)

// newID returns prefix followed by n random characters from an unambiguous alphabet.
func (s *Server) newID(prefix string, n int) (string, error) {
	b := make([]byte, (n*5+7)/8)
	if _, err := io.ReadFull(s.random, b); err != nil {
		return "", err
	}
	return prefix + strings.ToLower(idEncoding.EncodeToString(b))[:n], nil
}

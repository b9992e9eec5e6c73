package server

import (
	"encoding/base32"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ssrmock/ssrmock/findings"
	"github.com/ssrmock/ssrmock/fixtures"
	"github.com/ssrmock/ssrmock/server/simclock"
)

// Sandbox is one isolated world: a seed and scenario, a simulated clock, the LEAs'
// credentials, manual changes (transfers, amended reports), scheduled faults and a bounded
// journal of vendor requests. Sandboxes share nothing mutable.
type Sandbox struct {
	ID       string
	world    *fixtures.World
	scenario *fixtures.Scenario
	clock    *simclock.Sim
	// real is the reference clock of journal entries' RealAt.
	real simclock.Clock
	// key signs this sandbox's tokens and report links.
	key []byte
	// macs holds HMAC states keyed with key, for reuse.
	macs sync.Pool
	// lastUsed is the real instant, in Unix nanoseconds, of the last request that named the
	// sandbox: idle sandboxes are reclaimed (limits.go).
	lastUsed atomic.Int64
	// students is the server's cache of rebuilt students, shared by all sandboxes.
	students *studentCache

	// credMu guards credentials. A credential check holds it for reading and regeneration for
	// writing, so regeneration is linearizable: once it returns, every later check sees the
	// new pair.
	credMu      sync.RWMutex
	credentials map[string]*credential // by holder: LEA CDS code, or a school's for its own pair

	// mu guards the manual changes below.
	mu         sync.RWMutex
	transfers  map[string]transfer // by SSID
	transferIn map[string][]string // LEA → SSIDs transferred in, in order
	amendments map[string]int      // report ID → latest version
	// seen holds the SSIDs the sandbox has been asked about, so that a clock move can say
	// which of their reports it released without walking a statewide roster.
	seen map[string]struct{}

	faults  faultSet
	journal *journal
	// findings judges the journal's entries as they come; nil when findings are off.
	findings *findings.Evaluator
}

// transfer is a manual enrollment change.
type transfer struct {
	from, to string // LEA CDS codes
	school   string // the new school's CDS code
	at       time.Time
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
func (s *Server) createSandbox(id string, spec sandboxSpec) (*Sandbox, error) {
	w, err := s.sandboxWorld(spec)
	if err != nil {
		return nil, err
	}
	start := spec.ClockStart
	if start.IsZero() {
		start = w.Scenario().Start
	}
	if err := checkClock("clockStart", start); err != nil {
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
	sb := &Sandbox{
		ID:          id,
		world:       w,
		scenario:    w.Scenario(),
		clock:       simclock.New(start, s.real),
		real:        s.real,
		key:         key,
		students:    s.students,
		credentials: make(map[string]*credential),
		transfers:   make(map[string]transfer),
		transferIn:  make(map[string][]string),
		amendments:  make(map[string]int),
		seen:        make(map[string]struct{}),
		journal:     newJournal(s.cfg.JournalSize),
	}
	if !s.cfg.NoFindings {
		sb.findings = findings.New()
		sb.journal.observe = sb.judge
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.sandboxes[id]; taken {
		return nil, Errorf(CodeConflict, "sandbox %q exists", id)
	}
	if err := s.roomForSandboxLocked(); err != nil {
		return nil, err
	}
	sb.touch()
	s.sandboxes[id] = sb
	return sb, nil
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

// deleteSandbox removes a sandbox and forgets its User Names.
func (s *Server) deleteSandbox(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sandboxes[id]; !ok {
		return Errorf(CodeNotFound, "no sandbox %q", id)
	}
	s.removeLocked(id)
	return nil
}

// removeLocked forgets a sandbox and the User Names that pointed into it. s.mu is held.
func (s *Server) removeLocked(id string) {
	delete(s.sandboxes, id)
	for name, ref := range s.usernames {
		if ref.sandbox == id {
			delete(s.usernames, name)
		}
	}
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

// now is the sandbox's time; a clock following real time stops before latestClock.
func (sb *Sandbox) now() time.Time { return clampClock(sb.clock.Now()) }

// markSeen records that the sandbox was asked about ssid.
func (sb *Sandbox) markSeen(ssid string) {
	sb.mu.RLock()
	_, ok := sb.seen[ssid]
	sb.mu.RUnlock()
	if ok {
		return
	}
	sb.mu.Lock()
	if len(sb.seen) < 100_000 {
		sb.seen[ssid] = struct{}{}
	}
	sb.mu.Unlock()
}

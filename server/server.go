// Package server is ssrmock's HTTP server: the vendor API a vendor's integration calls instead
// of the state's service, the fake TOMS credential API, the control API that tests and demos
// use to steer sandboxes, and the web UI.
package server

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/mux"

	"github.com/ssrmock/ssrmock/fixtures"
	"github.com/ssrmock/ssrmock/internal/cow"
	"github.com/ssrmock/ssrmock/server/simclock"
	"github.com/ssrmock/ssrmock/server/ssrpdf"
	"github.com/ssrmock/ssrmock/server/store"
)

// DefaultSandbox is the ID of the sandbox that exists from the start, for demos.
const DefaultSandbox = "default"

// Config configures a Server. The zero value serves a county-scale 2018-19 world with seed 0.
type Config struct {
	// Seed, Scenario and Scale describe the default sandbox's world. "" means "2018-19" and
	// "county".
	Seed     int64
	Scenario string
	Scale    string
	// ControlToken, when set, is the bearer token the control API requires. Empty means the
	// control API is open, which only a loopback listener should allow.
	ControlToken string
	// PublicURL, when set, is the server's public root, e.g. "https://ssr.example.org", that
	// every link and API base is built from, for a server behind a TLS-terminating proxy.
	// Empty means the root the request came to (see TrustedProxies).
	PublicURL string
	// TrustedProxies are the peers whose Forwarded or X-Forwarded-Proto/-Host headers say
	// the public scheme and host when PublicURL is empty; nil trusts none, and the headers of
	// every other peer are ignored.
	TrustedProxies []netip.Prefix
	// Hosts are the host names (or addresses) besides loopback ones that requests may name in
	// their Host header: the names a listener beyond loopback is reached by. Empty means
	// localhost and loopback addresses only. See guard.go.
	Hosts []string
	// Logger receives the server's logs; nil means none. Logs never contain a secret.
	Logger *slog.Logger
	// Random is the source of secrets, tokens and link keys; nil means crypto/rand.
	Random io.Reader
	// RealClock is the clock a sandbox follows in follow-real-time mode and the one journal
	// entries' realAt reads; nil means the wall clock. Fault delays are always real time.
	RealClock simclock.Clock
	// JournalSize bounds each sandbox's journal; 0 means 10,000 entries.
	JournalSize int
	// NoFindings turns the live findings off: journaled requests are not judged, and the
	// findings route lists none. False means findings on.
	NoFindings bool
	// PDFCacheBytes bounds the cache of rendered PDFs, in bytes; 0 means DefaultPDFCacheBytes.
	PDFCacheBytes int
	// MaxSandboxes bounds the sandboxes the server holds; 0 means DefaultMaxSandboxes.
	MaxSandboxes int
	// MaxFaults bounds the faults one sandbox holds; 0 means DefaultMaxFaults.
	MaxFaults int
	// Store is where sandboxes live; nil means a new memory store. See package store. The
	// server closes it in Close.
	Store store.Store
	// SandboxIdle is how long a sandbox other than the default one may go unused before it is
	// reclaimed (when a sandbox is created or listed); 0 means DefaultSandboxIdle, a negative
	// value never.
	SandboxIdle time.Duration
}

// DefaultPDFCacheBytes is the default bound of the cache of rendered PDFs: about 1,500
// English reports or 500 Chinese ones.
const DefaultPDFCacheBytes = 32 << 20

// Server is the mock SSR service. It is an http.Handler.
type Server struct {
	cfg     Config
	log     *slog.Logger
	random  io.Reader
	real    simclock.Clock
	handler http.Handler
	// publicURL is Config.PublicURL, checked, without a trailing slash.
	publicURL string
	router    *mux.Router
	renderer  *ssrpdf.Renderer
	pdfs      *pdfCache
	students  *studentCache
	// tokens remembers the bearer tokens that parsed, for parseTokenVia.
	tokens memo[parsedToken]

	// draining is set by Drain: /readyz answers 503.
	draining atomic.Bool
	// renders holds a token per render in progress, at most GOMAXPROCS: rendering is CPU
	// work, and more renders at once than cores only add memory.
	renders chan struct{}

	// store is where sandboxes live; sandboxes caches the ones this server has opened, read
	// by every request without a lock.
	store     store.Store
	sandboxes cow.Map[string, *Sandbox]
	mu        sync.RWMutex // guards worlds
	worlds    map[worldKey]*fixtures.World
}

type worldKey struct {
	seed     int64
	scenario string
	scale    string
	leas     string // the declared LEAs, canonically joined; "" for a generated world
}

// New returns a Server with its default sandbox.
func New(cfg Config) (*Server, error) {
	s := &Server{
		cfg:    cfg,
		log:    cfg.Logger,
		random: cfg.Random,
		real:   cfg.RealClock,
		store:  cfg.Store,
		worlds: make(map[worldKey]*fixtures.World),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.random == nil {
		s.random = rand.Reader
	}
	if s.real == nil {
		s.real = simclock.Real{}
	}
	if s.store == nil {
		s.store = store.NewMemory(store.Options{JournalSize: cfg.JournalSize})
	}
	if s.cfg.PDFCacheBytes <= 0 {
		s.cfg.PDFCacheBytes = DefaultPDFCacheBytes
	}
	if s.cfg.MaxSandboxes <= 0 {
		s.cfg.MaxSandboxes = DefaultMaxSandboxes
	}
	if s.cfg.MaxFaults <= 0 {
		s.cfg.MaxFaults = DefaultMaxFaults
	}
	if s.cfg.SandboxIdle == 0 {
		s.cfg.SandboxIdle = DefaultSandboxIdle
	}
	publicURL, err := parsePublicURL(cfg.PublicURL)
	if err != nil {
		return nil, err
	}
	s.publicURL = publicURL
	renderer, err := ssrpdf.NewRenderer()
	if err != nil {
		return nil, fmt.Errorf("load the report renderer: %w", err)
	}
	s.renderer = renderer
	s.pdfs = newPDFCache(s.cfg.PDFCacheBytes)
	s.renders = make(chan struct{}, runtime.GOMAXPROCS(0))
	s.students = newStudentCache(studentCacheSize)
	if err := s.openDefault(); err != nil {
		return nil, fmt.Errorf("default sandbox: %w", err)
	}
	r := mux.NewRouter()
	s.router = r
	s.routes(r)
	s.handler = s.guard(s.logRequests(s.vendorDispatch(r)))
	return s, nil
}

// ServeHTTP serves the vendor, TOMS and control APIs and the web UI.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Close releases the server's caches and its store.
func (s *Server) Close() error {
	s.sandboxes.Clear()
	s.pdfs.clear()
	return s.store.Close()
}

// openDefault opens the default sandbox as the store holds it, or makes it: a server
// restarted on a store it wrote resumes where it was.
func (s *Server) openDefault() error {
	ctx := context.Background()
	sb, err := s.load(ctx, DefaultSandbox)
	if err == nil {
		want, werr := s.world(s.cfg.Seed, s.cfg.Scenario, s.cfg.Scale)
		if werr == nil && (want.Seed() != sb.world.Seed() || want.Scenario().Name != sb.scenario.Name || want.Scale() != sb.world.Scale()) {
			s.log.Warn("the default sandbox resumes as the store holds it; seed, scenario and scale apply to a new store only",
				"seed", sb.world.Seed(), "scenario", sb.scenario.Name, "scale", string(sb.world.Scale()))
		}
		return nil
	}
	if apiError(err) == nil || apiError(err).Code != CodeNotFound {
		return err
	}
	_, err = s.createSandbox(ctx, DefaultSandbox, sandboxSpec{Seed: s.cfg.Seed, Scenario: s.cfg.Scenario, Scale: s.cfg.Scale})
	if apiError(err) != nil && apiError(err).Code == CodeConflict {
		_, err = s.load(ctx, DefaultSandbox) // another server sharing the store made it meanwhile
	}
	return err
}

// world returns the shared, immutable world for (seed, scenario, scale), building it once.
func (s *Server) world(seed int64, scenario, scale string) (*fixtures.World, error) {
	return s.worldOf(worldKey{seed: seed, scenario: scenario, scale: scale}, func() (*fixtures.World, error) {
		return fixtures.New(seed, scenario, scale)
	})
}

// worldOf returns the cached world of key, building it with build once.
func (s *Server) worldOf(key worldKey, build func() (*fixtures.World, error)) (*fixtures.World, error) {
	s.mu.RLock()
	w := s.worlds[key]
	s.mu.RUnlock()
	if w != nil {
		return w, nil
	}
	w, err := build()
	if err != nil {
		return nil, Errorf(CodeBadRequest, "%v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if prev := s.worlds[key]; prev != nil {
		return prev, nil
	}
	if len(s.worlds) >= 64 {
		clear(s.worlds) // worlds are cheap to rebuild; this only bounds the cache
	}
	s.worlds[key] = w
	return w, nil
}

// sandbox returns the sandbox with the given ID, with its newest state, and notes the use.
func (s *Server) sandbox(ctx context.Context, id string) (*Sandbox, error) {
	return s.sandboxAt(ctx, id, s.real.Now())
}

// sandboxAt is sandbox for a request made at the real instant real: a vendor request reads
// the clock once, for the use noted here and for its journal entry.
func (s *Server) sandboxAt(ctx context.Context, id string, real time.Time) (*Sandbox, error) {
	sb, err := s.lookup(ctx, id)
	if err != nil {
		return nil, err
	}
	sb.touch(ctx, real)
	return sb, nil
}

// lookup is sandbox without noting a use: listing the sandboxes does not keep them alive.
func (s *Server) lookup(ctx context.Context, id string) (*Sandbox, error) {
	sb, _ := s.sandboxes.Load(id)
	var err error
	if sb == nil {
		if !validSandboxID(id) {
			return nil, Errorf(CodeNotFound, "no sandbox %q", clipString(id, 40))
		}
		sb, err = s.load(ctx, id)
	} else if err = sb.refresh(ctx); errors.Is(err, errRemade) {
		s.forget(id)
		sb, err = s.load(ctx, id)
	}
	if err == nil {
		return sb, nil
	}
	if errors.Is(err, store.ErrNotFound) || (apiError(err) != nil && apiError(err).Code == CodeNotFound) {
		s.forget(id)
		return nil, Errorf(CodeNotFound, "no sandbox %q", id)
	}
	return nil, storeError(err)
}

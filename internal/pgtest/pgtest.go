// Package pgtest gives tests a real PostgreSQL server of their own.
//
// Start returns the DSN of a new, empty database on a server private to the test binary:
// a temporary cluster (initdb), listening on 127.0.0.1 only, on a free port, with its unix
// socket in its own directory, fsync on and synchronous_commit off (see launch). Every
// Start creates a fresh database (CREATE DATABASE), dropped when its test ends, so tests are isolated while the server's start-up
// (about a second) is paid once.
//
// When the server stops: a package whose TestMain calls Main keeps one server for the whole
// binary and stops it after the last test. Without Main the server stops when the last test
// using it ends (reference counting through tb.Cleanup): parallel tests share it, sequential
// ones each start their own. Either way nothing is left behind when a test fails, and if the
// binary itself dies (SIGKILL, the -timeout panic) the kernel tells the server to shut down:
// only its temporary directory may remain.
//
// The programs come from pg_config --bindir or /usr/lib/postgresql/*/bin (Debian's place, off
// the PATH). PostgreSQL refuses to run as root: under root the cluster belongs to, and the
// server runs as, the postgres user (Debian's postgresql package creates it) or, failing
// that, a system user ssrmock-pg created for it. Without PostgreSQL the test is skipped, or
// fails when SSRMOCK_REQUIRE_POSTGRES=1 (CI sets it, so that it never skips silently).
package pgtest

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
)

// RequireEnv is the environment variable that, set to 1, turns a missing PostgreSQL from a
// skipped test into a failed one.
const RequireEnv = "SSRMOCK_REQUIRE_POSTGRES"

// Start returns the DSN (a postgres:// URL) of a new database on this binary's PostgreSQL
// server, starting the server if none runs. The database is dropped when tb ends; connections
// still open then are ended. The DSN works with pgx.Connect, pgxpool.New and database/sql's
// "pgx" driver (github.com/jackc/pgx/v5/stdlib).
func Start(tb testing.TB) (dsn string) {
	tb.Helper()
	return shared.start(tb)
}

// Main runs the tests of a package, with one PostgreSQL server for all of them, and exits
// with their status. Call it from TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// The server starts at the first Start and stops after the last test.
func Main(m *testing.M) {
	shared.mu.Lock()
	shared.managed = true
	shared.mu.Unlock()
	code := m.Run()
	if err := shared.shutdown(); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// shared is the binary's server registry.
var shared registry

// registry holds the binary's server and decides when it stops.
type registry struct {
	mu      sync.Mutex
	srv     *server
	users   int   // Start calls whose test has not ended
	managed bool  // Main stops the server; else the last user's cleanup does
	failed  error // the server's failed start, reported to every later Start under Main
	nextDB  int
}

// start is Start on this registry.
func (r *registry) start(tb testing.TB) string {
	tb.Helper()
	srv, n, err := r.acquire(binDirOrSkip(tb))
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() {
		if err := r.release(); err != nil {
			tb.Errorf("pgtest: stopping the server: %v", err)
		}
	})
	db := databaseName(n, tb.Name())
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	if err := srv.admin(ctx, "CREATE DATABASE "+pgx.Identifier{db}.Sanitize()); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
		defer cancel()
		if err := srv.admin(ctx, "DROP DATABASE "+pgx.Identifier{db}.Sanitize()+" WITH (FORCE)"); err != nil {
			tb.Errorf("pgtest: %v", err)
		}
	})
	return srv.dsn(db)
}

// binDirOrSkip returns the directory of PostgreSQL's programs or, when they are absent,
// skips the test, or fails it under SSRMOCK_REQUIRE_POSTGRES=1.
func binDirOrSkip(tb testing.TB) string {
	tb.Helper()
	binDir, err := lookBinDir()
	if err != nil {
		if os.Getenv(RequireEnv) == "1" {
			tb.Fatalf("pgtest: %v; %s=1 requires a real PostgreSQL (Debian: apt-get install postgresql)", err, RequireEnv)
		}
		tb.Skipf("pgtest: %v; install PostgreSQL to run this test (Debian: apt-get install postgresql)", err)
	}
	return binDir
}

// acquire returns the running server, starting it if need be, counted as one more user,
// and the number of the database to create.
func (r *registry) acquire(binDir string) (*server, int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.srv == nil {
		if r.failed != nil {
			return nil, 0, fmt.Errorf("the server failed to start earlier: %w", r.failed)
		}
		srv, err := startServer(binDir)
		if err != nil {
			if r.managed {
				r.failed = err
			}
			return nil, 0, err
		}
		r.srv = srv
	}
	r.users++
	r.nextDB++
	return r.srv, r.nextDB, nil
}

// release counts one user less and, unless Main manages the server, stops it after the last.
func (r *registry) release() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.users--
	if r.users > 0 || r.managed || r.srv == nil {
		return nil
	}
	err := r.srv.stop()
	r.srv = nil
	return err
}

// shutdown stops the server, if one runs.
func (r *registry) shutdown() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.srv == nil {
		return nil
	}
	err := r.srv.stop()
	r.srv = nil
	return err
}

// notIdent matches what may not appear in an unquoted database name.
var notIdent = regexp.MustCompile(`[^a-z0-9_]+`)

// databaseName names the n-th database after its test, within PostgreSQL's 63 bytes.
func databaseName(n int, test string) string {
	name := fmt.Sprintf("t%d_%s", n, notIdent.ReplaceAllString(strings.ToLower(test), "_"))
	if len(name) > 63 {
		name = name[:63]
	}
	return name
}

package pgtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// superuser is the role initdb creates and every DSN logs in as.
const superuser = "pgtest"

// readyLine is what the server logs once it accepts connections (messages are in English:
// the server is started with lc_messages=C).
var readyLine = []byte("database system is ready to accept connections")

// Timeouts for the server's own steps; they bound a broken start or stop, and are never
// waited out by a working one.
const (
	startTimeout = 60 * time.Second
	stopTimeout  = 30 * time.Second
)

// server is one running PostgreSQL server, private to this process.
type server struct {
	base     string // temporary directory: data/ and the unix socket; removed by stop
	port     int
	password string
	cmd      *exec.Cmd
	log      *serverLog
	exited   chan struct{} // closed once the postmaster has exited and been reaped
	waitErr  error         // the postmaster's exit status; read after exited is closed
}

// startServer initialises a cluster in a new temporary directory and starts its server on
// a free loopback port.
func startServer(binDir string) (*server, error) {
	cred, err := serverCredential()
	if err != nil {
		return nil, err
	}
	base, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, err
	}
	s := &server{base: base, password: randomHex(16)}
	if err := s.initdb(binDir, cred); err != nil {
		os.RemoveAll(base)
		return nil, err
	}
	// The port is free when chosen but may be taken before the server binds it: try again
	// on another.
	for attempt := 0; ; attempt++ {
		if s.port, err = freePort(); err == nil {
			err = s.launch(binDir, cred)
		}
		if err == nil || !errors.Is(err, errPortTaken) || attempt == 4 {
			break
		}
	}
	if err != nil {
		os.RemoveAll(base)
		return nil, err
	}
	return s, nil
}

// initdb creates the cluster in base/data, owned by the server's user, with a random
// superuser password.
func (s *server) initdb(binDir string, cred *syscall.Credential) error {
	if cred != nil {
		if err := os.Chown(s.base, int(cred.Uid), int(cred.Gid)); err != nil {
			return err
		}
	}
	pwfile := filepath.Join(s.base, "pwfile")
	if err := os.WriteFile(pwfile, []byte(s.password+"\n"), 0o600); err != nil {
		return err
	}
	defer os.Remove(pwfile)
	if cred != nil {
		if err := os.Chown(pwfile, int(cred.Uid), int(cred.Gid)); err != nil {
			return err
		}
	}
	// --no-sync only skips flushing the freshly made cluster to disk once; the server itself
	// runs with fsync on.
	cmd := exec.Command(filepath.Join(binDir, "initdb"),
		"--pgdata", filepath.Join(s.base, "data"), "--username", superuser, "--pwfile", pwfile,
		"--auth", "scram-sha-256", "--encoding", "UTF8", "--locale", "C", "--no-sync", "--no-instructions")
	cmd.Dir = s.base
	cmd.Env = serverEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb in %s: %v\n%s", s.base, err, out)
	}
	return nil
}

// errPortTaken says the server could not bind its port.
var errPortTaken = errors.New("port taken")

// launch starts the postmaster and waits until it accepts connections.
//
// The postmaster is this process's child, started directly rather than through pg_ctl
// (which would detach it), with a parent-death signal: if the test binary dies without
// cleaning up (SIGKILL, a timeout's panic), the kernel sends the server SIGINT, a fast
// shutdown, and no server outlives the tests. Linux sends that signal when the thread that
// started the child ends, so the starting goroutine keeps its thread until the server exits.
func (s *server) launch(binDir string, cred *syscall.Credential) error {
	s.log = newServerLog()
	s.exited = make(chan struct{})
	s.cmd = exec.Command(filepath.Join(binDir, "postgres"),
		"-D", filepath.Join(s.base, "data"),
		"-p", strconv.Itoa(s.port),
		"-k", s.base, // unix socket in the private directory only
		"-c", "listen_addresses=127.0.0.1",
		"-c", "fsync=on",
		// A commit answers once its WAL is written, before it is flushed: only a crash of
		// the PostgreSQL server itself, which no test stages, could lose it. The tests'
		// crashes are the mock's, and flushing each commit would cost them tens of ms.
		"-c", "synchronous_commit=off",
		"-c", "full_page_writes=on",
		"-c", "max_connections=200",
		"-c", "lc_messages=C",
	)
	s.cmd.Dir = s.base
	s.cmd.Env = serverEnv()
	s.cmd.Stdout = s.log
	s.cmd.Stderr = s.log
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGINT}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with this goroutine
		if err := s.cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		s.waitErr = s.cmd.Wait()
		close(s.exited)
	}()
	if err := <-started; err != nil {
		return fmt.Errorf("starting postgres: %w", err)
	}
	select {
	case <-s.log.ready:
	case <-s.exited:
		if bytes.Contains(s.log.bytes(), []byte("could not bind")) || bytes.Contains(s.log.bytes(), []byte("already in use")) {
			return fmt.Errorf("%w: %d", errPortTaken, s.port)
		}
		return fmt.Errorf("postgres exited before accepting connections (%v):\n%s", s.waitErr, s.log.bytes())
	case <-time.After(startTimeout):
		s.kill()
		return fmt.Errorf("postgres did not accept connections within %v:\n%s", startTimeout, s.log.bytes())
	}
	return nil
}

// stop shuts the server down (a fast shutdown: open sessions are ended) and removes its
// directory.
func (s *server) stop() error {
	var err error
	if e := s.cmd.Process.Signal(syscall.SIGINT); e != nil && !errors.Is(e, os.ErrProcessDone) {
		err = e
	}
	select {
	case <-s.exited:
	case <-time.After(stopTimeout):
		s.kill()
		err = fmt.Errorf("postgres did not stop within %v; killed it", stopTimeout)
	}
	return errors.Join(err, os.RemoveAll(s.base))
}

// kill ends the postmaster at once and waits for it to be reaped; its backends notice
// their parent's death and exit.
func (s *server) kill() {
	s.cmd.Process.Kill()
	<-s.exited
}

// dsn is the URL of database db, usable by pgx, pgxpool and database/sql's "pgx" driver.
func (s *server) dsn(db string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(superuser, s.password),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)),
		Path:     "/" + db,
		RawQuery: "sslmode=disable&connect_timeout=10",
	}
	return u.String()
}

// admin runs statements on the maintenance database.
func (s *server) admin(ctx context.Context, sql ...string) error {
	conn, err := pgx.Connect(ctx, s.dsn("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	for _, q := range sql {
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// serverEnv is the environment of initdb and the server: no PG* variable of the caller's,
// and no locale that the machine may lack.
func serverEnv() []string {
	return []string{"PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", "LANG=C", "TZ=UTC"}
}

// freePort returns a loopback TCP port that is free now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// serverLog keeps the start of the server's output, for error messages, and signals once
// the server logs that it is ready.
type serverLog struct {
	mu     sync.Mutex
	buf    []byte
	line   []byte // the line being written, up to maxLine bytes
	ready  chan struct{}
	isOpen bool // ready not yet closed
}

// Bounds of what serverLog keeps.
const (
	maxLog  = 64 << 10
	maxLine = 4 << 10
)

func newServerLog() *serverLog {
	return &serverLog{ready: make(chan struct{}), isOpen: true}
}

// Write implements io.Writer.
func (l *serverLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if room := maxLog - len(l.buf); room > 0 {
		l.buf = append(l.buf, p[:min(room, len(p))]...)
	}
	for _, c := range p {
		if c != '\n' {
			if len(l.line) < maxLine {
				l.line = append(l.line, c)
			}
			continue
		}
		if l.isOpen && bytes.Contains(l.line, readyLine) {
			close(l.ready)
			l.isOpen = false
		}
		l.line = l.line[:0]
	}
	return len(p), nil
}

func (l *serverLog) bytes() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return bytes.Clone(l.buf)
}

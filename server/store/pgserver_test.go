package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// pgServer is a PostgreSQL server private to this test binary: a temporary cluster on a
// loopback port, run as the postgres user when the tests run as root.
var pgServer struct {
	once sync.Once
	err  error
	dir  string
	port int
	cmd  *exec.Cmd
	n    int
	mu   sync.Mutex
}

// stopPG stops the binary's server, if it started one.
func stopPG() {
	if pgServer.cmd != nil {
		pgServer.cmd.Process.Signal(syscall.SIGINT)
		pgServer.cmd.Wait()
		os.RemoveAll(pgServer.dir)
	}
}

// pgStart returns the URL of a new empty database on the binary's server.
func pgStart(tb testing.TB) string {
	tb.Helper()
	pgServer.once.Do(func() { pgServer.err = startPG() })
	if pgServer.err != nil {
		tb.Fatalf("PostgreSQL: %v", pgServer.err)
	}
	pgServer.mu.Lock()
	pgServer.n++
	name := fmt.Sprintf("t%d", pgServer.n)
	pgServer.mu.Unlock()
	admin := pgURL("postgres")
	db, err := sql.Open("pgx", admin)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		tb.Fatal(err)
	}
	return pgURL(name)
}

func pgURL(db string) string {
	return fmt.Sprintf("postgres://pgtest@127.0.0.1:%d/%s?sslmode=disable", pgServer.port, db)
}

func startPG() error {
	bin, err := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if err != nil || len(bin) == 0 {
		return fmt.Errorf("initdb not found")
	}
	binDir := filepath.Dir(bin[len(bin)-1])
	dir, err := os.MkdirTemp("", "storepg-")
	if err != nil {
		return err
	}
	pgServer.dir = dir
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return err
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			return err
		}
	}
	run := func(name string, args ...string) *exec.Cmd {
		c := exec.Command(filepath.Join(binDir, name), args...)
		c.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGINT}
		return c
	}
	data := filepath.Join(dir, "data")
	if out, err := run("initdb", "-D", data, "-U", "pgtest", "--auth=trust", "-E", "UTF8", "--no-sync").CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %v: %s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	pgServer.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := run("postgres", "-D", data, "-h", "127.0.0.1", "-p", strconv.Itoa(pgServer.port), "-k", dir)
	var log strings.Builder
	cmd.Stderr = &log
	if err := cmd.Start(); err != nil {
		return err
	}
	pgServer.cmd = cmd
	for range 100 {
		db, _ := sql.Open("pgx", pgURL("postgres"))
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err = db.PingContext(ctx)
		cancel()
		db.Close()
		if err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("postgres did not start: %v", err)
}

package pgtest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// childEnv, when set, makes TestChildProcess act for a test of the binary's lifecycle: "fail"
// fails after Start, "hang" waits to be killed.
const childEnv = "PGTEST_CHILD"

// TestChildProcess is the test binary's part when a lifecycle test runs it as a child: it
// starts the shared server, prints the postmaster's pid and directory, and fails or hangs.
func TestChildProcess(t *testing.T) {
	mode := os.Getenv(childEnv)
	if mode == "" {
		t.Skip("run as a child by TestFailingTestLeavesNothing and TestKilledBinaryLeavesNoServer")
	}
	Start(t)
	fmt.Printf("server %d %s\n", shared.srv.cmd.Process.Pid, shared.srv.base)
	switch mode {
	case "fail":
		t.Fatal("failing on purpose, with the server running")
	case "hang":
		io.Copy(io.Discard, os.Stdin) // until the parent kills this process
	}
}

// startChild runs this test binary's TestChildProcess in mode and returns it with the
// postmaster's pid and directory, once started.
func startChild(t *testing.T, mode string) (*exec.Cmd, int, string, *strings.Builder) {
	t.Helper()
	binDirOrSkip(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+mode)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := cmd.StdinPipe() // kept open: "hang" reads it until killed
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close() })
	var rest strings.Builder
	cmd.Stderr = &rest
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var pid int
		var dir string
		if n, _ := fmt.Sscanf(sc.Text(), "server %d %s", &pid, &dir); n == 2 {
			go io.Copy(&rest, out) // drain the rest, so the child never blocks on its output
			return cmd, pid, dir, &rest
		}
		rest.WriteString(sc.Text() + "\n")
	}
	cmd.Wait()
	t.Fatalf("the child printed no server line:\n%s", rest.String())
	return nil, 0, "", nil
}

func TestFailingTestLeavesNothing(t *testing.T) {
	cmd, pid, dir, out := startChild(t, "fail")
	children := childrenOf(t, pid)
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Errorf("the failing child exited with %v; want status 1:\n%s", err, out)
	}
	for _, p := range append(children, pid) {
		if alive(p) {
			t.Errorf("process %d of the failed test's server is still running", p)
		}
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the failed test's server directory %s remains (%v)", dir, err)
	}
}

func TestKilledBinaryLeavesNoServer(t *testing.T) {
	cmd, pid, dir, _ := startChild(t, "hang")
	t.Cleanup(func() { os.RemoveAll(dir) }) // nobody was left to remove it
	// Watch the server's processes through pidfds: they become readable when the process
	// exits, whoever its parent is by then.
	watch := map[int32]int{} // pidfd → pid
	for _, p := range append(childrenOf(t, pid), pid) {
		fd, err := unix.PidfdOpen(p, 0)
		if errors.Is(err, unix.ESRCH) && p != pid {
			continue // a short-lived child of the server (a backend, a worker) that is gone already
		}
		if err != nil {
			t.Fatalf("pidfd_open(%d): %v", p, err)
		}
		defer unix.Close(fd)
		watch[int32(fd)] = p
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	// The kernel tells the server to shut down; it must do so without anyone's help.
	deadline := time.Now().Add(stopTimeout)
	for len(watch) > 0 && time.Now().Before(deadline) {
		var pfds []unix.PollFd
		for fd := range watch {
			pfds = append(pfds, unix.PollFd{Fd: fd, Events: unix.POLLIN})
		}
		if _, err := unix.Poll(pfds, int(time.Until(deadline)/time.Millisecond)+1); err != nil && !errors.Is(err, unix.EINTR) {
			t.Fatal(err)
		}
		for _, pfd := range pfds {
			if pfd.Revents != 0 {
				delete(watch, pfd.Fd)
			}
		}
	}
	for _, p := range watch {
		t.Errorf("process %d of the killed binary's server still runs after %v", p, stopTimeout)
		syscall.Kill(p, syscall.SIGKILL)
	}
}

func TestCleanupStopsServerWithoutMain(t *testing.T) {
	var r registry // not managed: the last user's cleanup stops the server
	var pid int
	var dir string
	var children []int
	t.Run("first", func(t *testing.T) {
		r.start(t)
		t.Run("second", func(t *testing.T) {
			r.start(t)
			if r.users != 2 {
				t.Errorf("%d users; want 2", r.users)
			}
		})
		if r.srv == nil {
			t.Fatal("the server stopped while a test still used it")
		}
		pid, dir = r.srv.cmd.Process.Pid, r.srv.base
		children = childrenOf(t, pid)
	})
	if r.srv != nil || r.users != 0 {
		t.Errorf("after the last test: server %v, %d users; want none", r.srv, r.users)
	}
	if pid == 0 {
		t.Fatal("no server ran")
	}
	for _, p := range append(children, pid) {
		if alive(p) {
			t.Errorf("process %d of the server is still running", p)
		}
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the server directory %s remains (%v)", dir, err)
	}
}

// recorder is a testing.TB that records Fatalf and Skipf instead of acting on them.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (r *recorder) Skipf(format string, args ...any) {
	r.skip = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestMissingPostgresSkipsOrFails(t *testing.T) {
	saved := lookBinDir
	t.Cleanup(func() { lookBinDir = saved })
	lookBinDir = func() (string, error) { return "", errNoPostgres }
	for _, tc := range []struct {
		require        string
		fatal, skipped bool
	}{
		{"1", true, false},
		{"", false, true},
		{"0", false, true},
	} {
		t.Setenv(RequireEnv, tc.require)
		r := &recorder{TB: t}
		done := make(chan struct{})
		go func() {
			defer close(done)
			binDirOrSkip(r)
		}()
		<-done
		if (r.fatal != "") != tc.fatal || (r.skip != "") != tc.skipped {
			t.Errorf("%s=%q: failed %q, skipped %q; want failed %v, skipped %v", RequireEnv, tc.require, r.fatal, r.skip, tc.fatal, tc.skipped)
		}
		if msg := r.fatal + r.skip; !strings.Contains(msg, "apt-get install postgresql") {
			t.Errorf("%s=%q: the message %q does not say how to install PostgreSQL", RequireEnv, tc.require, msg)
		}
	}
}

// childrenOf lists the processes whose parent is pid: the postmaster's backends and workers.
func childrenOf(tb testing.TB, pid int) []int {
	tb.Helper()
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		tb.Fatal(err)
	}
	var out []int
	for _, f := range stats {
		if p, ppid, _, ok := readStat(f); ok && ppid == pid {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		tb.Fatalf("the postmaster %d has no child processes", pid)
	}
	return out
}

// alive reports whether pid runs (a zombie, dead but not yet reaped, does not).
func alive(pid int) bool {
	_, _, state, ok := readStat(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	return ok && state != "Z" && state != "X"
}

// readStat reads the pid, parent pid and state of /proc/PID/stat.
func readStat(path string) (pid, ppid int, state string, ok bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, "", false
	}
	s := string(b)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')') // the command may hold spaces
	if open < 0 || end < 0 {
		return 0, 0, "", false
	}
	f := strings.Fields(s[end+1:])
	pid, err1 := strconv.Atoi(strings.TrimSpace(s[:open]))
	ppid, err2 := strconv.Atoi(f[1])
	return pid, ppid, f[0], err1 == nil && err2 == nil
}

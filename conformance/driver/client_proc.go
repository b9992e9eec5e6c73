package driver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// Start starts command as a long-lived driver process speaking JSON lines on its stdin and
// stdout; its stderr goes to opts.Stderr and its environment is opts.Env. The command is split
// into words and run without a shell unless it has shell syntax (see splitCommand for the
// rules). ctx bounds only the start: the process lives until Close (or until it exits on its
// own, which fails the operation under way).
func Start(ctx context.Context, command string, opts Options) (*Client, error) {
	if strings.TrimSpace(command) == "" {
		return nil, harnessf("start", "no driver command given")
	}
	if err := ctx.Err(); err != nil {
		return nil, &HarnessError{Op: "start", Err: err}
	}
	cmd, err := commandOf(command)
	if err != nil {
		return nil, harnessf("start", "driver command %q: %v", command, err)
	}
	cmd.Env = opts.Env
	setProcessGroup(cmd)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, &HarnessError{Op: "start", Err: err}
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, &HarnessError{Op: "start", Err: err}
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return nil, &HarnessError{Op: "start", Err: err}
	}
	cmd.Stdout, cmd.Stderr = outW, errW
	if err := cmd.Start(); err != nil {
		outR.Close()
		outW.Close()
		errR.Close()
		errW.Close()
		return nil, harnessf("start", "starting %q: %v", command, err)
	}
	outW.Close()
	errW.Close()

	p := &procTransport{
		command:   command,
		cmd:       cmd,
		stdin:     stdin,
		lines:     make(chan []byte),
		closed:    make(chan struct{}),
		exited:    make(chan struct{}),
		errDone:   make(chan struct{}),
		tail:      &tailBuffer{max: 2048},
		abandoned: map[int64]bool{},
	}
	stderr := opts.Stderr
	if stderr == nil {
		stderr = io.Discard
	}
	go func() {
		io.Copy(io.MultiWriter(p.tail, stderr), errR)
		errR.Close()
		close(p.errDone)
	}()
	go p.readLines(outR)
	go func() {
		p.exitErr = cmd.Wait()
		close(p.exited)
	}()
	return &Client{t: p, timeout: opts.timeout(), startTimeout: opts.startTimeout(), serial: true}, nil
}

// commandOf is the process that runs command: its words, or the platform's shell when it has
// shell syntax.
func commandOf(command string) (*exec.Cmd, error) {
	words, needsShell, err := splitCommand(command)
	switch {
	case err != nil:
		return nil, err
	case needsShell:
		return shellCommand(command), nil
	case len(words) == 0:
		return nil, errors.New("no program to run")
	}
	return exec.Command(words[0], words[1:]...), nil
}

// procTransport is the stdin/stdout transport.
type procTransport struct {
	command string
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	lines   chan []byte   // stdout lines; closed at the end of stdout
	readErr error         // why stdout ended, set before lines is closed
	closed  chan struct{} // closed by close: stop passing lines on
	exited  chan struct{} // closed when the process has exited
	exitErr error         // set before exited is closed
	tail    *tailBuffer
	errDone chan struct{} // closed at the end of stderr

	nextID    int64
	abandoned map[int64]bool // requests given up on, whose late replies are dropped
	closeOnce sync.Once
}

func (p *procTransport) readLines(r *os.File) {
	defer r.Close()
	defer close(p.lines)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxReply)
	for sc.Scan() {
		select {
		case p.lines <- append([]byte(nil), sc.Bytes()...):
		case <-p.closed:
			return
		}
	}
	p.readErr = sc.Err()
}

func (p *procTransport) roundTrip(ctx context.Context, op string, req request) ([]byte, error) {
	p.nextID++
	id := p.nextID
	req.ID, req.Op = id, op
	line, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	if _, err := p.stdin.Write(append(line, '\n')); err != nil {
		return nil, p.died(op, fmt.Sprintf("could not send the request (%v)", err))
	}
	for {
		select {
		case <-ctx.Done():
			p.abandoned[id] = true
			return nil, ctx.Err()
		case b, ok := <-p.lines:
			if !ok {
				why := "closed its stdout before replying"
				if p.readErr != nil {
					why = fmt.Sprintf("stdout failed before replying (%v)", p.readErr)
				}
				return nil, p.died(op, why)
			}
			b = bytes.TrimSpace(b)
			if len(b) == 0 {
				continue
			}
			var head struct {
				ID *int64 `json:"id"`
			}
			if b[0] != '{' || json.Unmarshal(b, &head) != nil {
				p.abandoned[id] = true
				return nil, harnessf(op, "driver printed a line that is not a JSON object: %s (stdout is for protocol replies only; log to stderr)", clip(b))
			}
			if head.ID == nil {
				p.abandoned[id] = true
				return nil, harnessf(op, `reply has no "id" (want %d): %s`, id, clip(b))
			}
			if p.abandoned[*head.ID] {
				delete(p.abandoned, *head.ID)
				continue // the late reply to a request already given up on
			}
			if *head.ID != id {
				p.abandoned[id] = true
				return nil, harnessf(op, "reply has id %d, want %d: %s", *head.ID, id, clip(b))
			}
			return b, nil
		}
	}
}

// died describes the driver process's death for the operation under way.
func (p *procTransport) died(op, why string) error {
	status := "is still running"
	wait := time.NewTimer(2 * time.Second)
	defer wait.Stop()
	select {
	case <-p.exited:
		status = describeExit(p.exitErr)
		select { // its last words, unless a child still holds stderr open
		case <-p.errDone:
		case <-wait.C:
		}
	case <-wait.C:
	}
	msg := fmt.Sprintf("driver process %s; %s", why, status)
	if t := strings.TrimSpace(p.tail.String()); t != "" {
		msg += "; its last stderr output: " + t
	}
	return &HarnessError{Op: op, Err: errors.New(msg)}
}

func describeExit(err error) string {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return "it exited with status 0"
	case errors.As(err, &ee):
		return "it exited: " + ee.ProcessState.String()
	}
	return "it exited: " + err.Error()
}

// close closes the driver's stdin, waits up to 3s for it to exit, then terminates its process
// group (SIGTERM, then SIGKILL after 2s more).
func (p *procTransport) close() error {
	var err error
	p.closeOnce.Do(func() {
		close(p.closed)
		p.stdin.Close()
		select {
		case <-p.exited:
			if p.exitErr != nil {
				err = fmt.Errorf("driver %q: %s", p.command, describeExit(p.exitErr))
			}
			return
		case <-time.After(3 * time.Second):
		}
		terminate(p.cmd, false)
		select {
		case <-p.exited:
			return
		case <-time.After(2 * time.Second):
		}
		terminate(p.cmd, true)
		<-p.exited
	})
	return err
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append([]byte(nil), t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}

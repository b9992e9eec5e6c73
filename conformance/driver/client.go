package driver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// DefaultTimeout bounds one operation when Options.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// DefaultStartTimeout bounds the driver's start-up (its process starting and its answer to
// hello) when Options.StartTimeout is zero: a loaded CI machine may take a while to start an
// interpreter or a JVM.
const DefaultStartTimeout = 60 * time.Second

// Options tunes a Client.
type Options struct {
	// Timeout bounds each operation but hello; 0 means DefaultTimeout.
	Timeout time.Duration
	// StartTimeout bounds hello, which waits for the driver to start; 0 means
	// DefaultStartTimeout (and never less than Timeout).
	StartTimeout time.Duration
	// Stderr receives the driver process's standard error; nil discards it (its last lines
	// still appear in harness errors). Unused over HTTP.
	Stderr io.Writer
	// Env is the driver process's environment, as for exec.Cmd.Env; nil means this
	// process's. Unused over HTTP.
	Env []string
	// HTTPClient carries the HTTP transport; nil means a client of its own. Unused over
	// stdin/stdout.
	HTTPClient *http.Client
}

func (o Options) timeout() time.Duration {
	if o.Timeout <= 0 {
		return DefaultTimeout
	}
	return o.Timeout
}

func (o Options) startTimeout() time.Duration {
	d := o.StartTimeout
	if d <= 0 {
		d = DefaultStartTimeout
	}
	return max(d, o.timeout())
}

// transport carries one request and returns the raw reply object, checked only for being a
// JSON object (and, over stdin/stdout, for its id).
type transport interface {
	roundTrip(ctx context.Context, op string, req request) ([]byte, error)
	close() error
}

// Client is the suite's side of the protocol. Its methods may be called from several
// goroutines; over stdin/stdout they run one at a time.
//
// Every error is either a *HarnessError (the protocol broke) or a *DriverError (the driver
// answered ok:false).
type Client struct {
	t            transport
	timeout      time.Duration
	startTimeout time.Duration // bounds hello
	mu           sync.Mutex    // serializes operations over stdin/stdout
	serial       bool
}

// Hello asks the driver who it is and what optional operations it supports. It waits up to
// the start-up timeout, not the per-operation one: the first hello waits for the driver to
// start.
func (c *Client) Hello(ctx context.Context) (Hello, error) {
	var h Hello
	err := c.call(ctx, OpHello, request{}, &h)
	return h, err
}

// Reset makes the driver forget everything: credentials, tokens, caches.
func (c *Client) Reset(ctx context.Context) error {
	return c.call(ctx, OpReset, request{}, nil)
}

// Configure gives the driver an LEA's credentials, as an LEA administrator would.
func (c *Client) Configure(ctx context.Context, cfg Config) error {
	req := request{LEA: cfg.LEA, School: cfg.School, BaseURL: cfg.BaseURL, Username: cfg.Username, SecretKey: cfg.SecretKey}
	return c.call(ctx, OpConfigure, req, nil)
}

// View asks what a parent sees on student ssid's page, through the credentials of lea. A reply
// whose outcome is not one of the five of the protocol is a *HarnessError.
func (c *Client) View(ctx context.Context, lea, ssid string) (View, error) {
	return c.ViewSchool(ctx, lea, "", ssid)
}

// ViewSchool is View with the student's school in the LEA as the vendor's SIS knows it ("" to
// leave it out), so that the vendor can pick the school's own pair where there is one.
func (c *Client) ViewSchool(ctx context.Context, lea, school, ssid string) (View, error) {
	var v View
	if err := c.call(ctx, OpView, request{LEA: lea, School: school, SSID: ssid}, &v); err != nil {
		return View{}, err
	}
	if !v.Outcome.Valid() {
		return View{}, harnessf(OpView, "unknown outcome %q (want ok, auth_error, unavailable, not_found or error)", v.Outcome)
	}
	if v.Reports == nil {
		v.Reports = []ViewReport{}
	}
	return v, nil
}

// Clock tells the driver that sandbox time is now now. Only for drivers announcing CapClock.
func (c *Client) Clock(ctx context.Context, now time.Time) error {
	return c.call(ctx, OpClock, request{Now: &now}, nil)
}

// Sync runs the driver's scheduled job now. Only for drivers announcing CapSync.
func (c *Client) Sync(ctx context.Context) error {
	return c.call(ctx, OpSync, request{}, nil)
}

// Close ends the session: over stdin/stdout it closes the driver's input and waits briefly
// for it to exit, then terminates it.
func (c *Client) Close() error {
	return c.t.close()
}

// call performs one operation and decodes a successful reply into out (if non-nil).
func (c *Client) call(ctx context.Context, op string, req request, out any) error {
	if c.serial {
		c.mu.Lock()
		defer c.mu.Unlock()
	}
	limit, what := c.timeout, "the per-operation timeout"
	if op == OpHello {
		limit, what = c.startTimeout, "the start-up timeout"
	}
	opCtx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	raw, err := c.t.roundTrip(opCtx, op, req)
	if err != nil {
		var he *HarnessError
		if errors.As(err, &he) {
			return err
		}
		if ctx.Err() != nil {
			return &HarnessError{Op: op, Err: fmt.Errorf("interrupted: %w", ctx.Err())}
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return &HarnessError{Op: op, Err: fmt.Errorf("no reply within %v (%s): %w", limit, what, err)}
		}
		return &HarnessError{Op: op, Err: err}
	}
	return decodeReply(op, raw, out)
}

// decodeReply checks the "ok" field of a reply and decodes the rest into out.
func decodeReply(op string, raw []byte, out any) error {
	var head struct {
		OK    *bool           `json:"ok"`
		Error json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return harnessf(op, "reply is not a protocol object: %v: %s", err, clip(raw))
	}
	if head.OK == nil {
		return harnessf(op, `reply has no boolean "ok" field: %s`, clip(raw))
	}
	if !*head.OK {
		var msg string
		if json.Unmarshal(head.Error, &msg) != nil || msg == "" {
			msg = "(no error message)"
		}
		return &DriverError{Op: op, Message: msg}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return harnessf(op, "reply does not fit the protocol: %v: %s", err, clip(raw))
	}
	return nil
}

// clip shortens b for an error message.
func clip(b []byte) string {
	const max = 300
	if len(b) > max {
		return fmt.Sprintf("%q…", b[:max])
	}
	return fmt.Sprintf("%q", b)
}

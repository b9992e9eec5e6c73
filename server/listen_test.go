package server

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ssrmock/ssrmock/server/store"
)

// These tests run on real connections with short timeouts: what they wait for is the
// server's network deadlines, which are wall-clock by nature (no sandbox time is involved).

// shortTimeouts make a slow client visible within a test.
var shortTimeouts = HTTPOptions{ReadHeaderTimeout: 300 * time.Millisecond, ReadTimeout: 400 * time.Millisecond,
	WriteTimeout: 400 * time.Millisecond, IdleTimeout: 300 * time.Millisecond, MaxConnsPerClient: 4}

// closedWithin reports whether the server closes c (or answers and closes) within d.
func closedWithin(t *testing.T, c net.Conn, d time.Duration) bool {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(d))
	_, err := io.ReadAll(c)
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

func TestSlowClientsAreCutOff(t *testing.T) {
	srv := mustServer(t)
	ts := newGuardedServer(t, srv, shortTimeouts)
	addr := ts.Listener.Addr().String()
	dial := func() net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	// Headers that never end.
	c := dial()
	io.WriteString(c, "GET /control/v1/sandboxes HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
	if !closedWithin(t, c, 5*time.Second) {
		t.Error("a client that never finishes its headers keeps its connection")
	}
	// A body that never comes.
	c = dial()
	io.WriteString(c, "POST /control/v1/sandboxes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
	if !closedWithin(t, c, 5*time.Second) {
		t.Error("a client that never sends its body keeps its connection")
	}
	// An idle keep-alive connection.
	c = dial()
	io.WriteString(c, "GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("first request: %v %v", resp, err)
	}
	io.Copy(io.Discard, resp.Body)
	if !closedWithin(t, c, 5*time.Second) {
		t.Error("an idle keep-alive connection stays open")
	}
}

// TestDelayOutlivesTimeouts schedules a delay longer than every timeout: the answer still
// comes, after the delay.
func TestDelayOutlivesTimeouts(t *testing.T) {
	srv := mustServer(t)
	ts := newGuardedServer(t, srv, shortTimeouts)
	e := &testEnv{t: t, srv: srv, ts: ts}
	sbx := e.newSandbox(nil).ID
	c := e.generate(sbx, e.firstLEA(sbx).CDS)
	delay := 3 * shortTimeouts.ReadTimeout
	e.mustDo("POST", "/control/v1/sandboxes/"+sbx+"/faults", map[string]any{"route": "token", "delay": delay.String(), "count": 1}, http.StatusCreated, nil)
	began := time.Now()
	e.mustDo("POST", "/api/v1/token", map[string]string{"username": c.Username, "secretKey": c.SecretKey}, http.StatusOK, nil)
	if took := time.Since(began); took < delay {
		t.Errorf("answered after %v, before the %v delay", took, delay)
	}
	var page store.JournalPage
	e.mustDo("GET", "/control/v1/sandboxes/"+sbx+"/journal", nil, http.StatusOK, &page)
	if n := len(page.Entries); n != 1 || page.Entries[0].Status != http.StatusOK || page.Entries[0].Code != "" {
		t.Errorf("journal: %+v, want one answered request", page.Entries)
	}
}

func TestConnectionsPerClientAreCapped(t *testing.T) {
	ts := newGuardedServer(t, mustServer(t), shortTimeouts)
	addr := ts.Listener.Addr().String()
	var open []net.Conn
	defer func() {
		for _, c := range open {
			c.Close()
		}
	}()
	for range shortTimeouts.MaxConnsPerClient {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, c)
	}
	// Accept runs in order: the connections above are counted before the next is accepted.
	resp, body := rawExchangeEventually(t, addr)
	wantEnvelope(t, "a connection over the cap", resp, body, http.StatusServiceUnavailable, CodeUnavailable)
	open[0].Close()
	open = open[1:]
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, body := rawExchange(t, addr, "GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
		if resp.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after closing a connection: %d %s", resp.StatusCode, body)
		}
		time.Sleep(10 * time.Millisecond) // the server notices the close asynchronously
	}
}

// rawExchangeEventually sends a request once the listener has accepted every earlier
// connection, and returns the answer.
func rawExchangeEventually(t *testing.T, addr string) (*http.Response, []byte) {
	t.Helper()
	return rawExchange(t, addr, "GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
}

func TestNetHTTPRefusalsAreEnvelopes(t *testing.T) {
	ts := newGuardedServer(t, mustServer(t), HTTPOptions{})
	addr := ts.Listener.Addr().String()
	for name, tc := range map[string]struct {
		req    string
		status int
		code   string
	}{
		"headers too large":       {"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + strings.Repeat("x", 70<<10) + "\r\n\r\n", http.StatusRequestHeaderFieldsTooLarge, CodeHeadersTooLarge},
		"malformed request line":  {"GARBAGE\r\n\r\n", http.StatusBadRequest, CodeBadRequest},
		"bad HTTP version":        {"GET / HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n", http.StatusBadRequest, CodeBadRequest},
		"missing Host":            {"GET / HTTP/1.1\r\n\r\n", http.StatusBadRequest, CodeBadRequest},
		"unknown transfer coding": {"POST /api/v1/token HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: rot13\r\n\r\n", http.StatusBadRequest, CodeBadRequest},
	} {
		resp, body := rawExchange(t, addr, tc.req)
		wantEnvelope(t, name, resp, body, tc.status, tc.code)
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no security headers: %v", name, resp.Header)
		}
	}
}

func TestRewriteLeavesHandlerAnswersAlone(t *testing.T) {
	for _, p := range []string{
		"HTTP/1.1 404 Not Found\r\nContent-Security-Policy: x\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\nbody",
		"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\nok",
		"HTTP/1.1 400 Bad Request",
		"not http",
	} {
		if b, ok := rewriteRawError([]byte(p)); ok {
			t.Errorf("rewrote %q into %q", p, b)
		}
	}
}

func mustServer(t *testing.T) *Server {
	t.Helper()
	srv, err := New(Config{Seed: 7, Scale: "tiny"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

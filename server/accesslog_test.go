package server

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// stepClock is a real clock that moves step forward on every reading.
type stepClock struct {
	mu   sync.Mutex
	now  time.Time
	step time.Duration
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(c.step)
	return c.now
}

// TestVendorRequestLog checks the info-level log: one JSON line per vendor request with its
// method, route, status and latency, and none for other requests.
func TestVendorRequestLog(t *testing.T) {
	var logs lockedBuffer
	clock := &stepClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), step: 1500 * time.Microsecond}
	srv, err := New(Config{Scale: "tiny", RealClock: clock,
		Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	e := &testEnv{t: t, srv: srv, ts: httptest.NewServer(srv)}
	defer e.ts.Close()
	lea := e.firstLEA("default").CDS
	ssid := e.roster("default", lea, 1)[0].SSID
	c := e.generate("default", lea)
	e.do("GET", "/healthz", nil)
	tok := e.token(c)
	e.do("POST", "/api/v1/token", map[string]string{"username": c.Username, "secretKey": "wrong" + c.SecretKey})
	list := e.list(tok, ssid)
	e.do("GET", list.Reports[0].URL, nil)
	e.do("GET", "/api/v1/nothing", nil)

	type line struct {
		Level, Msg, Method, Route string
		Status                    int
		Latency                   time.Duration
	}
	var got []line
	for _, raw := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var l line
		if err := json.Unmarshal([]byte(raw), &l); err != nil {
			t.Fatalf("log line %q is not JSON: %v", raw, err)
		}
		if l.Msg == "vendor request" || l.Msg == "request" {
			got = append(got, l)
		}
	}
	// Each request reads the real clock twice more than the handlers do: the latency is at
	// least one step, and the same for every request of a kind.
	for i := range got {
		if got[i].Latency < clock.step {
			t.Errorf("line %d: latency %v, want at least %v", i, got[i].Latency, clock.step)
		}
		got[i].Latency = 0
	}
	want := []line{
		{"INFO", "vendor request", "POST", "token", http.StatusOK, 0},
		{"INFO", "vendor request", "POST", "token", http.StatusUnauthorized, 0},
		{"INFO", "vendor request", "GET", "reports", http.StatusOK, 0},
		{"INFO", "vendor request", "GET", "pdf", http.StatusOK, 0},
		{"INFO", "vendor request", "GET", "other", http.StatusNotFound, 0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request log lines (-want +got):\n%s\nlog:\n%s", diff, logs.String())
	}
	if out := logs.String(); strings.Contains(out, c.SecretKey) || strings.Contains(out, tok) || strings.Contains(out, "sig=") {
		t.Errorf("the request log holds a secret, a token or a link signature:\n%s", out)
	}
}

func TestVendorRoute(t *testing.T) {
	for path, want := range map[string]string{
		"/api/v1/token":                       routeToken,
		"/api/v1/students/1234567890/reports": routeReports,
		"/api/v1/files/default/x":             routePDF,
		"/api/v1/other":                       "other",
		"/api/v1":                             "",
		"/control/v1/sandboxes":               "",
		"/healthz":                            "",
		"/":                                   "",
	} {
		if got := vendorRoute(path); got != want {
			t.Errorf("vendorRoute(%q) = %q, want %q", path, got, want)
		}
	}
}

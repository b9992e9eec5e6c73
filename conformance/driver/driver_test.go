package driver

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// recorder is a Driver that notes every call; View of the SSID "calls" returns the notes as its
// Message, so a test can read them back through any transport.
type recorder struct {
	mu    sync.Mutex
	calls []string
}

var (
	_ Driver  = (*recorder)(nil)
	_ Clocked = (*recorder)(nil)
	_ Syncer  = (*recorder)(nil)
)

func (r *recorder) note(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, fmt.Sprintf(format, args...))
}

func (r *recorder) Hello(ctx context.Context) (Hello, error) {
	r.note("hello")
	return Hello{Name: "recorder", Version: "1.0", Capabilities: []string{CapClock, CapSync}}, nil
}

func (r *recorder) Reset(ctx context.Context) error { r.note("reset"); return nil }

func (r *recorder) Configure(ctx context.Context, c Config) error {
	r.note("configure %s %s %s %s", c.LEA, c.BaseURL, c.Username, c.SecretKey)
	if c.LEA == "" {
		return errors.New("configure: lea is required")
	}
	return nil
}

func (r *recorder) View(ctx context.Context, lea, ssid string) (View, error) {
	if ssid == "calls" {
		r.mu.Lock()
		defer r.mu.Unlock()
		return View{Outcome: OK, Message: strings.Join(r.calls, "\n")}, nil
	}
	if ssid == "panic" {
		panic("index out of range")
	}
	r.note("view %s %s", lea, ssid)
	return View{Outcome: OK, Reports: []ViewReport{
		{SchoolYear: "2018-19", Assessment: "summative-elpac", Language: "es", URL: "http://x/r?sig=1"},
		{SchoolYear: "2017-18", Assessment: "smarter-balanced", Language: "en", SHA256: "abc"},
	}}, nil
}

func (r *recorder) Clock(ctx context.Context, now time.Time) error {
	r.note("clock %s", now.UTC().Format(time.RFC3339Nano))
	return nil
}

func (r *recorder) Sync(ctx context.Context) error { r.note("sync"); return nil }

// helperEnv names the variable that makes the test binary act as a driver process.
const helperEnv = "SSRMOCK_DRIVER_TEST_HELPER"

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(helperMain(mode))
	}
	os.Exit(m.Run())
}

// helperMain is a driver process, well-behaved ("serve") or broken in one way.
func helperMain(mode string) int {
	if mode == "serve" || mode == "slow-first" {
		var d Driver = &recorder{}
		if mode == "slow-first" {
			d = &slowOnce{recorder: &recorder{}, delay: 2 * time.Second}
		}
		if err := Serve(context.Background(), d, os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return 0
	}
	in := bufio.NewScanner(os.Stdin)
	for n := 1; in.Scan(); n++ {
		var req request
		json.Unmarshal(in.Bytes(), &req)
		if req.Op == OpHello && mode == "args" { // name: the arguments; version: $DRIVER_TEST_VAR
			b, _ := json.Marshal(Hello{Name: strings.Join(os.Args[1:], "\x00"), Version: os.Getenv("DRIVER_TEST_VAR"), Capabilities: []string{}})
			fmt.Printf(`{"id":%d,"ok":true,%s`+"\n", req.ID, b[1:])
			continue
		}
		if req.Op == OpHello {
			fmt.Printf(`{"id":%d,"ok":true,"name":"broken","version":"0","capabilities":[]}`+"\n", req.ID)
			continue
		}
		switch mode {
		case "exit":
			fmt.Fprintln(os.Stderr, "panic: boom in the vendor")
			return 3
		case "hang":
			continue
		case "garbage":
			fmt.Println("Connecting to SSR service...")
		case "wrong-id":
			fmt.Printf(`{"id":%d,"ok":true,"outcome":"ok","reports":[]}`+"\n", req.ID+100)
		case "outcome":
			fmt.Printf(`{"id":%d,"ok":true,"outcome":"maybe","reports":[]}`+"\n", req.ID)
		case "no-ok":
			fmt.Printf(`{"id":%d,"outcome":"ok"}`+"\n", req.ID)
		case "fail":
			fmt.Printf(`{"id":%d,"ok":false,"error":"no credentials for LEA %s"}`+"\n", req.ID, req.LEA)
		}
	}
	return 0
}

// startHelper starts the test binary as a driver process in mode.
func startHelper(t *testing.T, mode string, timeout time.Duration) *Client {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	c, err := Start(context.Background(), fmt.Sprintf("GORACE=atexit_sleep_ms=0 %s=%s exec '%s'", helperEnv, mode, exe), Options{Timeout: timeout})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// transports returns a client per transport, each on a fresh recorder.
func transports(t *testing.T) map[string]*Client {
	t.Helper()
	srv := httptest.NewServer(NewHandler(&recorder{}))
	t.Cleanup(srv.Close)
	hc, err := Dial(srv.URL+"/driver/", Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hc.Close() })
	return map[string]*Client{
		"stdio": startHelper(t, "serve", 5*time.Second),
		"http":  hc,
	}
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	for name, c := range transports(t) {
		t.Run(name, func(t *testing.T) {
			h, err := c.Hello(ctx)
			if err != nil {
				t.Fatalf("Hello: %v", err)
			}
			if want := (Hello{Name: "recorder", Version: "1.0", Capabilities: []string{"clock", "sync"}}); !cmp.Equal(h, want) {
				t.Errorf("Hello = %+v, want %+v", h, want)
			}
			if !h.Has(CapSync) || h.Has("teleport") {
				t.Errorf("Has: wrong answer for %v", h.Capabilities)
			}
			if err := c.Reset(ctx); err != nil {
				t.Fatalf("Reset: %v", err)
			}
			cfg := Config{LEA: "01611920000000", BaseURL: "http://127.0.0.1:1/api/v1", Username: "u1", SecretKey: "s3cr3t"}
			if err := c.Configure(ctx, cfg); err != nil {
				t.Fatalf("Configure: %v", err)
			}
			v, err := c.View(ctx, cfg.LEA, "1234567890")
			if err != nil {
				t.Fatalf("View: %v", err)
			}
			wantView := View{Outcome: OK, Reports: []ViewReport{
				{SchoolYear: "2018-19", Assessment: "summative-elpac", Language: "es", URL: "http://x/r?sig=1"},
				{SchoolYear: "2017-18", Assessment: "smarter-balanced", Language: "en", SHA256: "abc"},
			}}
			if diff := cmp.Diff(wantView, v); diff != "" {
				t.Errorf("View (-want +got):\n%s", diff)
			}
			now := time.Date(2019, 5, 15, 8, 30, 0, 0, time.UTC)
			if err := c.Clock(ctx, now); err != nil {
				t.Fatalf("Clock: %v", err)
			}
			if err := c.Sync(ctx); err != nil {
				t.Fatalf("Sync: %v", err)
			}
			err = c.Configure(ctx, Config{})
			var de *DriverError
			if !errors.As(err, &de) || de.Op != OpConfigure || !strings.Contains(de.Message, "lea is required") {
				t.Errorf("Configure(empty) error = %v, want a *DriverError saying lea is required", err)
			}
			_, err = c.View(ctx, cfg.LEA, "panic")
			if !errors.As(err, &de) || !strings.Contains(de.Message, "panicked: index out of range") {
				t.Errorf("View of a panicking driver: %v, want a *DriverError saying it panicked", err)
			}
			calls, err := c.View(ctx, "", "calls")
			if err != nil {
				t.Fatal(err)
			}
			want := strings.Join([]string{
				"hello", "reset",
				"configure 01611920000000 http://127.0.0.1:1/api/v1 u1 s3cr3t",
				"view 01611920000000 1234567890",
				"clock 2019-05-15T08:30:00Z",
				"sync",
				"configure    ",
			}, "\n")
			if diff := cmp.Diff(want, calls.Message); diff != "" {
				t.Errorf("calls the driver saw (-want +got):\n%s", diff)
			}
		})
	}
}

// minimal implements only the required operations.
type minimal struct{}

func (minimal) Hello(context.Context) (Hello, error)    { return Hello{Name: "min"}, nil }
func (minimal) Reset(context.Context) error             { return nil }
func (minimal) Configure(context.Context, Config) error { return nil }
func (minimal) View(context.Context, string, string) (View, error) {
	return View{Outcome: NotFound}, nil
}

func TestOptionalOpsUnsupported(t *testing.T) {
	ctx := context.Background()
	srv := httptest.NewServer(NewHandler(minimal{}))
	defer srv.Close()
	c, _ := Dial(srv.URL, Options{})
	h, err := c.Hello(ctx)
	if err != nil || h.Capabilities == nil {
		t.Fatalf("Hello = %+v, %v; want empty (non-nil) capabilities", h, err)
	}
	v, err := c.View(ctx, "l", "s")
	if err != nil || v.Outcome != NotFound || v.Reports == nil {
		t.Errorf("View = %+v, %v; want not_found with an empty list", v, err)
	}
	var de *DriverError
	if err := c.Sync(ctx); !errors.As(err, &de) || !strings.Contains(err.Error(), "not supported") {
		t.Errorf("Sync on a driver without it: %v, want a *DriverError", err)
	}
	if err := c.Clock(ctx, time.Now()); !errors.As(err, &de) {
		t.Errorf("Clock on a driver without it: %v, want a *DriverError", err)
	}
}

// slowOnce delays its first View.
type slowOnce struct {
	*recorder
	delay time.Duration
	done  bool
}

func (s *slowOnce) View(ctx context.Context, lea, ssid string) (View, error) {
	if !s.done {
		s.done = true
		time.Sleep(s.delay)
	}
	return s.recorder.View(ctx, lea, ssid)
}

package driver

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestHarnessErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		mode    string
		timeout time.Duration
		want    []string // in the error message
	}{
		{"exit", 5 * time.Second, []string{"view", "driver process", "exit status 3", "boom in the vendor"}},
		{"hang", time.Second, []string{"view", "no reply within 1s"}},
		{"garbage", 5 * time.Second, []string{"view", "not a JSON object", "Connecting to SSR service", "log to stderr"}},
		{"wrong-id", 5 * time.Second, []string{"view", "reply has id 102, want 2"}},
		{"outcome", 5 * time.Second, []string{"view", `unknown outcome "maybe"`}},
		{"no-ok", 5 * time.Second, []string{"view", `no boolean "ok"`}},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			c := startHelper(t, tt.mode, tt.timeout)
			if _, err := c.Hello(ctx); err != nil {
				t.Fatalf("Hello: %v", err)
			}
			_, err := c.View(ctx, "01611920000000", "1234567890")
			var he *HarnessError
			if !errors.As(err, &he) {
				t.Fatalf("View error = %v (%T), want a *HarnessError", err, err)
			}
			if he.Op != OpView {
				t.Errorf("HarnessError.Op = %q, want view", he.Op)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestHarnessAfterDeath(t *testing.T) {
	ctx := context.Background()
	c := startHelper(t, "exit", 5*time.Second)
	c.View(ctx, "l", "1234567890")
	err := c.Reset(ctx)
	var he *HarnessError
	if !errors.As(err, &he) || he.Op != OpReset || !strings.Contains(err.Error(), "exit status 3") {
		t.Errorf("Reset after the driver died: %v, want a *HarnessError naming reset and the exit", err)
	}
}

func TestLateReplyAfterTimeoutIsDropped(t *testing.T) {
	ctx := context.Background()
	c := startHelper(t, "slow-first", time.Second)
	_, err := c.View(ctx, "l", "1234567890")
	var he *HarnessError
	if !errors.As(err, &he) {
		t.Fatalf("slow View: %v, want a timeout", err)
	}
	time.Sleep(1500 * time.Millisecond) // the late reply arrives
	if _, err := c.Hello(ctx); err != nil {
		t.Errorf("Hello after a timed-out view: %v, want the late reply dropped", err)
	}
}

func TestDriverError(t *testing.T) {
	c := startHelper(t, "fail", 5*time.Second)
	err := c.Configure(context.Background(), Config{LEA: "019"})
	var de *DriverError
	if !errors.As(err, &de) || de.Message != "no credentials for LEA 019" || de.Op != OpConfigure {
		t.Errorf("Configure = %v, want *DriverError{configure, no credentials for LEA 019}", err)
	}
}

func TestHTTPHarnessErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"html", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "<html>Bad Gateway</html>", http.StatusBadGateway)
		}, "HTTP 502"},
		{"hang", func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body) // so that the server notices the client leaving
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}, "no reply within 200ms"},
		{"outcome", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"ok":true,"outcome":"fine"}`))
		}, `unknown outcome "fine"`},
		{"wrong type", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"ok":true,"outcome":"ok","reports":"none"}`))
		}, "does not fit the protocol"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			c, err := Dial(srv.URL, Options{Timeout: 200 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.View(ctx, "l", "s")
			var he *HarnessError
			if !errors.As(err, &he) || he.Op != OpView || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("View = %v, want a *HarnessError for view mentioning %q", err, tt.want)
			}
		})
	}
	t.Run("refused", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		c, _ := Dial(url, Options{Timeout: time.Second})
		var he *HarnessError
		if err := c.Reset(ctx); !errors.As(err, &he) {
			t.Errorf("Reset on a closed port = %v, want a *HarnessError", err)
		}
	})
	if _, err := Dial("localhost:8080", Options{}); err == nil {
		t.Error("Dial without a scheme succeeded")
	}
}

func TestHandlerStatuses(t *testing.T) {
	srv := httptest.NewServer(NewHandler(minimal{}))
	defer srv.Close()
	tests := []struct {
		method, path, body string
		want               int
	}{
		{"POST", "/hello", "", 200},
		{"POST", "/view", `{"lea":"1","ssid":"2"}`, 200},
		{"POST", "/view", `{"lea":`, 400},
		{"POST", "/teleport", `{}`, 404},
		{"POST", "/sync", `{}`, 501},
		{"GET", "/hello", "", 405},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, resp.StatusCode, tt.want)
		}
	}
}

// TestStartTimeout checks that hello, which waits for the driver to start, has its own time
// limit: a driver that takes longer to start than one operation may take still starts, and one
// that takes longer than the start-up limit is a harness error that says which limit it hit.
func TestStartTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a slow driver to start")
	}
	// A driver that takes 1.5s to start, then answers hello.
	const slowStart = `sleep 1.5; while read line; do echo '{"id":1,"ok":true,"name":"slow starter","version":"1","capabilities":[]}'; done`
	tests := []struct {
		name    string
		opts    Options
		wantErr string
	}{
		{"start-up limit longer than the start", Options{Timeout: 500 * time.Millisecond, StartTimeout: 10 * time.Second}, ""},
		{"default start-up limit", Options{Timeout: 500 * time.Millisecond}, ""},
		{"start-up limit shorter than the start", Options{Timeout: 200 * time.Millisecond, StartTimeout: 500 * time.Millisecond}, "no reply within 500ms (the start-up timeout)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Start(context.Background(), slowStart, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			h, err := c.Hello(context.Background())
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Hello: %v, want the driver's answer", err)
			case tt.wantErr == "" && h.Name != "slow starter":
				t.Errorf("Hello = %+v, want the slow starter", h)
			case tt.wantErr != "":
				var he *HarnessError
				if !errors.As(err, &he) || he.Op != OpHello || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("Hello error = %v, want a harness error on hello saying %q", err, tt.wantErr)
				}
			}
		})
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ssrmock/ssrmock/conformance/driver"
)

func TestVendorListFaults(t *testing.T) {
	out, stderr, code := runCmd(t, nil, "vendor", "--list-faults")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) < 12 {
		t.Errorf("%d faults, want at least 12:\n%s", len(lines), out)
	}
	for _, l := range lines {
		if name, sentence, ok := strings.Cut(l, "\t"); !ok || name == "" || sentence == "" || strings.Contains(name, " ") {
			t.Errorf("line %q: want name<TAB>sentence", l)
		}
	}
}

func TestVendorUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"unknown fault", []string{"vendor", "--fault", "teleports"}, nil, "teleports"},
		{"unknown fault from env", []string{"vendor"}, map[string]string{"SSRMOCK_VENDOR_FAULT": "teleports"}, "teleports"},
		{"bad timeout", []string{"vendor", "--timeout", "soon"}, nil, "timeout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runCmd(t, tc.env, tc.args...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 mentioning %q", code, stderr, tc.want)
			}
		})
	}
}

func TestVendorStdio(t *testing.T) {
	in := strings.Join([]string{
		`{"id":1,"op":"hello"}`,
		`{"id":2,"op":"configure","lea":"01611920000000","baseURL":"http://127.0.0.1:1/api/v1","username":"u","secretKey":"s"}`,
		`{"id":3,"op":"view","lea":"01611920000000","ssid":"12"}`,
		`{"id":4,"op":"clock","now":"2019-05-15T08:00:00Z"}`,
		`{"id":5,"op":"reset"}`,
	}, "\n") + "\n"
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"vendor", "--fault", "drops-translation"}, func(string) string { return "" }, strings.NewReader(in), &stdout, &stderr)
	if err != nil {
		t.Fatalf("run: %v (stderr %s)", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 5 {
		t.Fatalf("stdout has %d lines, want 5 replies:\n%s", len(lines), stdout.String())
	}
	for i, l := range lines {
		var r struct {
			ID      int
			OK      bool
			Name    string
			Outcome string
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil || r.ID != i+1 || !r.OK {
			t.Errorf("reply %d = %s, want ok with id %d", i+1, l, i+1)
		}
		if i == 0 && !strings.Contains(r.Name, "drops-translation") {
			t.Errorf("hello name %q does not say which fault runs", r.Name)
		}
		if i == 2 && r.Outcome != "error" {
			t.Errorf("view of a malformed SSID: outcome %q, want error", r.Outcome)
		}
	}
}

func TestVendorListen(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"vendor", "--listen", "127.0.0.1:0"}, func(string) string { return "" }, strings.NewReader(""), &stdout, &stderr)
	}()
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	var url string
	for deadline := time.Now().Add(5 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		url = addr.FindString(stderr.String())
	}
	if url == "" {
		t.Fatalf("no address on stderr: %q", stderr.String())
	}
	c, err := driver.Dial(url, driver.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	h, err := c.Hello(ctx)
	if err != nil || !h.Has(driver.CapClock) || !h.Has(driver.CapSync) {
		t.Errorf("Hello = %+v, %v; want clock and sync", h, err)
	}
	v, err := c.View(ctx, "01611920000000", "1234567890")
	if err != nil || v.Outcome != driver.AuthError {
		t.Errorf("View without credentials = %+v, %v; want auth_error", v, err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after cancel: %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("vendor did not stop on cancel")
	}
	if stdout.String() != "" {
		t.Errorf("stdout = %q, want nothing: it is the protocol's", stdout.String())
	}
}

func TestVendorStopsOnSignal(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	stdin, keepOpen := io.Pipe() // never closed: only the signal can stop the vendor
	defer keepOpen.Close()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"vendor"}, func(string) string { return "" }, stdin, &stdout, &stderr)
	}()
	go keepOpen.Write([]byte(`{"id":1,"op":"hello"}` + "\n"))
	for deadline := time.Now().Add(5 * time.Second); stdout.String() == "" && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	cancel() // what SIGTERM does, through signal.NotifyContext in main
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after SIGTERM: %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("vendor did not stop on SIGTERM")
	}
	if !strings.Contains(stdout.String(), `"id":1,"ok":true`) {
		t.Errorf("stdout = %q, want the hello reply", stdout.String())
	}
}

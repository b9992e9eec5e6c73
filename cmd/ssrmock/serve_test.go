package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// startServe runs `ssrmock serve args…` on a loopback port until the test ends and returns its
// base URL and its stderr.
func startServe(t *testing.T, args ...string) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--scale", "tiny"}, args...), func(string) string { return "" }, strings.NewReader(""), &stdout, &stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve after shutdown: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not shut down")
		}
	})
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if base := addr.FindString(stdout.String()); base != "" {
			return base, &stderr
		}
	}
	t.Fatalf("serve did not say where it listens: %q %q", stdout.String(), stderr.String())
	return "", nil
}

func TestServeJSONLogsAndPublicURL(t *testing.T) {
	base, stderr := startServe(t, "--log-format", "json", "--public-url", "https://ssr.example.org")
	get := func(path string, out any) int {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if out != nil {
			json.NewDecoder(resp.Body).Decode(out)
		}
		return resp.StatusCode
	}
	if code := get("/healthz", nil); code != 200 {
		t.Errorf("/healthz: %d, want 200", code)
	}
	if code := get("/readyz", nil); code != 200 {
		t.Errorf("/readyz: %d, want 200", code)
	}
	var sb struct{ APIBase string }
	get("/control/v1/sandboxes/default", &sb)
	if sb.APIBase != "https://ssr.example.org/api/v1" {
		t.Errorf("apiBase %q, want https://ssr.example.org/api/v1", sb.APIBase)
	}
	resp, err := http.Post(base+"/api/v1/token", "application/json", strings.NewReader(`{"username":"nobody","secretKey":"nothing"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var lines []map[string]any
	for _, raw := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		var l map[string]any
		if err := json.Unmarshal([]byte(raw), &l); err != nil {
			t.Fatalf("log line %q is not JSON", raw)
		}
		if l["msg"] == "vendor request" {
			delete(l, "time")
			delete(l, "latency")
			lines = append(lines, l)
		}
	}
	want := []map[string]any{{"level": "INFO", "msg": "vendor request", "method": "POST", "route": "token", "status": float64(resp.StatusCode)}}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("vendor request log lines (-want +got):\n%s\n%s", diff, stderr.String())
	}
}

func TestServeFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--log-format", "xml"},
		{"--log-level", "loud"},
		{"--trusted-proxies", "10.0.0.0/8,proxy.local"},
		{"--public-url", "ftp://ssr.example.org"},
	} {
		_, stderr, code := runCmd(t, nil, append([]string{"serve", "--addr", "127.0.0.1:0", "--scale", "tiny"}, args...)...)
		if code != 2 || !strings.Contains(stderr, strings.TrimPrefix(args[0], "--")) && !strings.Contains(stderr, args[1]) {
			t.Errorf("serve %v: exit %d, stderr %q; want exit 2 naming the bad value", args, code, stderr)
		}
	}
}

func TestParsePrefixes(t *testing.T) {
	got, err := parsePrefixes(" 10.0.0.0/8, 192.168.1.7 ,::1,fd00::/8,,10.1.2.3/16")
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.1.7/32"), netip.MustParsePrefix("::1/128"),
		netip.MustParsePrefix("fd00::/8"), netip.MustParsePrefix("10.1.0.0/16")}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
		t.Errorf("parsePrefixes (-want +got):\n%s", diff)
	}
	if p, err := parsePrefixes(""); err != nil || p != nil {
		t.Errorf("parsePrefixes(\"\") = %v, %v; want none", p, err)
	}
}

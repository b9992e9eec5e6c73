package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestControlTokenIsNeverPrinted(t *testing.T) {
	const token = "do-not-print-this-token"
	env := map[string]string{"SSRMOCK_SERVE_CONTROL_TOKEN": token, "SSRMOCK_CONFORM_CONTROL_TOKEN": token}
	for _, args := range [][]string{
		{"serve", "-h"}, {"serve", "--help"}, {"serve", "--colour"}, {"serve", "--seed", "many"}, {"serve", "extra"},
		{"serve", "--log-level", "loud", "--addr", "127.0.0.1:0"}, {"conform", "-h"}, {"conform", "--nope"},
	} {
		stdout, stderr, _ := runCmd(t, env, args...)
		if strings.Contains(stdout+stderr, token) {
			t.Errorf("%q printed the control token:\n%s%s", args, stdout, stderr)
		}
		if args[1] == "-h" && !strings.Contains(stderr, "set from $SSRMOCK_"+strings.ToUpper(args[0])+"_CONTROL_TOKEN") {
			t.Errorf("%q does not say the token came from the environment:\n%s", args, stderr)
		}
	}
	// Other flags' environment defaults still show.
	_, stderr, _ := runCmd(t, map[string]string{"SSRMOCK_SERVE_SCALE": "tiny"}, "serve", "-h")
	if !strings.Contains(stderr, `(default "tiny")`) {
		t.Errorf("serve -h does not show SSRMOCK_SERVE_SCALE's default:\n%s", stderr)
	}
}

// TestServeGuardsTheListener starts ssrmock serve and sends it, over its own listener, a
// rebinding Host, a cross-origin control POST, and the host names --allow-host adds.
func TestServeGuardsTheListener(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--scale", "tiny", "--allow-host", "mock.test, ssrmock"},
			func(string) string { return "" }, strings.NewReader(""), &stdout, &stderr)
	}()
	addrRE := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`)
	var addr string
	for deadline := time.Now().Add(10 * time.Second); addr == "" && time.Now().Before(deadline); {
		select {
		case err := <-done:
			t.Fatalf("serve ended early: %v; stderr %s", err, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if m := addrRE.FindStringSubmatch(stdout.String()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		t.Fatalf("serve did not say where it listens: %q", stdout.String())
	}
	send := func(req string) int {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(c, req)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for host, want := range map[string]int{"rebind.evil.example:8080": 403, "mock.test:80": 200, "ssrmock:8080": 200, addr: 200, "localhost": 200} {
		if got := send("GET /control/v1/sandboxes/default HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"); got != want {
			t.Errorf("Host %s: %d, want %d", host, got, want)
		}
	}
	body := `{"advance":"1h"}`
	post := "POST /control/v1/sandboxes/default/clock HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/json\r\nContent-Length: 16\r\nConnection: close\r\n"
	if got := send(post + "Origin: http://evil.example\r\n\r\n" + body); got != 403 {
		t.Errorf("cross-origin POST: %d, want 403", got)
	}
	if got := send(post + "Origin: http://" + addr + "\r\n\r\n" + body); got != 200 {
		t.Errorf("same-origin POST: %d, want 200", got)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after shutdown: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not shut down")
	}
}

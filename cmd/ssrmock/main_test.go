package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// runCmd runs the program with args and an environment, returning stdout, stderr and the exit code.
func runCmd(t *testing.T, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string { return env[k] }
	// A command expected to fail at once must not hang the test if it starts serving instead.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := run(ctx, args, getenv, strings.NewReader(""), &stdout, &stderr)
	code := exitCode(err, &stderr)
	return stdout.String(), stderr.String(), code
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no command", nil, nil, "no command"},
		{"unknown command", []string{"fly"}, nil, "unknown command"},
		{"unknown scenario", []string{"roster", "--scenario", "1999-00"}, nil, "1999-00"},
		{"unknown scale", []string{"roster", "--scale", "galaxy"}, nil, "galaxy"},
		{"unknown format", []string{"roster", "--scale", "tiny", "--format", "xml"}, nil, "xml"},
		{"unknown flag", []string{"roster", "--colour"}, nil, "colour"},
		{"bad env", []string{"roster"}, map[string]string{"SSRMOCK_ROSTER_SEED": "many"}, "SSRMOCK_ROSTER_SEED"},
		{"unknown LEA", []string{"roster", "--scale", "tiny", "--lea", "99999990000000"}, nil, "99999990000000"},
		{"stray argument", []string{"roster", "extra"}, nil, "extra"},
		{"no room for sandboxes", []string{"serve", "--addr", "127.0.0.1:0", "--max-sandboxes", "0"}, nil, "--max-sandboxes"},
		{"negative idle limit", []string{"serve", "--addr", "127.0.0.1:0", "--sandbox-idle", "-1h"}, nil, "--sandbox-idle"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runCmd(t, tc.env, tc.args...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 mentioning %q", code, stderr, tc.want)
			}
		})
	}
}

func TestRosterIsDeterministic(t *testing.T) {
	args := []string{"roster", "--seed", "42", "--scenario", "2018-19", "--scale", "tiny"}
	a, _, code := runCmd(t, nil, args...)
	b, _, _ := runCmd(t, nil, args...)
	if code != 0 || a == "" || a != b {
		t.Fatalf("two runs with the same seed differ (exit %d, %d and %d bytes)", code, len(a), len(b))
	}
	c, _, _ := runCmd(t, nil, "roster", "--seed", "43", "--scale", "tiny")
	if c == a {
		t.Error("seeds 42 and 43 give the same roster")
	}
	// The environment sets flags too.
	d, _, _ := runCmd(t, map[string]string{"SSRMOCK_ROSTER_SEED": "42", "SSRMOCK_ROSTER_SCALE": "tiny"}, "roster")
	if d != a {
		t.Error("SSRMOCK_ROSTER_SEED and SSRMOCK_ROSTER_SCALE did not give the same roster as the flags")
	}

	rows, err := csv.NewReader(strings.NewReader(a)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != strings.Join(rosterHeader, ",") {
		t.Errorf("header %q", got)
	}
	ssid := regexp.MustCompile(`^\d{10}$`)
	cds := regexp.MustCompile(`^\d{14}$`)
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		if !ssid.MatchString(r[0]) || seen[r[0]] || !cds.MatchString(r[6]) || !strings.HasSuffix(r[7], "0000000") {
			t.Fatalf("bad row %q", r)
		}
		seen[r[0]] = true
	}

	js, _, code := runCmd(t, nil, "roster", "--seed", "42", "--scale", "tiny", "--format", "json")
	var students []rosterRow
	if err := json.Unmarshal([]byte(js), &students); err != nil || code != 0 {
		t.Fatalf("json roster: %v (exit %d)", err, code)
	}
	if len(students) != len(rows)-1 || students[0].SSID != rows[1][0] {
		t.Errorf("json roster has %d students, csv %d", len(students), len(rows)-1)
	}
	lea := rows[1][7]
	one, _, _ := runCmd(t, nil, "roster", "--seed", "42", "--scale", "tiny", "--lea", lea)
	if one != a { // a tiny world has one LEA
		t.Error("--lea of the only LEA differs from the whole roster")
	}
}

// syncBuffer is a bytes.Buffer safe to read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--scale", "tiny"}, func(string) string { return "" }, strings.NewReader(""), &stdout, &stderr)
	}()
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); {
		select {
		case err := <-done:
			t.Fatalf("serve ended early: %v; stderr %s", err, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		base = addr.FindString(stdout.String())
	}
	if base == "" {
		t.Fatalf("serve did not say where it listens: %q", stdout.String())
	}
	resp, err := http.Get(base + "/control/v1/sandboxes/default")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"scale":"tiny"`) {
		t.Errorf("default sandbox: %d %s", resp.StatusCode, body)
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

func TestServeRefusesOpenControlBeyondLoopback(t *testing.T) {
	_, stderr, code := runCmd(t, nil, "serve", "--addr", "0.0.0.0:0", "--scale", "tiny")
	if code != 2 || !strings.Contains(stderr, "control-token") {
		t.Errorf("exit %d, stderr %q; want exit 2 asking for --control-token", code, stderr)
	}
}

func TestExitCode(t *testing.T) {
	var stderr bytes.Buffer
	if got := exitCode(errors.New("boom"), &stderr); got != 1 || !strings.Contains(stderr.String(), "boom") {
		t.Errorf("exitCode(plain error) = %d, stderr %q", got, stderr.String())
	}
}

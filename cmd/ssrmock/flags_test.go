package main

import (
	"strings"
	"testing"
)

// TestEnvPerCommand checks that each command reads its own variables only: a variable of one
// command, or of the old shared form, sets nothing in another.
func TestEnvPerCommand(t *testing.T) {
	flags := []string{"roster", "--scale", "tiny", "--format", "json"}
	seed7, _, code := runCmd(t, nil, append(flags, "--seed", "7")...)
	if code != 0 {
		t.Fatalf("roster exit %d", code)
	}
	seed8, _, _ := runCmd(t, nil, append(flags, "--seed", "8")...)
	seed0, _, _ := runCmd(t, nil, flags...)
	tests := []struct {
		name     string
		env      map[string]string
		want     string // the roster printed
		wantNote string // "" means stderr must be empty
	}{
		{"own variable", map[string]string{"SSRMOCK_ROSTER_SEED": "8"}, seed8, ""},
		{"another command's variables", map[string]string{"SSRMOCK_SERVE_SEED": "7", "SSRMOCK_CONFORM_SEED": "7"}, seed0, ""},
		{"old shared variable", map[string]string{"SSRMOCK_SEED": "7"}, seed0,
			"ssrmock roster: ignoring SSRMOCK_SEED: set SSRMOCK_ROSTER_SEED instead\n"},
		{"old and new", map[string]string{"SSRMOCK_SEED": "7", "SSRMOCK_ROSTER_SEED": "8"}, seed8, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, stderr, code := runCmd(t, tt.env, flags...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if got != tt.want {
				t.Errorf("the roster printed is not the one of the seed the %s should give", tt.name)
			}
			if stderr != tt.wantNote {
				t.Errorf("stderr %q, want %q", stderr, tt.wantNote)
			}
		})
	}
	if seed0 == seed7 || seed7 == seed8 {
		t.Fatal("seeds 0, 7 and 8 do not give three different rosters: the test proves nothing")
	}
}

func TestEnvNamesInHelp(t *testing.T) {
	for cmd, want := range map[string]string{
		"serve":   "($SSRMOCK_SERVE_SEED)",
		"roster":  "($SSRMOCK_ROSTER_SEED)",
		"vendor":  "($SSRMOCK_VENDOR_TIMEOUT)",
		"conform": "($SSRMOCK_CONFORM_TIMEOUT)",
	} {
		_, stderr, code := runCmd(t, nil, cmd, "-h")
		if code != 0 || !strings.Contains(stderr, want) {
			t.Errorf("ssrmock %s -h: exit %d, want help naming %s:\n%s", cmd, code, want, stderr)
		}
	}
}

func TestDriverEnv(t *testing.T) {
	environ := []string{"PATH=/bin", "SSRMOCK_CONFORM_TIMEOUT=1ms", "SSRMOCK_CONFORM_SEED=3", "SSRMOCK_VENDOR_TIMEOUT=5s", "SSRMOCK_CONFORMANCE=x", "HOME=/h"}
	got := driverEnv(environ)
	want := []string{"PATH=/bin", "SSRMOCK_VENDOR_TIMEOUT=5s", "SSRMOCK_CONFORMANCE=x", "HOME=/h"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("driverEnv = %q, want %q", got, want)
	}
	if len(environ) != 6 {
		t.Errorf("driverEnv changed its argument: %q", environ)
	}
}

package main

import (
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionOf(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	tests := []struct {
		name   string
		ldflag string
		info   *debug.BuildInfo
		want   string
	}{
		{"go install at a tag", "", &debug.BuildInfo{Main: debug.Module{Path: "github.com/ssrmock/ssrmock", Version: "v1.4.0"}}, "v1.4.0"},
		{"pseudo-version", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201203000-97e255d1a2b3"}}, "v0.0.0-20261201203000-97e255d1a2b3"},
		{"ldflag wins", "v2.0.0-rc1", &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}, "v2.0.0-rc1"},
		{"checkout, clean", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("97e255d1a2b3c4d5e6f708192a3b4c5d6e7f8091", "false")}, "(devel) 97e255d1a2b3"},
		{"checkout, modified", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("97e255d1a2b3c4d5", "true")}, "(devel) 97e255d1a2b3+dirty"},
		{"no VCS information", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "(devel)"},
		{"test binary", "", &debug.BuildInfo{}, "(devel)"},
		{"no build information", "", nil, "(unknown)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionOf(tt.ldflag, tt.info); got != tt.want {
				t.Errorf("versionOf(%q, …) = %q, want %q", tt.ldflag, got, tt.want)
			}
		})
	}
}

func TestVersionCommand(t *testing.T) {
	want := "ssrmock " + currentVersion() + "\n"
	for _, arg := range []string{"version", "--version"} {
		out, stderr, code := runCmd(t, nil, arg)
		if code != 0 || out != want {
			t.Errorf("ssrmock %s: %q (stderr %q) exit %d, want %q exit 0", arg, out, stderr, code, want)
		}
	}
}

// TestVersionOfBuiltBinary builds the command and checks that it prints the main module's
// version as the go command recorded it in the binary (go version -m).
func TestVersionOfBuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "ssrmock")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	meta, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatalf("go version -m: %v", err)
	}
	info, err := debug.ParseBuildInfo(strings.SplitN(string(meta), "\n", 2)[1])
	if err != nil {
		t.Fatalf("parsing go version -m output: %v\n%s", err, meta)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatalf("ssrmock version: %v", err)
	}
	if got, want := string(out), "ssrmock "+versionOf("", info)+"\n"; got != want {
		t.Errorf("built binary prints %q, want %q (from go version -m)", got, want)
	}
	if strings.Contains(string(out), "(unknown)") {
		t.Errorf("built binary prints %q: it found no build information", out)
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeRejectsBadState: a state serve cannot open ends it with exit 2 and a message
// that says why, and never shows a password given in a PostgreSQL URL.
func TestServeRejectsBadState(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDB, []byte("not a database, but text a user might point --state at by mistake\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		state, want string
	}{
		{filepath.Join(dir, "missing", "ssrmock.db"), "--state"},
		{notDB, "--state"},
		// Nothing listens on port 1: the connection is refused at once.
		{"postgres://ssrmock:hunter2secret@127.0.0.1:1/ssrmock?connect_timeout=5", "--state"},
	} {
		_, stderr, code := runCmd(t, nil, "serve", "--addr", "127.0.0.1:0", "--scale", "tiny", "--state", tc.state)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("serve --state %s: exit %d, stderr %q; want exit 2 naming %s", tc.state, code, stderr, tc.want)
		}
		if strings.Contains(stderr, "hunter2secret") {
			t.Errorf("serve --state %s printed the password: %q", tc.state, stderr)
		}
	}
}

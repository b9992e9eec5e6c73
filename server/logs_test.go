package server

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/ssrmock/ssrmock/server/store"
)

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// TestLogsHoldNoSecret logs at debug level through a whole credential story, secrets sent
// in URLs included, and looks for every secret and token in the log.
func TestLogsHoldNoSecret(t *testing.T) {
	var logs lockedBuffer
	srv, err := New(Config{Scale: "tiny", Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv)
	defer ts.Close()
	e := &testEnv{t: t, srv: srv, ts: ts}
	lea := e.firstLEA("default").CDS
	ssid := e.roster("default", lea, 1)[0].SSID
	var secrets []string
	for range 2 {
		c := e.generate("default", lea)
		tok := e.token(c)
		secrets = append(secrets, c.SecretKey, tok)
		e.do("POST", "/api/v1/token?secretKey="+c.SecretKey, map[string]string{"username": c.Username, "secretKey": c.SecretKey + "x"})
		e.do("GET", "/api/v1/students/"+ssid+"/reports?token="+tok, nil, "Authorization", "Bearer "+tok)
		e.do("GET", "/api/v1/students/"+c.SecretKey+"/reports", nil, "Authorization", "Bearer "+tok)
	}
	out := logs.String()
	if !strings.Contains(out, "credentials generated") || !strings.Contains(out, "request") {
		t.Fatalf("the log does not show the requests at all:\n%s", out)
	}
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("the log holds a secret or token %q:\n%s", s, out)
		}
	}
	var page store.JournalPage
	e.mustDo("GET", "/control/v1/sandboxes/default/journal", nil, http.StatusOK, &page)
	for _, s := range secrets {
		for _, en := range page.Entries {
			if strings.Contains(en.Path, s) || strings.Contains(en.SSID, s) {
				t.Errorf("journal entry %+v holds a secret", en)
			}
		}
	}
}

package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ssrmock/ssrmock/server/store"
)

// failingStore is a memory store whose writes fail while failing is set, as a database that
// went away would.
type failingStore struct {
	*store.Memory
	failing atomic.Bool
}

var errStoreDown = errors.New("connection to 10.1.2.3:5432 refused: password=hunter2")

func (f *failingStore) Update(ctx context.Context, id string, fn func(*store.State) error) (store.State, int64, error) {
	if f.failing.Load() {
		return store.State{}, 0, errStoreDown
	}
	return f.Memory.Update(ctx, id, fn)
}

func (f *failingStore) Append(ctx context.Context, id string, e store.JournalEntry) (int, error) {
	if f.failing.Load() {
		return 0, errStoreDown
	}
	return f.Memory.Append(ctx, id, e)
}

// TestStoreFailureIsUnavailable: while the store cannot take a change, a request that makes
// one, a clock move or a vendor request to journal, is answered 503 unavailable in the
// envelope, without the store's error; once the store is back, so is the server.
func TestStoreFailureIsUnavailable(t *testing.T) {
	fs := &failingStore{Memory: store.NewMemory(store.Options{})}
	e := newTestEnvOn(t, fs)
	lea := e.firstLEA(DefaultSandbox).CDS
	pair := e.generate(DefaultSandbox, lea)
	token := map[string]string{"username": pair.Username, "secretKey": pair.SecretKey}
	fs.failing.Store(true)
	for _, req := range []struct {
		method, path string
		body         any
	}{
		{"POST", "/control/v1/sandboxes/default/clock", map[string]any{"advance": "1h"}},
		{"POST", "/api/v1/token", token},
	} {
		msg := e.wantError(req.method, req.path, req.body, http.StatusServiceUnavailable, CodeUnavailable)
		if strings.Contains(msg, "hunter2") || strings.Contains(msg, "10.1.2.3") {
			t.Errorf("%s %s told the client the store's error: %q", req.method, req.path, msg)
		}
	}
	var page store.JournalPage
	e.mustDo("GET", "/control/v1/sandboxes/default/journal", nil, http.StatusOK, &page)
	if len(page.Entries) != 0 {
		t.Errorf("%d entries journaled while the store failed", len(page.Entries))
	}
	fs.failing.Store(false)
	e.mustDo("POST", "/api/v1/token", token, http.StatusOK, nil)
	e.mustDo("GET", "/control/v1/sandboxes/default/journal", nil, http.StatusOK, &page)
	if len(page.Entries) != 1 || page.Entries[0].Status != http.StatusOK {
		t.Errorf("after the store came back: %+v, want the one answered token request", page.Entries)
	}
}

package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/ssrmock/ssrmock/server/store"
	"github.com/ssrmock/ssrmock/server/store/storetest"
)

// openPostgres opens the database at url, closed when the test ends.
func openPostgres(t *testing.T, url string) *store.SQL {
	t.Helper()
	s, err := store.OpenPostgres(context.Background(), url, store.Options{JournalSize: storetest.JournalSize})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// replicas opens stores on one database per test: the first call for a test creates the
// database, every later call for the same test opens another handle on it, as a second
// server would.
type replicas struct {
	mu  sync.Mutex
	url map[*testing.T]string
}

func (r *replicas) open(t *testing.T) store.Store {
	r.mu.Lock()
	url, ok := r.url[t]
	if !ok {
		url = pgStart(t)
		r.url[t] = url
	}
	r.mu.Unlock()
	return openPostgres(t, url)
}

func TestPostgres(t *testing.T) {
	r := &replicas{url: map[*testing.T]string{}}
	storetest.Run(t, r.open)
}

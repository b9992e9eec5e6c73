package store_test

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ssrmock/ssrmock/server/store"
	"github.com/ssrmock/ssrmock/server/store/storetest"
)

// testJournalBounded appends many times the journal's size and counts the rows the
// database holds: old entries are dropped as the journal grows, not only hidden.
func testJournalBounded(t *testing.T, s store.Store, db *sql.DB) {
	ctx := context.Background()
	must(t, s.Create(ctx, storetest.Sandbox("a"), store.State{}, 10))
	const n = 20 * storetest.JournalSize
	for range n {
		if _, err := s.Append(ctx, "a", store.JournalEntry{Route: "token", Status: 200}); err != nil {
			t.Fatal(err)
		}
	}
	var rows, oldest int
	must(t, db.QueryRow(`SELECT count(*), min(seq) FROM journal WHERE sandbox = 'a'`).Scan(&rows, &oldest))
	// Drops come in batches of 64 (trimEvery): at most 63 more than the size stay stored.
	if rows < storetest.JournalSize || rows > storetest.JournalSize+63 || oldest != n-rows+1 {
		t.Errorf("after %d appends to a journal of %d, %d rows are stored from %d", n, storetest.JournalSize, rows, oldest)
	}
	p, err := s.Journal(ctx, "a", 0, 1000)
	must(t, err)
	if len(p.Entries) != storetest.JournalSize || p.Entries[0].Seq != n-storetest.JournalSize+1 || p.Dropped != n-storetest.JournalSize {
		t.Errorf("the journal shows %d entries, dropped %d", len(p.Entries), p.Dropped)
	}
}

// testJournalFailureIsolated makes every append to one sandbox fail (refuse, given the
// database behind the store's back, sees to that) while others append to another: the
// failures stay that sandbox's, however the store gathers concurrent appends into
// transactions.
func testJournalFailureIsolated(t *testing.T, s store.Store, db *sql.DB, refuse string) {
	ctx := context.Background()
	must(t, s.Create(ctx, storetest.Sandbox("a"), store.State{}, 10))
	must(t, s.Create(ctx, storetest.Sandbox("b"), store.State{}, 10))
	if _, err := db.Exec(refuse); err != nil {
		t.Fatal(err)
	}
	const writers, each = 16, 3 // a's 45 entries fit its journal
	var wg sync.WaitGroup
	var failedB atomic.Int32
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				id := "a"
				if w == 0 {
					id = "b"
				}
				_, err := s.Append(ctx, id, store.JournalEntry{Route: "token", Status: 200})
				switch {
				case id == "b" && err != nil:
					failedB.Add(1)
				case err != nil:
					t.Errorf("an append to a failed: %v", err)
				}
			}
		}()
	}
	wg.Wait()
	if failedB.Load() != each {
		t.Errorf("%d of %d appends to b failed, want all", failedB.Load(), each)
	}
	p, err := s.Journal(ctx, "a", 0, 1000)
	must(t, err)
	if want := (writers - 1) * each; len(p.Entries) != want || p.Next != want {
		t.Errorf("a holds %d entries up to %d, want %d", len(p.Entries), p.Next, want)
	}
}

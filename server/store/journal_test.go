package store_test

import (
	"context"
	"database/sql"
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

package store_test

import (
	"context"
	"testing"

	"github.com/ssrmock/ssrmock/internal/pgtest"
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

func TestPostgres(t *testing.T) {
	// Two calls of open for one test are two servers on one database.
	dbs := newPlaces(func(t *testing.T) string { return pgtest.Start(t) })
	storetest.Run(t, func(t *testing.T) store.Store { return openPostgres(t, dbs.at(t)) })
}

func TestPostgresDurable(t *testing.T) {
	dbs := newPlaces(func(t *testing.T) string { return pgtest.Start(t) })
	storetest.RunDurable(t, func(t *testing.T) store.Store { return openPostgres(t, dbs.at(t)) })
}

func TestPostgresJournalBounded(t *testing.T) {
	url := pgtest.Start(t)
	testJournalBounded(t, openPostgres(t, url), sqlOpen(t, "pgx", url))
}

func TestPostgresJournalFailureIsolated(t *testing.T) {
	url := pgtest.Start(t)
	// PostgreSQL numbers from the counter row: a row already holding b's next number
	// refuses each of b's appends.
	testJournalFailureIsolated(t, openPostgres(t, url), sqlOpen(t, "pgx", url),
		`INSERT INTO journal (sandbox, seq, entry) VALUES ('b', 1, '{}')`)
}

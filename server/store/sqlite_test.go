package store_test

import (
	"path/filepath"
	"testing"

	"github.com/ssrmock/ssrmock/server/store"
	"github.com/ssrmock/ssrmock/server/store/storetest"
)

// openSQLite opens the SQLite file at path, closed when the test ends.
func openSQLite(t *testing.T, path string) *store.SQL {
	t.Helper()
	s, err := store.OpenSQLite(path, store.Options{JournalSize: storetest.JournalSize})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func tempFile(t *testing.T) string { return filepath.Join(t.TempDir(), "state.db") }

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openSQLite(t, tempFile(t)) })
}

func TestSQLiteDurable(t *testing.T) {
	files := newPlaces(tempFile)
	storetest.RunDurable(t, func(t *testing.T) store.Store { return openSQLite(t, files.at(t)) })
}

func TestSQLiteJournalBounded(t *testing.T) {
	path := tempFile(t)
	testJournalBounded(t, openSQLite(t, path), sqlOpen(t, "sqlite", path))
}

func TestSQLiteJournalFailureIsolated(t *testing.T) {
	path := tempFile(t)
	// SQLite numbers from the journal itself, so a trigger refuses b's entries.
	testJournalFailureIsolated(t, openSQLite(t, path), sqlOpen(t, "sqlite", path),
		`CREATE TRIGGER refuse_b BEFORE INSERT ON journal WHEN NEW.sandbox = 'b' BEGIN SELECT RAISE(ABORT, 'refused'); END`)
}

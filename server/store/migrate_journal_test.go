package store_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ssrmock/ssrmock/server/store"
)

// TestSQLiteJournalSurvivesVersion2 opens a state file of schema version 1 holding a journal:
// version 2 rebuilds the journal table, and every entry is still there, numbering going on
// after the newest.
func TestSQLiteJournalSurvivesVersion2(t *testing.T) {
	ctx := context.Background()
	path := tempFile(t)
	db := sqlOpen(t, "sqlite", path+"?_pragma=foreign_keys(1)")
	first, err := os.ReadFile("migrations/0001_sandboxes.sql")
	must(t, err)
	n, err := store.MigrateFS(ctx, db, fstest.MapFS{"m/0001_sandboxes.sql": {Data: first}}, "m", "sqlite")
	must(t, err)
	if n != 1 {
		t.Fatalf("applied %d migrations of version 1, want 1", n)
	}
	for _, q := range []string{
		`INSERT INTO sandboxes (id, spec, sign_key, created_at, last_used, version, state) VALUES ('a', '{"seed":1}', '00', 0, 0, 1, '{}')`,
		`INSERT INTO counters (sandbox, journal_next, seen) VALUES ('a', 4, 0)`,
		`INSERT INTO journal (sandbox, seq, entry) VALUES ('a', 1, '{"seq":1,"route":"token"}'), ('a', 2, '{"seq":2,"route":"reports"}'), ('a', 3, '{"seq":3,"route":"pdf"}')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	must(t, db.Close())

	s := openSQLite(t, path)
	p, err := s.Journal(ctx, "a", 0, 10)
	must(t, err)
	if len(p.Entries) != 3 || p.Entries[0].Route != "token" || p.Entries[2].Seq != 3 || p.Missed != 0 {
		t.Fatalf("after version 2 the journal holds %+v", p)
	}
	var ddl string
	must(t, sqlOpen(t, "sqlite", path).QueryRow(`SELECT sql FROM sqlite_schema WHERE name = 'journal'`).Scan(&ddl))
	if !strings.HasSuffix(ddl, "WITHOUT ROWID") {
		t.Errorf("the journal table after version 2 is %s", ddl)
	}
	seq, err := s.Append(ctx, "a", store.JournalEntry{Route: "token"})
	if err != nil || seq != 4 {
		t.Errorf("the next append: %d, %v; want 4", seq, err)
	}
}

package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/ssrmock/ssrmock/server/store"
	"github.com/ssrmock/ssrmock/server/store/storetest"
)

// TestSQLiteBadFiles opens what is not a usable state file: each gives an error, none a
// panic, and a file that is not ours is left as it was.
func TestSQLiteBadFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		must(t, os.WriteFile(p, data, 0o600))
		return p
	}
	garbage := bytes.Repeat([]byte("not a database, just text. "), 400)
	foreign := filepath.Join(dir, "foreign.db")
	db := sqlOpen(t, "sqlite", foreign)
	if _, err := db.Exec(`CREATE TABLE invoices (id INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	foreignBefore, err := os.ReadFile(foreign)
	must(t, err)
	// An ssrmock file cut short in its first page.
	cut := filepath.Join(dir, "cut.db")
	s := openSQLite(t, cut)
	must(t, s.Create(context.Background(), storetest.Sandbox("a"), store.State{}, 10))
	must(t, s.Close())
	whole, err := os.ReadFile(cut)
	must(t, err)
	must(t, os.WriteFile(cut, whole[:1000], 0o600))

	for name, path := range map[string]string{
		"a missing directory":         filepath.Join(dir, "no", "such", "dir", "state.db"),
		"a directory":                 dir,
		"text":                        write("text.db", garbage),
		"an SQLite header on garbage": write("header.db", append([]byte("SQLite format 3\x00"), garbage...)),
		"another program's database":  foreign,
		"a file cut short":            cut,
	} {
		s, err := store.OpenSQLite(path, store.Options{})
		if err == nil {
			// Some damage only shows when the data is read: it must show as an error.
			_, err = s.Sandboxes(context.Background())
			s.Close()
		}
		if err == nil {
			t.Errorf("%s (%s) opened and read as a state file", name, path)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
	if after, err := os.ReadFile(foreign); err != nil || !bytes.Equal(after, foreignBefore) {
		t.Errorf("another program's database was changed by the attempt to open it (%v)", err)
	}
}

// TestSQLiteOneServerPerFile opens a file twice: the second open fails while the first
// holds it, and succeeds once it is closed.
func TestSQLiteOneServerPerFile(t *testing.T) {
	path := tempFile(t)
	first := openSQLite(t, path)
	if s, err := store.OpenSQLite(path, store.Options{}); err == nil {
		s.Close()
		t.Fatal("a second open of a held state file succeeded")
	} else {
		checkQuoted(t, err)
	}
	must(t, first.Close())
	must(t, openSQLite(t, path).Close())
}

func TestPostgresBadURLs(t *testing.T) {
	for name, url := range map[string]string{
		"no server": "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=5",
		"malformed": "postgres://%zz@/",
		"not a URL": "this is no connection string",
	} {
		s, err := store.OpenPostgres(context.Background(), url, store.Options{})
		if err == nil {
			s.Close()
			t.Errorf("%s: %q opened", name, url)
			continue
		}
		if errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: timed out instead of failing: %v", name, err)
		}
		t.Logf("%s: %v", name, err)
	}
}

// TestSQLiteWAL checks the file is in WAL mode once opened, as the durability described in
// docs/state.md assumes.
func TestSQLiteWAL(t *testing.T) {
	path := tempFile(t)
	s := openSQLite(t, path)
	must(t, s.Create(context.Background(), storetest.Sandbox("a"), store.State{}, 10))
	var mode string
	must(t, sqlOpen(t, "sqlite", path).QueryRow(`PRAGMA journal_mode`).Scan(&mode))
	if mode != "wal" {
		t.Errorf("journal_mode %q, want wal", mode)
	}
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Errorf("no write-ahead log beside the file: %v", err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-lock"} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, want mode 0600 (it holds signing keys)", p, err)
		}
	}
}

// TestSQLiteDamagedRows reads rows damaged behind the store's back: each read answers an
// error naming the sandbox, none panics.
func TestSQLiteDamagedRows(t *testing.T) {
	path := tempFile(t)
	s := openSQLite(t, path)
	ctx := context.Background()
	for _, id := range []string{"state", "key", "entry"} {
		must(t, s.Create(ctx, storetest.Sandbox(id), store.State{}, 10))
		_, err := s.Append(ctx, id, store.JournalEntry{Route: "token"})
		must(t, err)
	}
	db := sqlOpen(t, "sqlite", path)
	for _, q := range []string{
		`UPDATE sandboxes SET state = '{"clock":' WHERE id = 'state'`,
		`UPDATE sandboxes SET sign_key = 'not hex' WHERE id = 'key'`,
		`UPDATE journal SET entry = '[1,2' WHERE sandbox = 'entry'`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	checks := map[string]error{}
	_, _, checks["Load"] = s.Load(ctx, "state")
	_, _, checks["Update"] = s.Update(ctx, "state", func(*store.State) error { return nil })
	_, checks["Regenerate"] = s.Regenerate(ctx, "state", "x", storetest.Credential("x", "u"), 1)
	_, checks["Sandbox"] = s.Sandbox(ctx, "key")
	_, checks["Sandboxes"] = s.Sandboxes(ctx)
	_, checks["Journal"] = s.Journal(ctx, "entry", 0, 10)
	for name, err := range checks {
		if err == nil {
			t.Errorf("%s of a damaged row answered no error", name)
		} else if !regexp.MustCompile(`sandbox (state|key|entry):`).MatchString(err.Error()) {
			t.Errorf("%s: the error %q does not name the sandbox", name, err)
		}
	}
}

package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/ssrmock/ssrmock/internal/pgtest"
	"github.com/ssrmock/ssrmock/server/store"
)

// knownVersions is the number of versions in migrations/.
func knownVersions(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	versions := map[string]bool{} // a version written for each database is two files
	for _, e := range entries {
		versions[e.Name()[:4]] = true
	}
	return len(versions)
}

// appliedVersions lists schema_migrations' versions, in order, each as often as it is listed.
func appliedVersions(t *testing.T, db *sql.DB) []int {
	t.Helper()
	return queryInts(t, db, `SELECT version FROM schema_migrations ORDER BY version`)
}

// queryInts runs q, which selects one integer column, and returns its values in order.
func queryInts(t *testing.T, db *sql.DB, q string) []int {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func sqlOpen(t *testing.T, driver, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// oneToN is 1…n.
func oneToN(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

func TestSQLiteMigratesOnce(t *testing.T) {
	path := tempFile(t)
	for range 3 {
		must(t, openSQLite(t, path).Close())
	}
	if got, want := appliedVersions(t, sqlOpen(t, "sqlite", path)), oneToN(knownVersions(t)); !slices.Equal(got, want) {
		t.Errorf("after three opens schema_migrations lists %v, want %v", got, want)
	}
}

func TestPostgresMigratesOnce(t *testing.T) {
	url := pgtest.Start(t)
	// Four servers starting at once: the advisory lock makes them migrate in turn.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := store.OpenPostgres(context.Background(), url, store.Options{})
			if err == nil {
				err = s.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	must(t, errors.Join(errs...))
	must(t, openPostgres(t, url).Close())
	if got, want := appliedVersions(t, sqlOpen(t, "pgx", url)), oneToN(knownVersions(t)); !slices.Equal(got, want) {
		t.Errorf("after five opens, four at once, schema_migrations lists %v, want %v", got, want)
	}
}

// testSchemaNewer stamps the database with a version after the newest known and checks that
// open refuses it and leaves it alone.
func testSchemaNewer(t *testing.T, db *sql.DB, open func() error) {
	future := knownVersions(t) + 1
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'future.sql', 0)`, future); err != nil {
		t.Fatal(err)
	}
	err := open()
	if !errors.Is(err, store.ErrSchemaNewer) {
		t.Fatalf("open of a database at version %d: %v, want ErrSchemaNewer", future, err)
	}
	if want := fmt.Sprintf("it is at version %d, this ssrmock knows versions up to %d", future, future-1); !strings.Contains(err.Error(), want) {
		t.Errorf("the error %q does not say %q", err, want)
	}
	checkQuoted(t, err)
	if got, want := appliedVersions(t, db), oneToN(future); !slices.Equal(got, want) {
		t.Errorf("the refused database lists %v, want %v", got, want)
	}
}

func TestSQLiteRefusesNewerSchema(t *testing.T) {
	path := tempFile(t)
	must(t, openSQLite(t, path).Close())
	testSchemaNewer(t, sqlOpen(t, "sqlite", path), func() error {
		s, err := store.OpenSQLite(path, store.Options{})
		if err == nil {
			s.Close()
		}
		return err
	})
}

func TestPostgresRefusesNewerSchema(t *testing.T) {
	url := pgtest.Start(t)
	must(t, openPostgres(t, url).Close())
	testSchemaNewer(t, sqlOpen(t, "pgx", url), func() error {
		s, err := store.OpenPostgres(context.Background(), url, store.Options{})
		if err == nil {
			s.Close()
		}
		return err
	})
}

// testMigrateFS applies hand-made migrations: in order, each once, a failed one rolled
// back whole, and badly named or numbered sets refused.
// testMigrateFS applies migrations from a test file system to db, whose dialect is dialect
// and other the other one's.
func testMigrateFS(t *testing.T, db *sql.DB, dialect, other string) {
	ctx := context.Background()
	fsys := fstest.MapFS{
		"m/0001_table.sql": {Data: []byte("CREATE TABLE t (x BIGINT NOT NULL);")},
		"m/0002_rows.sql":  {Data: []byte("INSERT INTO t (x) VALUES (2);\nINSERT INTO t (x) VALUES (20);")},
	}
	rows := func() []int {
		t.Helper()
		return queryInts(t, db, `SELECT x FROM t ORDER BY x`)
	}
	for i, want := range []int{2, 0} {
		n, err := store.MigrateFS(ctx, db, fsys, "m", dialect)
		must(t, err)
		if n != want {
			t.Errorf("run %d applied %d migrations, want %d", i+1, n, want)
		}
	}
	// Version 3 is written for each database: only this one's is applied.
	fsys["m/0003_more."+dialect+".sql"] = &fstest.MapFile{Data: []byte("INSERT INTO t (x) VALUES (3);")}
	fsys["m/0003_more."+other+".sql"] = &fstest.MapFile{Data: []byte("INSERT INTO nowhere (x) VALUES (3);")}
	fsys["m/0004_broken.sql"] = &fstest.MapFile{Data: []byte("INSERT INTO t (x) VALUES (4);\nINSERT INTO nowhere (x) VALUES (4);")}
	n, err := store.MigrateFS(ctx, db, fsys, "m", dialect)
	if err == nil || !strings.Contains(err.Error(), "0004_broken.sql") || n != 1 {
		t.Errorf("a broken fourth migration: applied %d, error %v; want 1 and an error naming it", n, err)
	}
	if got := rows(); !slices.Equal(got, []int{2, 3, 20}) {
		t.Errorf("t holds %v, want 2 3 20: each migration once, the broken one not at all", got)
	}
	if got := appliedVersions(t, db); !slices.Equal(got, []int{1, 2, 3}) {
		t.Errorf("schema_migrations lists %v, want 1 2 3", got)
	}
	for name, bad := range map[string]fstest.MapFS{
		"a gap":                    {"m/0001_a.sql": {Data: []byte("SELECT 1;")}, "m/0003_c.sql": {Data: []byte("SELECT 1;")}},
		"a bad name":               {"m/1_a.sql": {Data: []byte("SELECT 1;")}},
		"a twin":                   {"m/0001_a.sql": {Data: []byte("SELECT 1;")}, "m/0001_b.sql": {Data: []byte("SELECT 1;")}},
		"a twin for this database": {"m/0001_a.sql": {Data: []byte("SELECT 1;")}, "m/0001_a." + dialect + ".sql": {Data: []byte("SELECT 1;")}},
		"a version for the other database only": {"m/0001_a.sql": {Data: []byte("SELECT 1;")}, "m/0002_b." + other + ".sql": {Data: []byte("SELECT 1;")},
			"m/0003_c.sql": {Data: []byte("SELECT 1;")}},
	} {
		if _, err := store.MigrateFS(ctx, db, bad, "m", dialect); err == nil {
			t.Errorf("migrations with %s were applied", name)
		}
	}
}

func TestSQLiteMigrateFS(t *testing.T) {
	testMigrateFS(t, sqlOpen(t, "sqlite", tempFile(t)), "sqlite", "postgres")
}

func TestPostgresMigrateFS(t *testing.T) {
	testMigrateFS(t, sqlOpen(t, "pgx", pgtest.Start(t)), "postgres", "sqlite")
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

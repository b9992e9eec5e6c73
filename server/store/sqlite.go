package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver: pure Go, no cgo
)

// SQLite settings, our choices:
//
//   - WAL: readers never wait for the writer, and a commit appends to one file.
//   - synchronous=NORMAL: a commit has reached the operating system (the WAL file) before it
//     returns, so it survives the server's crash, kill -9 included; only the operating
//     system's crash or a power cut may take back the last commits (never corrupting the
//     file). FULL would add an fsync to every commit to cover those too.
//   - busy_timeout: a read that meets a checkpoint waits for it instead of failing.
//   - foreign_keys: deleting a sandbox deletes what it holds (ON DELETE CASCADE).
//
// journal_mode is the file's, set once the file is known to be ssrmock's (migrateSQLite);
// the others are each connection's.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)"

// sqliteReaders is the size of the read pool: reads run side by side, each on its own
// WAL snapshot.
const sqliteReaders = 4

// OpenSQLite opens the SQLite file at path as a store, creating it if it does not exist and
// migrating its schema to the newest. One process at a time may hold the file: a second
// OpenSQLite of it, in this process or another, fails until the first is closed (or its
// process ends, kill -9 included). A file that is not SQLite, or an SQLite database of
// something else than ssrmock, is refused.
func OpenSQLite(path string, o Options) (*SQL, error) {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("state file %s is not a regular file", path)
	}
	release, err := lockFile(path + "-lock")
	if err != nil {
		return nil, err
	}
	// A new file is made readable by its owner only: it holds signing keys. SQLite gives its
	// -wal and -shm files the same mode.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	}
	s, err := openSQLite(path, o)
	if err != nil {
		release()
		return nil, err
	}
	s.release = release
	return s, nil
}

func openSQLite(path string, o Options) (*SQL, error) {
	dsn := sqliteURI(path)
	// The writer: one connection, and BEGIN IMMEDIATE so that a transaction takes the
	// write lock before it reads. It leaves checkpoints to the checkpointer.
	w, err := sql.Open("sqlite", dsn+"?_txlock=immediate&_pragma=wal_autocheckpoint(0)&"+sqlitePragmas)
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	s := &SQL{w: w, writes: statements{db: w}, journalSize: o.journalSize()}
	ctx := context.Background()
	if err := s.migrateSQLite(ctx, path); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn+"?_pragma=query_only(1)&"+sqlitePragmas)
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(sqliteReaders)
	r.SetMaxIdleConns(sqliteReaders)
	s.r, s.reads.db = r, r
	if s.checkpoints, err = startCheckpointer(dsn); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// migrateSQLite checks that the file is ssrmock's (or empty) and migrates it.
func (s *SQL) migrateSQLite(ctx context.Context, path string) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("state file %s: %w", path, err)
	}
	defer conn.Close()
	var ours, others int
	err = conn.QueryRowContext(ctx, `SELECT
		count(*) FILTER (WHERE name = 'schema_migrations'),
		count(*) FILTER (WHERE name <> 'schema_migrations')
		FROM sqlite_schema WHERE type = 'table'`).Scan(&ours, &others)
	if err != nil {
		return fmt.Errorf("state file %s is not an SQLite database ssrmock can use: %w", path, err)
	}
	if ours == 0 && others > 0 {
		return fmt.Errorf("state file %s is an SQLite database of something else than ssrmock (it has tables but no schema_migrations): refusing to change it", path)
	}
	var mode string
	if err := conn.QueryRowContext(ctx, `PRAGMA journal_mode = WAL`).Scan(&mode); err != nil || mode != "wal" {
		return fmt.Errorf("state file %s: cannot use WAL mode (%q, %v)", path, mode, err)
	}
	ms, err := migrations(migrationFiles, "migrations", "sqlite")
	if err != nil {
		return err
	}
	if _, err := migrate(ctx, conn, ms, time.Now()); err != nil {
		return fmt.Errorf("state file %s: %w", path, err)
	}
	return nil
}

// errLocked is the error of opening a state file another store holds.
var errLocked = errors.New("another ssrmock server holds the state file (one server per file: use PostgreSQL for several)")

// sqliteURI is path as an SQLite URI: a file: URI whose query the driver reads, with every
// byte of the path but the plainest percent-encoded, so that a '?' or '#' in a file name
// stays in the name.
func sqliteURI(path string) string {
	const plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-~"
	var b strings.Builder
	b.WriteString("file:")
	for i := 0; i < len(path); i++ {
		if c := path[i]; strings.IndexByte(plain, c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

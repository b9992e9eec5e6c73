package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// migrationFiles are the schema's versions, applied in order at open: NNNN_what.sql, where
// NNNN is the version, for both databases, or NNNN_what.sqlite.sql and NNNN_what.postgres.sql,
// one version written for each (every version exists for both, so that one number names one
// schema). A released file never changes; a change of schema is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// ErrSchemaNewer is the error of opening a database whose schema is newer than this
// program knows: a newer ssrmock has migrated it, and this one would misread it.
var ErrSchemaNewer = errors.New("the state database's schema is newer than this ssrmock knows")

// migration is one version of the schema.
type migration struct {
	version int64
	name    string
	sql     string
}

var migrationName = regexp.MustCompile(`^([0-9]{4})_[a-z0-9_]+(\.(sqlite|postgres))?\.sql$`)

// migrations reads the migrations in dir of fsys for the database dialect ("sqlite" or
// "postgres"), in order of version. Versions start at 1 and follow each other without gaps.
func migrations(fsys fs.FS, dir, dialect string) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("migration %s: the name is not NNNN_what.sql (or NNNN_what.sqlite.sql, NNNN_what.postgres.sql)", e.Name())
		}
		if m[3] != "" && m[3] != dialect {
			continue // the other database's
		}
		v, _ := strconv.ParseInt(m[1], 10, 64)
		text, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(text)})
	}
	slices.SortFunc(out, func(a, b migration) int { return int(a.version - b.version) })
	for i, m := range out {
		if m.version != int64(i+1) {
			return nil, fmt.Errorf("migration %s: version %d where %d was expected", m.name, m.version, i+1)
		}
	}
	return out, nil
}

// migrate brings the database conn is on to the newest schema of ms: it applies, in order
// and each in its own transaction, the migrations schema_migrations does not list, and
// lists them. The caller makes sure no one else migrates the database meanwhile (an
// advisory lock with PostgreSQL; one writer and a file lock with SQLite). A database that
// lists a version ms lacks is refused with ErrSchemaNewer and left as it is.
func migrate(ctx context.Context, conn *sql.Conn, ms []migration, now time.Time) (applied int, err error) {
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    BIGINT PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at BIGINT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("creating schema_migrations: %w", err)
	}
	done := map[int64]bool{}
	rows, err := conn.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return 0, fmt.Errorf("reading schema_migrations: %w", err)
	}
	var newest int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return 0, err
		}
		done[v] = true
		newest = max(newest, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if known := int64(len(ms)); newest > known {
		return 0, fmt.Errorf("%w: it is at version %d, this ssrmock knows versions up to %d; run a newer ssrmock, or start afresh with another database", ErrSchemaNewer, newest, known)
	}
	for _, m := range ms {
		if done[m.version] {
			continue
		}
		if err := applyMigration(ctx, conn, m, now); err != nil {
			return applied, fmt.Errorf("migration %s: %w", m.name, err)
		}
		applied++
	}
	return applied, nil
}

func applyMigration(ctx context.Context, conn *sql.Conn, m migration, now time.Time) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		m.version, m.name, now.UnixNano()); err != nil {
		return err
	}
	return tx.Commit()
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// Advisory lock keys, the same on every server sharing a database: one serializes
// migrations at open, the other Create's count of sandboxes. Both are arbitrary numbers,
// spelling "ssrmock" and a suffix in ASCII, unlikely to meet another program's.
const (
	pgMigrateLock int64 = 0x7373726d6f636b4d // "ssrmockM"
	pgCreateLock  int64 = 0x7373726d6f636b43 // "ssrmockC"
)

// pgConns bounds each server's connections to PostgreSQL.
const pgConns = 16

// OpenPostgres opens the PostgreSQL database at url (a postgres:// or postgresql:// URL,
// or any connection string pgx reads) as a store shared with every other server that opens
// it, and migrates its schema to the newest. Servers opening one database at the same
// moment migrate it one after the other (an advisory lock), so each migration is applied
// once.
func OpenPostgres(ctx context.Context, url string, o Options) (*SQL, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("state database: %w", err)
	}
	db.SetMaxOpenConns(pgConns)
	db.SetMaxIdleConns(pgConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := migratePostgres(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("state database: %w", err)
	}
	return &SQL{
		w: db, r: db, reads: statements{db: db}, writes: statements{db: db}, shared: true, journalSize: o.journalSize(),
		updateLock: " FOR NO KEY UPDATE",
		lockCreate: func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, pgCreateLock)
			return err
		},
	}, nil
}

// migratePostgres migrates the database under a session advisory lock, taken on one
// connection and released on it (or by the server, should this process die meanwhile).
func migratePostgres(ctx context.Context, db *sql.DB) error {
	ms, err := migrations(migrationFiles, "migrations", "postgres")
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, pgMigrateLock); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, pgMigrateLock)
	_, err = migrate(ctx, conn, ms, time.Now())
	return err
}

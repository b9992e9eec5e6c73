package store

import (
	"context"
	"database/sql"
	"io/fs"
	"time"
)

// MigrateFS applies the migrations in dir of fsys to db as an open applies the embedded
// ones, without the open's lock, and returns how many it applied.
func MigrateFS(ctx context.Context, db *sql.DB, fsys fs.FS, dir, dialect string) (int, error) {
	ms, err := migrations(fsys, dir, dialect)
	if err != nil {
		return 0, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	return migrate(ctx, conn, ms, time.Unix(0, 0))
}

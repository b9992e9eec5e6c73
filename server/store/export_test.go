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

// SettleCheckpoints waits until every checkpoint the SQLite store's writer asked for so far
// is done.
func (s *SQL) SettleCheckpoints() {
	reply := make(chan struct{})
	s.checkpoints.settle <- reply
	<-reply
}

// CheckpointEvery is how many commits the SQLite writer makes between two checkpoints, and
// WALRestartFrames how many pages the WAL holds before a checkpoint starts it again.
const (
	CheckpointEvery  = checkpointEvery
	WALRestartFrames = walRestartFrames
)

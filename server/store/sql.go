package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"
)

// SQL is a store in a SQL database: an SQLite file (OpenSQLite) or a PostgreSQL database
// (OpenPostgres), with one schema and one set of statements for both.
//
// Every change is one transaction, committed before the method returns. What differs is
// how writers are kept apart:
//
//   - SQLite: one process owns the file (a lock beside it keeps a second server out) and
//     writes through a single connection, so writes are serialized in the process; reads go
//     through a pool of read-only connections and, in WAL mode, never wait for a write.
//   - PostgreSQL: several servers share the database. Transactions run at READ COMMITTED.
//     Update and Regenerate lock the sandbox's row (SELECT … FOR NO KEY UPDATE) before they
//     read the state, so the updates of one sandbox are serialized across servers and each
//     one's fn sees the newest state. FOR NO KEY UPDATE is the lock the row's UPDATE takes
//     anyway: it excludes the other writers of the row and nothing else (FOR UPDATE would
//     also hold up the foreign key checks of rows referencing the sandbox). Append numbers
//     an entry by UPDATE … RETURNING on the sandbox's counter row, a row apart so that the
//     journal never waits for a change of state, in the transaction that inserts the entry:
//     the row lock is held until commit, so numbers are issued in commit order, with no
//     duplicate and no gap. Create counts the sandboxes under
//     a transaction-scoped advisory lock, so that two servers cannot both take the last
//     place.
//
// A stronger level (REPEATABLE READ, SERIALIZABLE) would add nothing these locks do not
// give, and would make concurrent writers fail and retry instead of wait.
//
// With either database, the journal entries of concurrent Appends are written in one
// transaction (see appendQueue), since a commit, not the row, is what an entry costs.
type SQL struct {
	// w is where changes go; r is where reads go (the same pool for PostgreSQL).
	w, r   *sql.DB
	shared bool
	// lockCreate serializes Create's count of sandboxes across servers: nil when the
	// database has one writer anyway.
	lockCreate  func(context.Context, *sql.Tx) error
	updateLock  string // appended to the SELECT of a state that will be updated
	journalSize int
	release     func() error // frees what Close frees besides the pools, or nil

	// reads and writes are the statements prepared on r and w.
	reads, writes statements
	appends       appendQueue
	usernames     usernameCache  // used when not shared
	numbers       journalNumbers // used when not shared
	checkpoints   *checkpointer  // SQLite's; nil for PostgreSQL

	closeOnce sync.Once
	closeErr  error
}

// readRows runs the read statement q.
func (s *SQL) readRows(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := s.reads.get(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// readRow runs the read statement q for one row.
func (s *SQL) readRow(ctx context.Context, q string, args ...any) rowScanner {
	st, err := s.reads.get(ctx, q)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(ctx, args...)
}

// Shared reports whether other servers may change the store: true for PostgreSQL, false for
// SQLite, whose file one process owns.
func (s *SQL) Shared() bool { return s.shared }

// write runs fn in a transaction on the write pool and commits it unless fn fails.
func (s *SQL) write(ctx context.Context, fn func(txn) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // after a commit, a no-op; after a panic in fn, what frees the writer
	err = fn(txn{tx, ctx, &s.writes})
	if err == nil {
		if err = tx.Commit(); err == nil && s.checkpoints != nil && s.checkpoints.committed() {
			passiveCheckpoint(ctx, s.w)
		}
	} else {
		tx.Rollback()
	}
	if err != nil {
		s.numbers.reset() // numbers the rolled-back transaction took are free again
	}
	s.writes.preparePending(ctx)
	return err
}

// Create adds a sandbox, its counters and the User Names of its first state.
func (s *SQL) Create(ctx context.Context, sb Sandbox, st State, max int) error {
	st = st.Clone()
	st.init()
	state, err := encodeState(st)
	if err != nil {
		return err
	}
	defer s.usernames.changed()
	return s.write(ctx, func(tx txn) error {
		if s.lockCreate != nil {
			if err := s.lockCreate(ctx, tx.Tx); err != nil {
				return err
			}
		}
		var n int
		var taken bool
		if err := tx.queryRow(`SELECT (SELECT count(*) FROM sandboxes), EXISTS (SELECT 1 FROM sandboxes WHERE id = $1)`,
			sb.ID).Scan(&n, &taken); err != nil {
			return err
		}
		switch {
		case taken:
			return ErrExists
		case n >= max:
			return ErrLimit
		}
		if _, err := tx.exec(`INSERT INTO sandboxes (id, spec, sign_key, created_at, last_used, version, state)
			VALUES ($1, $2, $3, $4, $5, 1, $6)`,
			sb.ID, string(sb.Spec), hex.EncodeToString(sb.Key), sb.CreatedAt.UnixNano(), sb.LastUsed.UnixNano(), state); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO counters (sandbox, journal_next, seen) VALUES ($1, 1, 0)`, sb.ID); err != nil {
			return err
		}
		s.numbers.forget(sb.ID)
		for holder, c := range st.Credentials {
			for _, name := range append([]string{c.Username}, c.Superseded...) {
				if err := indexUsername(tx, name, sb.ID, holder); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// indexUsername makes name the holder's in the User Name index.
func indexUsername(tx txn, name, id, holder string) error {
	_, err := tx.exec(`INSERT INTO usernames (username, sandbox, holder) VALUES ($1, $2, $3)
		ON CONFLICT (username) DO UPDATE SET sandbox = excluded.sandbox, holder = excluded.holder`, name, id, holder)
	return err
}

const sandboxColumns = `id, spec, sign_key, created_at, last_used`

// scanSandbox reads a row of sandboxColumns.
func scanSandbox(row rowScanner) (Sandbox, error) {
	var sb Sandbox
	var spec, key string
	var created, used int64
	if err := row.Scan(&sb.ID, &spec, &key, &created, &used); err != nil {
		return Sandbox{}, err
	}
	k, err := hex.DecodeString(key)
	if err != nil {
		return Sandbox{}, fmt.Errorf("sandbox %s: its stored key is not hex: %w", sb.ID, err)
	}
	sb.Spec, sb.Key = []byte(spec), k
	sb.CreatedAt, sb.LastUsed = time.Unix(0, created).UTC(), time.Unix(0, used).UTC()
	return sb, nil
}

// Sandbox returns a sandbox's record.
func (s *SQL) Sandbox(ctx context.Context, id string) (Sandbox, error) {
	sb, err := scanSandbox(s.readRow(ctx, `SELECT `+sandboxColumns+` FROM sandboxes WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Sandbox{}, ErrNotFound
	}
	return sb, err
}

// Sandboxes returns every sandbox's record.
func (s *SQL) Sandboxes(ctx context.Context) ([]Sandbox, error) {
	rows, err := s.readRows(ctx, `SELECT `+sandboxColumns+` FROM sandboxes`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Sandbox{}
	for rows.Next() {
		sb, err := scanSandbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sb)
	}
	return out, rows.Err()
}

// Delete removes a sandbox; its counters, journal, students seen and User Names go with it
// (ON DELETE CASCADE).
func (s *SQL) Delete(ctx context.Context, id string) error {
	defer s.usernames.changed()
	return s.write(ctx, func(tx txn) error {
		s.numbers.forget(id) // in the writer's transaction: no append numbers between
		res, err := tx.exec(`DELETE FROM sandboxes WHERE id = $1`, id)
		return notFoundUnlessChanged(res, err)
	})
}

// Touch records a use.
func (s *SQL) Touch(ctx context.Context, id string, at time.Time) error {
	res, err := s.w.ExecContext(ctx, `UPDATE sandboxes SET last_used = $2 WHERE id = $1`, id, at.UnixNano())
	return notFoundUnlessChanged(res, err)
}

// notFoundUnlessChanged is ErrNotFound when a statement about one sandbox changed no row.
func notFoundUnlessChanged(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// Close closes the pools and lets another server open the store.
func (s *SQL) Close() error {
	s.closeOnce.Do(func() {
		var errs []error
		if s.checkpoints != nil {
			errs = append(errs, s.checkpoints.close())
		}
		s.reads.close()
		s.writes.close()
		errs = append(errs, s.w.Close())
		if s.r != s.w {
			errs = append(errs, s.r.Close())
		}
		if s.release != nil {
			errs = append(errs, s.release())
		}
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

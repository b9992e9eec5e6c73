package store

import (
	"context"
	"database/sql"
	"sync"
)

// statements are the statements prepared on one pool, by their text, each prepared at its
// first use: database/sql then prepares it once per connection, instead of once per call.
type statements struct {
	db *sql.DB
	m  sync.Map // string → *sql.Stmt
	// pending are the statements to prepare once no transaction holds the connection.
	pending sync.Map // string → true
}

// get returns the statement q.
func (c *statements) get(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := c.m.Load(q); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if prev, loaded := c.m.LoadOrStore(q, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

func (c *statements) close() {
	c.m.Range(func(_, st any) bool { st.(*sql.Stmt).Close(); return true })
}

// txn is a write transaction running the write pool's prepared statements. A statement not
// prepared yet runs unprepared and is prepared after the transaction (prepare needs a
// connection of the pool, and SQLite's writer pool has one, which the transaction holds).
type txn struct {
	*sql.Tx
	ctx context.Context
	st  *statements
}

// stmt is the transaction's use of the prepared statement q, or nil.
func (t txn) stmt(q string) *sql.Stmt {
	st, ok := t.st.m.Load(q)
	if !ok {
		t.st.pending.Store(q, true)
		return nil
	}
	return t.StmtContext(t.ctx, st.(*sql.Stmt))
}

func (t txn) exec(q string, args ...any) (sql.Result, error) {
	if st := t.stmt(q); st != nil {
		return st.ExecContext(t.ctx, args...)
	}
	return t.ExecContext(t.ctx, q, args...)
}

func (t txn) queryRow(q string, args ...any) rowScanner {
	if st := t.stmt(q); st != nil {
		return st.QueryRowContext(t.ctx, args...)
	}
	return t.QueryRowContext(t.ctx, q, args...)
}

// preparePending prepares the statements transactions ran unprepared. A failure only
// leaves them unprepared.
func (c *statements) preparePending(ctx context.Context) {
	c.pending.Range(func(q, _ any) bool {
		c.pending.Delete(q)
		c.get(ctx, q.(string))
		return true
	})
}

// rowScanner is a *sql.Row, or the error that kept one from being had.
type rowScanner interface{ Scan(...any) error }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

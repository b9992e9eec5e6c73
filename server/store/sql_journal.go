package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// Journal reads a page of the journal and the counter it is measured against in one
// statement, so that both come from one snapshot: an entry dropped meanwhile is counted as
// missed, never silently skipped.
func (s *SQL) Journal(ctx context.Context, id string, after, limit int) (JournalPage, error) {
	rows, err := s.readRows(ctx, `SELECT n.next, j.entry
		FROM (`+nextNumberSQL+`) AS n LEFT JOIN journal j
			ON j.sandbox = $1 AND j.seq > $2 AND j.seq > n.next - 1 - $3
		ORDER BY j.seq
		LIMIT $4`, id, after, s.journalSize, max(limit, 1))
	if err != nil {
		return JournalPage{}, err
	}
	defer rows.Close()
	next, found := 0, false
	var entries []JournalEntry
	for rows.Next() {
		var text sql.NullString
		if err := rows.Scan(&next, &text); err != nil {
			return JournalPage{}, err
		}
		found = true
		if !text.Valid || len(entries) >= limit {
			continue
		}
		var e JournalEntry
		if err := json.Unmarshal([]byte(text.String), &e); err != nil {
			return JournalPage{}, fmt.Errorf("sandbox %s: a stored journal entry does not read: %w", id, err)
		}
		entries = append(entries, e)
	}
	if err := rows.Err(); err != nil {
		return JournalPage{}, err
	}
	if !found {
		return JournalPage{}, ErrNotFound
	}
	return page(after, next, min(next-1, s.journalSize), entries), nil
}

// MarkSeen remembers a student: it counts the student on the sandbox's counter row unless
// maxSeen are counted, inserts it, and takes the count back if the student was known.
func (s *SQL) MarkSeen(ctx context.Context, id, ssid string) error {
	err := s.write(ctx, func(tx txn) error {
		res, err := tx.exec(`UPDATE counters SET seen = seen + 1 WHERE sandbox = $1 AND seen < $2`, id, maxSeen)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = s.exists(ctx, tx.Tx, id, errFull)
			}
			return err
		}
		res, err = tx.exec(`INSERT INTO seen (sandbox, ssid) VALUES ($1, $2) ON CONFLICT (sandbox, ssid) DO NOTHING`, id, ssid)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = errFull // known already: undo the count
			}
			return err
		}
		return nil
	})
	if errors.Is(err, errFull) {
		return nil
	}
	return err
}

// errFull rolls back a MarkSeen that has nothing to add.
var errFull = errors.New("nothing to add")

// exists is ifSo when the sandbox exists, and ErrNotFound when not.
func (s *SQL) exists(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id string, ifSo error) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM counters WHERE sandbox = $1`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	return ifSo
}

// Seen lists the students remembered.
func (s *SQL) Seen(ctx context.Context, id string) ([]string, error) {
	rows, err := s.readRows(ctx, `SELECT ssid FROM seen WHERE sandbox = $1`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var ssid string
		if err := rows.Scan(&ssid); err != nil {
			return nil, err
		}
		out = append(out, ssid)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		if err := s.exists(ctx, s.r, id, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

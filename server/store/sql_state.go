package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// encodeState is st as the state column holds it.
func encodeState(st State) (string, error) {
	b, err := json.Marshal(st)
	return string(b), err
}

// decodeState reads a state column, giving the state's maps their zero values.
func decodeState(id, text string) (State, error) {
	var st State
	if err := json.Unmarshal([]byte(text), &st); err != nil {
		return State{}, fmt.Errorf("sandbox %s: its stored state does not read: %w", id, err)
	}
	st.init()
	return st, nil
}

// Load returns the sandbox's state and version, read in one statement.
func (s *SQL) Load(ctx context.Context, id string) (State, int64, error) {
	var text string
	var v int64
	err := s.readRow(ctx, `SELECT state, version FROM sandboxes WHERE id = $1`, id).Scan(&text, &v)
	if errors.Is(err, sql.ErrNoRows) {
		return State{}, 0, ErrNotFound
	}
	if err != nil {
		return State{}, 0, err
	}
	st, err := decodeState(id, text)
	return st, v, err
}

// Version returns the state's version.
func (s *SQL) Version(ctx context.Context, id string) (int64, error) {
	var v int64
	err := s.readRow(ctx, `SELECT version FROM sandboxes WHERE id = $1`, id).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	return v, err
}

// change runs fn on the sandbox's newest state in a transaction that holds the sandbox's
// row (see SQL), stores what fn leaves with the next version, and commits. fn must not use
// the store.
func (s *SQL) change(ctx context.Context, id string, fn func(txn, *State) error) (State, int64, error) {
	var st State
	var v int64
	err := s.write(ctx, func(tx txn) error {
		var text string
		err := tx.queryRow(`SELECT state, version FROM sandboxes WHERE id = $1`+s.updateLock, id).Scan(&text, &v)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if st, err = decodeState(id, text); err != nil {
			return err
		}
		if err := fn(tx, &st); err != nil {
			return err
		}
		text, err = encodeState(st)
		if err != nil {
			return err
		}
		v++
		_, err = tx.exec(`UPDATE sandboxes SET state = $2, version = $3 WHERE id = $1`, id, text, v)
		return err
	})
	if err != nil {
		return State{}, 0, err
	}
	return st, v, nil
}

// Update changes the state.
func (s *SQL) Update(ctx context.Context, id string, fn func(*State) error) (State, int64, error) {
	return s.change(ctx, id, func(_ txn, st *State) error { return fn(st) })
}

// Regenerate replaces a holder's pair, and the User Name index with it, in one transaction.
func (s *SQL) Regenerate(ctx context.Context, id, holder string, c Credential, keep int) (Credential, error) {
	defer s.usernames.changed()
	_, _, err := s.change(ctx, id, func(tx txn, st *State) error {
		var forget []string
		c, forget = st.regenerate(holder, c, keep)
		if err := indexUsername(tx, c.Username, id, holder); err != nil {
			return err
		}
		for _, name := range forget {
			if _, err := tx.exec(`DELETE FROM usernames WHERE username = $1 AND sandbox = $2`, name, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Credential{}, err
	}
	return c, nil
}

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"maps"
	"runtime"
	"slices"
	"sync"
)

// trimEvery is how often the journal's oldest entries are dropped: when an entry's number
// is a multiple of trimEvery, the entries that fell out are dropped at once, so that most
// appends to a full journal write three pages (counter, row, key) instead of five. Up to
// trimEvery-1 entries beyond the journal's size stay stored meanwhile; no read returns them.
const trimEvery = 64

// appendQueue gathers the entries of concurrent Appends so that one transaction, one
// commit, writes them all (group commit): a commit costs about as much for sixteen entries
// as for one, and with PostgreSQL the sandbox's counter row is then locked once per batch
// instead of once per entry. An Append arriving while a batch is written waits for the
// next batch, which the first of the waiting Appends writes; an Append alone writes at once.
type appendQueue struct {
	mu      sync.Mutex
	busy    bool // a batch is being written
	pending []*appendReq
}

// appendReq is one Append waiting for its batch.
type appendReq struct {
	id   string
	e    JournalEntry
	seq  int
	err  error
	done chan struct{} // closed once seq or err is set
	turn chan struct{} // closed when this Append is to write the next batch
}

// Append journals e: it numbers it from the sandbox's counter row, inserts it and drops
// the entries that fell out of the journal, in one transaction, which may hold the entries
// of concurrent Appends too (see SQL for why numbers never repeat or skip).
func (s *SQL) Append(ctx context.Context, id string, e JournalEntry) (int, error) {
	r := &appendReq{id: id, e: e, done: make(chan struct{}), turn: make(chan struct{})}
	q := &s.appends
	q.mu.Lock()
	q.pending = append(q.pending, r)
	if q.busy {
		q.mu.Unlock()
		select {
		case <-r.done:
			return r.seq, r.err
		case <-r.turn:
		}
		// Let the requests that are ready to run go first: those about to append join
		// this batch instead of waiting for the next.
		runtime.Gosched()
		q.mu.Lock()
	}
	q.busy = true
	batch := q.pending
	q.pending = nil
	q.mu.Unlock()
	defer q.handOver()

	// The batch is written whatever becomes of this request: the others wait for it.
	s.appendBatch(context.WithoutCancel(ctx), batch)
	return r.seq, r.err
}

// handOver gives the next batch to the first Append waiting, if any.
func (q *appendQueue) handOver() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.pending) > 0 {
		close(q.pending[0].turn)
	} else {
		q.busy = false
	}
}

// appendBatch writes a batch in one transaction and tells each Append its outcome. If the
// transaction fails, each entry is tried again alone, so that one entry's failure is not
// the others'.
func (s *SQL) appendBatch(ctx context.Context, batch []*appendReq) {
	defer func() {
		for _, r := range batch {
			close(r.done)
		}
	}()
	if err := s.write(ctx, func(tx txn) error { return s.appendEntries(tx, batch) }); err == nil || len(batch) == 1 {
		for _, r := range batch {
			if err != nil {
				r.seq, r.err = 0, err
			}
		}
		return
	}
	for _, r := range batch {
		one := []*appendReq{r}
		if err := s.write(ctx, func(tx txn) error { return s.appendEntries(tx, one) }); err != nil {
			r.seq, r.err = 0, err
		}
	}
}

// number reserves n journal numbers of sandbox id in tx and returns the first, or
// sql.ErrNoRows when the sandbox does not exist. A shared store (PostgreSQL) takes them from
// the sandbox's counter row, whose lock orders the servers' batches; a store one process owns
// (SQLite) numbers in memory (see journalNumbers).
func (s *SQL) number(tx txn, id string, n int) (int, error) {
	var first int
	if s.shared {
		err := tx.queryRow(`UPDATE counters SET journal_next = journal_next + $2 WHERE sandbox = $1
			RETURNING journal_next - $2`, id, n).Scan(&first)
		return first, err
	}
	return s.numbers.take(id, n, func() (int, error) {
		err := tx.queryRow(nextNumberSQL, id).Scan(&first)
		return first, err
	})
}

// appendEntries numbers and inserts entries, sandbox by sandbox in the order of their IDs
// (so that two servers' batches lock counter rows in one order, and never deadlock), each
// sandbox's entries in the order they came.
func (s *SQL) appendEntries(tx txn, batch []*appendReq) error {
	bySandbox := map[string][]*appendReq{}
	for _, r := range batch {
		r.seq, r.err = 0, nil
		bySandbox[r.id] = append(bySandbox[r.id], r)
	}
	for _, id := range slices.Sorted(maps.Keys(bySandbox)) {
		reqs := bySandbox[id]
		first, err := s.number(tx, id, len(reqs))
		if errors.Is(err, sql.ErrNoRows) {
			for _, r := range reqs {
				r.err = ErrNotFound
			}
			continue
		}
		if err != nil {
			return err
		}
		for i, r := range reqs {
			r.seq = first + i
			r.e.Seq = r.seq
			text, err := json.Marshal(r.e)
			if err != nil {
				return err
			}
			if _, err := tx.exec(`INSERT INTO journal (sandbox, seq, entry) VALUES ($1, $2, $3)`, id, r.seq, string(text)); err != nil {
				return err
			}
		}
		// Drop when the batch reached or passed a multiple of trimEvery: a range of the
		// primary key, more rows only after the store was reopened with a smaller journal.
		if last := first + len(reqs) - 1; last/trimEvery > (first-1)/trimEvery {
			if _, err := tx.exec(`DELETE FROM journal WHERE sandbox = $1 AND seq <= $2`, id, last-s.journalSize); err != nil {
				return err
			}
		}
	}
	return nil
}

package store

import "sync"

// journalNumbers is where a store one process owns (SQLite) numbers journal entries: the next
// number of each sandbox, kept in memory, so that an append writes its entries and nothing
// else (no counter row: on SQLite, UPDATE … RETURNING costs about as much as the rest of an
// append). The numbers stay durable without a counter, since they are read back from the
// journal itself: the next number is the newest entry's plus one (nextNumberSQL), and the
// journal is only ever trimmed from its oldest end. The counter row's journal_next is then a
// floor, 1 for a file this way from the start.
//
// The map is a cache of what the journal says: it is read and advanced only inside the
// writer's transactions, which the one writer connection runs one at a time, and emptied
// whenever a write fails (a rolled-back batch must not leave its numbers taken).
type journalNumbers struct {
	mu   sync.Mutex
	next map[string]int
}

// nextNumberSQL is a sandbox's next journal number as the journal and its counter row say,
// in one snapshot; no row when the sandbox does not exist. Portable: PostgreSQL, which issues
// numbers from the counter row, reads its journal's numbers the same way.
const nextNumberSQL = `SELECT CASE WHEN m.top + 1 > c.journal_next THEN m.top + 1 ELSE c.journal_next END AS next
		FROM counters c, (SELECT coalesce(max(seq), 0) AS top FROM journal WHERE sandbox = $1) m
		WHERE c.sandbox = $1`

// take reserves n numbers of sandbox id, returning the first; read is how the next number is
// found when it is not known.
func (j *journalNumbers) take(id string, n int, read func() (int, error)) (int, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	first, ok := j.next[id]
	if !ok {
		var err error
		if first, err = read(); err != nil {
			return 0, err
		}
	}
	if j.next == nil {
		j.next = map[string]int{}
	}
	j.next[id] = first + n
	return first, nil
}

// forget drops what is known of a sandbox's numbers (it was deleted or made).
func (j *journalNumbers) forget(id string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	delete(j.next, id)
}

// reset drops everything known: the journal is read again.
func (j *journalNumbers) reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.next = nil
}

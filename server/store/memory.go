package store

import (
	"context"
	"sync"
	"time"

	"github.com/ssrmock/ssrmock/internal/cow"
)

// Memory is a store in the process's memory: what a server uses when told nothing, and
// what the SQLite store keeps in front of its file. It forgets everything when the process
// ends.
type Memory struct {
	journalSize int

	// sandboxes is read by every request without a lock; mu orders its writers and guards
	// usernames.
	mu        sync.RWMutex
	sandboxes cow.Map[string, *memSandbox]
	usernames map[string]usernameRef
}

// usernameRef locates a User Name.
type usernameRef struct{ sandbox, holder string }

// memSandbox is one sandbox in a Memory store.
type memSandbox struct {
	rec Sandbox // LastUsed is lastUsed's
	// lastUsed is the real instant of the last use, in Unix nanoseconds.
	lastUsed int64

	mu      sync.Mutex // guards state, version and seen
	state   State      // never changed in place: an update replaces it
	version int64
	seen    map[string]struct{}

	journal ring
}

// NewMemory returns an empty memory store.
func NewMemory(o Options) *Memory {
	return &Memory{journalSize: o.journalSize(), usernames: map[string]usernameRef{}}
}

// Shared is false: nothing else changes a memory store.
func (m *Memory) Shared() bool { return false }

func (m *Memory) get(id string) (*memSandbox, error) {
	sb, ok := m.sandboxes.Load(id)
	if !ok {
		return nil, ErrNotFound
	}
	return sb, nil
}

// Create adds a sandbox.
func (m *Memory) Create(_ context.Context, sb Sandbox, st State, max int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, taken := m.sandboxes.Load(sb.ID); taken {
		return ErrExists
	}
	if m.sandboxes.Len() >= max {
		return ErrLimit
	}
	st = st.Clone()
	st.init()
	m.sandboxes.LoadOrStore(sb.ID, &memSandbox{rec: sb, lastUsed: sb.LastUsed.UnixNano(), state: st, version: 1,
		seen: map[string]struct{}{}, journal: ring{capacity: m.journalSize, next: 1}})
	for holder, c := range st.Credentials {
		m.index(sb.ID, holder, c)
	}
	return nil
}

// index adds the User Names of c to the index. m.mu is held.
func (m *Memory) index(id, holder string, c Credential) {
	m.usernames[c.Username] = usernameRef{id, holder}
	for _, name := range c.Superseded {
		m.usernames[name] = usernameRef{id, holder}
	}
}

// Sandbox returns a sandbox's record.
func (m *Memory) Sandbox(_ context.Context, id string) (Sandbox, error) {
	sb, ok := m.sandboxes.Load(id)
	if !ok {
		return Sandbox{}, ErrNotFound
	}
	return sb.record(), nil
}

func (sb *memSandbox) record() Sandbox {
	rec := sb.rec
	sb.mu.Lock()
	rec.LastUsed = time.Unix(0, sb.lastUsed)
	sb.mu.Unlock()
	return rec
}

// Sandboxes returns every sandbox's record.
func (m *Memory) Sandboxes(context.Context) ([]Sandbox, error) {
	out := make([]Sandbox, 0, m.sandboxes.Len())
	for _, sb := range m.sandboxes.All() {
		out = append(out, sb.record())
	}
	return out, nil
}

// Delete removes a sandbox and the User Names it issued.
func (m *Memory) Delete(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sandboxes.Load(id); !ok {
		return ErrNotFound
	}
	m.sandboxes.Delete(id)
	for name, ref := range m.usernames {
		if ref.sandbox == id {
			delete(m.usernames, name)
		}
	}
	return nil
}

// Touch records a use.
func (m *Memory) Touch(_ context.Context, id string, at time.Time) error {
	sb, err := m.get(id)
	if err != nil {
		return err
	}
	sb.mu.Lock()
	sb.lastUsed = at.UnixNano()
	sb.mu.Unlock()
	return nil
}

// Load returns the sandbox's state, which the caller must not change.
func (m *Memory) Load(_ context.Context, id string) (State, int64, error) {
	sb, err := m.get(id)
	if err != nil {
		return State{}, 0, err
	}
	sb.mu.Lock()
	defer sb.mu.Unlock()
	return sb.state, sb.version, nil
}

// Version returns the state's version.
func (m *Memory) Version(_ context.Context, id string) (int64, error) {
	sb, err := m.get(id)
	if err != nil {
		return 0, err
	}
	sb.mu.Lock()
	defer sb.mu.Unlock()
	return sb.version, nil
}

// Update changes the state.
func (m *Memory) Update(_ context.Context, id string, fn func(*State) error) (State, int64, error) {
	sb, err := m.get(id)
	if err != nil {
		return State{}, 0, err
	}
	sb.mu.Lock()
	defer sb.mu.Unlock()
	st := sb.state.Clone()
	st.init()
	if err := fn(&st); err != nil {
		return State{}, 0, err
	}
	sb.state = st
	sb.version++
	return st, sb.version, nil
}

// Regenerate replaces a holder's pair.
func (m *Memory) Regenerate(_ context.Context, id, holder string, c Credential, keep int) (Credential, error) {
	sb, err := m.get(id)
	if err != nil {
		return Credential{}, err
	}
	// m.mu before sb.mu, as everywhere: the index changes with the state.
	m.mu.Lock()
	defer m.mu.Unlock()
	sb.mu.Lock()
	defer sb.mu.Unlock()
	st := sb.state.Clone()
	st.init()
	c, forget := st.regenerate(holder, c, keep)
	sb.state = st
	sb.version++
	m.usernames[c.Username] = usernameRef{id, holder}
	for _, name := range forget {
		delete(m.usernames, name)
	}
	return c, nil
}

// Username finds a User Name.
func (m *Memory) Username(_ context.Context, name string) (string, string, bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	ref, ok := m.usernames[name]
	return ref.sandbox, ref.holder, ok, nil
}

// Append journals e.
func (m *Memory) Append(_ context.Context, id string, e JournalEntry) (int, error) {
	sb, err := m.get(id)
	if err != nil {
		return 0, err
	}
	return sb.journal.add(e), nil
}

// Journal reads the journal.
func (m *Memory) Journal(_ context.Context, id string, after, limit int) (JournalPage, error) {
	sb, err := m.get(id)
	if err != nil {
		return JournalPage{}, err
	}
	return sb.journal.since(after, limit), nil
}

// MarkSeen remembers a student.
func (m *Memory) MarkSeen(_ context.Context, id, ssid string) error {
	sb, err := m.get(id)
	if err != nil {
		return err
	}
	sb.mu.Lock()
	if len(sb.seen) < maxSeen {
		sb.seen[ssid] = struct{}{}
	}
	sb.mu.Unlock()
	return nil
}

// Seen lists the students remembered.
func (m *Memory) Seen(_ context.Context, id string) ([]string, error) {
	sb, err := m.get(id)
	if err != nil {
		return nil, err
	}
	sb.mu.Lock()
	defer sb.mu.Unlock()
	out := make([]string, 0, len(sb.seen))
	for ssid := range sb.seen {
		out = append(out, ssid)
	}
	return out, nil
}

// Close forgets everything.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sandboxes.Clear()
	clear(m.usernames)
	return nil
}

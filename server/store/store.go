// Package store keeps what an ssrmock server cannot recompute: each sandbox's spec and
// signing key, its clock, credentials, manual changes and faults (its State), the User
// Names it issued, the students it was asked about and its journal of vendor requests. The
// world itself is not stored: it is a pure function of the spec.
//
// Three implementations share one contract, checked by package storetest: Memory (what a
// server uses when told nothing), SQLite (a file, one server) and PostgreSQL (several
// servers, one truth).
package store

import (
	"context"
	"errors"
	"time"
)

// Store is where sandboxes live. Every method is safe for concurrent use, and once a
// method that changes something returns without error, the change is durable (for the
// stores that persist) and seen by every later call, on any server sharing the store.
type Store interface {
	// Shared reports whether other servers may change the store meanwhile. A server then
	// asks for Version before it trusts a State it holds.
	Shared() bool

	// Create adds a sandbox with its first state, unless one with its ID exists
	// (ErrExists) or the store holds max sandboxes already (ErrLimit).
	Create(ctx context.Context, sb Sandbox, st State, max int) error
	// Sandbox returns the sandbox with the given ID, or ErrNotFound.
	Sandbox(ctx context.Context, id string) (Sandbox, error)
	// Sandboxes returns every sandbox, in no particular order.
	Sandboxes(ctx context.Context) ([]Sandbox, error)
	// Delete removes a sandbox with everything it holds, or answers ErrNotFound.
	Delete(ctx context.Context, id string) error
	// Touch records that the sandbox was used at real instant at.
	Touch(ctx context.Context, id string, at time.Time) error

	// Load returns the sandbox's state and its version.
	Load(ctx context.Context, id string) (State, int64, error)
	// Version returns the version of the sandbox's state: it grows with every change.
	Version(ctx context.Context, id string) (int64, error)
	// Update changes the sandbox's state atomically: fn is given the newest state (a copy it
	// may change) and what it leaves is stored, unless it returns an error. Updates of one
	// sandbox are serialized, across servers too. It returns the stored state and version.
	Update(ctx context.Context, id string, fn func(*State) error) (State, int64, error)
	// Regenerate makes cred the holder's current pair in one update: its Generation is the
	// old pair's plus one (1 for a first pair), the old User Name joins Superseded, of
	// which the newest keep are kept, and the User Name index follows. It returns the
	// stored credential.
	Regenerate(ctx context.Context, id, holder string, cred Credential, keep int) (Credential, error)
	// Username finds the sandbox and holder a User Name was issued to. ok is false for a
	// name never issued, forgotten (superseded beyond keep) or of a deleted sandbox.
	Username(ctx context.Context, name string) (sandbox, holder string, ok bool, err error)

	// Append journals e, numbering it: the first entry of a sandbox is 1. The journal
	// keeps the newest entries up to the store's journal size.
	Append(ctx context.Context, id string, e JournalEntry) (seq int, err error)
	// Journal returns up to limit entries with a sequence number above after.
	Journal(ctx context.Context, id string, after, limit int) (JournalPage, error)

	// MarkSeen records that the sandbox was asked about a student; at most maxSeen are kept.
	MarkSeen(ctx context.Context, id, ssid string) error
	// Seen returns the students the sandbox was asked about, in no particular order.
	Seen(ctx context.Context, id string) ([]string, error)

	// Close releases the store.
	Close() error
}

// Errors a store answers with; wrapped errors match them with errors.Is.
var (
	ErrNotFound = errors.New("no such sandbox")
	ErrExists   = errors.New("the sandbox exists")
	ErrLimit    = errors.New("the store holds as many sandboxes as it may")
)

// DefaultJournalSize is how many journal entries a sandbox keeps when Options say nothing.
const DefaultJournalSize = 10_000

// maxSeen bounds the students a sandbox remembers being asked about.
const maxSeen = 100_000

// Options configure a store.
type Options struct {
	// JournalSize bounds each sandbox's journal; 0 means DefaultJournalSize.
	JournalSize int
}

func (o Options) journalSize() int {
	if o.JournalSize <= 0 {
		return DefaultJournalSize
	}
	return o.JournalSize
}

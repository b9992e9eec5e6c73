package server

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"time"

	"github.com/ssrmock/ssrmock/server/store"
)

// snapshot is a sandbox's state at one version.
type snapshot struct {
	st      store.State
	version int64
	// hashes are the current pairs' secret hashes, drawn from st when first needed.
	hashesOnce sync.Once
	hashes     [][sha256.Size]byte
	// scans remembers the scans of request URLs under this state, which a scan depends on
	// through its Secret Keys: a link fetched again, or a listing URL used again, is not
	// scanned again. A scan's names are shared by the journal entries that carry them.
	scans memo[urlScan]
	// files remembers what the URLs of report downloads say under this state (fileRequest).
	files memo[fileRequest]
}

// state is the newest state this server has seen of the sandbox. The caller must not change
// it. A request that must see every change made elsewhere refreshes first: s.sandbox does.
func (sb *Sandbox) state() store.State { return sb.cur.Load().st }

// refresh makes sure the sandbox's state is the store's newest. Only a shared store can
// change behind this server's back, so for the others it costs nothing; for a shared one it
// costs a version check, and a load when another server changed the state.
func (sb *Sandbox) refresh(ctx context.Context) error {
	if !sb.store.Shared() {
		return nil
	}
	v, err := sb.store.Version(ctx, sb.ID)
	if err != nil {
		return err
	}
	if v == sb.cur.Load().version {
		return nil
	}
	if v < sb.cur.Load().version {
		// Versions only grow: a lower one is a sandbox deleted and made again under the same
		// ID, by another server, with its own key and world.
		return errRemade
	}
	st, v, err := sb.store.Load(ctx, sb.ID)
	if err != nil {
		return err
	}
	sb.keep(st, v)
	return nil
}

// errRemade says a sandbox this server holds was replaced in the store by a new one of the
// same ID.
var errRemade = errors.New("the sandbox was made again")

// keep makes st the sandbox's state unless a newer one is already kept.
func (sb *Sandbox) keep(st store.State, version int64) {
	next := &snapshot{st: st, version: version}
	for {
		cur := sb.cur.Load()
		if cur.version >= version || sb.cur.CompareAndSwap(cur, next) {
			return
		}
	}
}

// update changes the sandbox's state through the store: fn sees the newest state, and
// once update returns without error the change is stored and seen by every later request.
func (sb *Sandbox) update(ctx context.Context, fn func(*store.State) error) (store.State, error) {
	st, v, err := sb.store.Update(ctx, sb.ID, fn)
	if err != nil {
		return store.State{}, storeError(err)
	}
	sb.keep(st, v)
	return st, nil
}

// reload takes the store's state after a change made other than by update.
func (sb *Sandbox) reload(ctx context.Context) error {
	st, v, err := sb.store.Load(ctx, sb.ID)
	if err != nil {
		return storeError(err)
	}
	sb.keep(st, v)
	return nil
}

// now is the sandbox's time; a clock following real time stops before latestClock.
func (sb *Sandbox) now() time.Time { return sb.nowIn(sb.state().Clock) }

// nowIn is the sandbox's time by clock c, a setting of its state.
func (sb *Sandbox) nowIn(c store.Clock) time.Time { return clockAt(c, sb.real.Now()) }

// clockAt is the sandbox's time by clock c when real time is real.
func clockAt(c store.Clock, real time.Time) time.Time { return clampClock(c.At(real)) }

// following reports whether the sandbox's clock follows real time.
func (sb *Sandbox) following() bool { return sb.state().Clock.Following }

// touchEvery is how often, at most, a sandbox's use is written to the store: idle limits
// are counted in hours, so a minute's imprecision costs nothing (our choice).
const touchEvery = time.Minute

// usedGrain is the precision of a sandbox's last use: a request within it of the last one
// noted leaves it be, so that requests on every core do not all write it (our choice; idle
// limits are counted in hours).
const usedGrain = time.Millisecond

// touch notes that a request used the sandbox at the real instant real.
func (sb *Sandbox) touch(ctx context.Context, real time.Time) {
	now := real.UnixNano()
	if now-sb.lastUsed.Load() >= int64(usedGrain) {
		sb.lastUsed.Store(now)
	}
	if last := sb.stored.Load(); now-last >= int64(touchEvery) && sb.stored.CompareAndSwap(last, now) {
		// A failed write only makes the sandbox look idle sooner; the request goes on.
		_ = sb.store.Touch(ctx, sb.ID, time.Unix(0, now))
	}
}

// idleSince is the real instant of the sandbox's last use known to this server.
func (sb *Sandbox) idleSince() time.Time { return time.Unix(0, sb.lastUsed.Load()) }

// markSeen records that the sandbox was asked about ssid.
func (sb *Sandbox) markSeen(ctx context.Context, ssid string) {
	sb.seenMu.Lock()
	_, ok := sb.seen[ssid]
	if !ok && len(sb.seen) < 100_000 {
		sb.seen[ssid] = struct{}{}
	}
	sb.seenMu.Unlock()
	if !ok {
		if err := sb.store.MarkSeen(ctx, sb.ID, ssid); err != nil {
			sb.seenMu.Lock()
			delete(sb.seen, ssid)
			sb.seenMu.Unlock()
		}
	}
}

// storeError is the API's error for a store's: a missing sandbox is not_found, anything
// else the store could not do is unavailable, with the cause logged, not shown.
func storeError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return Errorf(CodeNotFound, "no such sandbox")
	case apiError(err) != nil:
		return err
	}
	return &storeFailure{err}
}

// storeFailure is a store's error the server could not handle: the client sees
// "unavailable", the log the cause.
type storeFailure struct{ err error }

func (e *storeFailure) Error() string { return "the state store failed: " + e.err.Error() }
func (e *storeFailure) Unwrap() error { return e.err }

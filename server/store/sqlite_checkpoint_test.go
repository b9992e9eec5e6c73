package store_test

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ssrmock/ssrmock/server/store"
	"github.com/ssrmock/ssrmock/server/store/storetest"
)

// TestSQLiteWALBoundedUnderSteadyLoad appends journal entries from two goroutines without a
// pause, so that commits land while each checkpoint copies (the writer's own automatic
// checkpoints being off): the WAL would then never be found all copied, and without its
// restart would hold a page or more for every commit. It stays within its restart size and
// what two checkpoint periods write. Every entry is still read back, then again after a
// reopen.
func TestSQLiteWALBoundedUnderSteadyLoad(t *testing.T) {
	ctx := context.Background()
	path := tempFile(t)
	o := store.Options{JournalSize: 1 << 16}
	s, err := store.OpenSQLite(path, o)
	must(t, err)
	must(t, s.Create(ctx, storetest.Sandbox("a"), store.State{}, 10))
	var appended atomic.Int64
	appendOne := func() error {
		_, err := s.Append(ctx, "a", store.JournalEntry{Route: "token", Status: 200})
		if err == nil {
			appended.Add(1)
		}
		return err
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var loadErr error
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			if loadErr = appendOne(); loadErr != nil {
				return
			}
		}
	})
	// At least as many commits as appends here, each writing one page or more.
	for range 2 * store.WALRestartFrames {
		if err := appendOne(); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	must(t, loadErr)
	s.SettleCheckpoints()
	// A journal commit writes at most four pages (the entry's leaf, its parents, a trim).
	const limit = (store.WALRestartFrames + 2*store.CheckpointEvery*4) * walFrameSize
	if size := walSize(t, path); size > limit {
		t.Errorf("the WAL holds %d bytes, more than its restart size and two periods (%d)", size, limit)
	}
	n := int(appended.Load())
	checkLast := func(s store.Store) {
		t.Helper()
		p, err := s.Journal(ctx, "a", n-10, 100)
		must(t, err)
		if len(p.Entries) != 10 || p.Entries[9].Seq != n || p.Dropped != 0 {
			t.Errorf("the journal's last page shows %d entries, %d dropped; want 10 ending at %d", len(p.Entries), p.Dropped, n)
		}
	}
	checkLast(s)
	must(t, s.Close())
	s, err = store.OpenSQLite(path, o)
	must(t, err)
	defer s.Close()
	checkLast(s)
}

// walFrameSize is the size of one page in the WAL: a 4 KiB page and its 24-byte header.
const walFrameSize = 4096 + 24

// walSize is the size of the WAL file beside the SQLite file at path.
func walSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path + "-wal")
	must(t, err)
	return fi.Size()
}

package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
)

// checkpointEvery is how many commits the writer makes between two checkpoints. A commit of
// a journal batch writes two to five pages to the WAL, so some hundreds of pages gather
// between checkpoints; SQLite's own default is a thousand (wal_autocheckpoint=1000).
const checkpointEvery = 256

// walRestartFrames is how long the WAL may grow, in pages, before a checkpoint starts it
// again from its beginning at the cost of holding up the writer: 16 MiB of 4 KiB pages.
const walRestartFrames = 4096

// checkpointer copies the WAL into the database file (a checkpoint) on a connection of its
// own, off the writer's path. Our choice: SQLite's default has the committing connection
// checkpoint once the WAL passes a thousand pages, and with synchronous=NORMAL a checkpoint
// fsyncs the WAL and the database file, so one commit in a few hundred waited for the disk
// and every request queued behind it did too (p99 of a journaled listing 10 ms against
// 4.5 ms without). The writer's connection therefore has wal_autocheckpoint=0, and every
// checkpointEvery commits it kicks this goroutine, which runs a PASSIVE checkpoint: one that
// holds up no reader and no writer, since in WAL mode the writer goes on appending while
// the checkpoint copies.
//
// The WAL starts again from its beginning only at a commit that finds all of it copied, and
// under steady load a commit lands during every checkpoint, so these copies alone would
// let the WAL grow for as long as the load lasts. Once it holds walRestartFrames pages,
// the checkpointer therefore asks the writer to finish the job: after its next commit the
// writer checkpoints on its own connection, where no commit can land meanwhile, copying the
// few pages committed since the last copy (and syncing), and its next commit starts the
// WAL again. A RESTART checkpoint from the checkpointer's connection would do the same in
// principle, but it waits for the writer lock by polling, and the writer, taking the lock
// back the moment it lets it go, starves it.
//
// What a commit has written is in the WAL before the commit returns either way, so this
// changes when pages reach the database file, not what survives a crash.
type checkpointer struct {
	db      *sql.DB
	commits atomic.Uint64
	finish  atomic.Bool        // the writer is to checkpoint after its next commit
	kick    chan struct{}      // buffered: kicks while a checkpoint runs make one more
	settle  chan chan struct{} // tests: answered once every kick sent before it is done
	stop    chan struct{}
	done    sync.WaitGroup
}

// startCheckpointer opens one connection to the file at dsn and starts the goroutine.
func startCheckpointer(dsn string) (*checkpointer, error) {
	db, err := sql.Open("sqlite", dsn+"?"+sqlitePragmas)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	c := &checkpointer{db: db, kick: make(chan struct{}, 1), settle: make(chan chan struct{}), stop: make(chan struct{})}
	c.done.Add(1)
	go c.loop()
	return c, nil
}

// committed counts one commit of the writer, kicks a checkpoint every checkpointEvery, and
// reports whether the writer is now to finish one (see checkpointer).
func (c *checkpointer) committed() (finish bool) {
	if c.commits.Add(1)%checkpointEvery == 0 {
		select {
		case c.kick <- struct{}{}:
		default: // one is already asked for
		}
	}
	return c.finish.CompareAndSwap(true, false)
}

func (c *checkpointer) loop() {
	defer c.done.Done()
	for {
		select {
		case <-c.kick:
			c.checkpoint()
		case reply := <-c.settle:
			select {
			case <-c.kick:
				c.checkpoint()
			default:
			}
			close(reply)
		case <-c.stop:
			return
		}
	}
}

// checkpoint runs a PASSIVE checkpoint, and asks the writer to finish it when the WAL has
// grown to walRestartFrames. A failure leaves the pages in the WAL, where reads find them;
// the next kick copies them.
func (c *checkpointer) checkpoint() {
	if frames, err := passiveCheckpoint(context.Background(), c.db); err == nil && frames >= walRestartFrames {
		c.finish.Store(true)
	}
}

// passiveCheckpoint runs a PASSIVE checkpoint on db and returns how many pages the WAL holds.
func passiveCheckpoint(ctx context.Context, db *sql.DB) (frames int, err error) {
	var busy, copied int
	err = db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied)
	return frames, err
}

// close stops the goroutine and closes its connection. The writer's own close, the last
// connection to the file, then checkpoints what is left and removes the WAL.
func (c *checkpointer) close() error {
	close(c.stop)
	c.done.Wait()
	return c.db.Close()
}

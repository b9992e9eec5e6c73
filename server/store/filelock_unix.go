//go:build unix

package store

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockFile takes an exclusive lock on the file at path, creating it, and returns its
// release. The lock is the kernel's (flock): it goes when the process ends, however it
// ends, so a server killed with SIGKILL leaves nothing to clean up. It is apart from the
// database file because SQLite's own locks on that file are POSIX record locks, which any
// close of the file by this process would drop.
func lockFile(path string) (release func() error, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("state file lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s: %w", path, errLocked)
		}
		return nil, fmt.Errorf("state file lock %s: %w", path, err)
	}
	return f.Close, nil
}

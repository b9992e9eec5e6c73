//go:build unix

package server

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time the test process has used, or 0 where it is unknown.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

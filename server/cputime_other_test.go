//go:build !unix

package server

import "time"

// processCPU returns the CPU time the test process has used, or 0 where it is unknown.
func processCPU() time.Duration { return 0 }

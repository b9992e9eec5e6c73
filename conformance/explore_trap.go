package conformance

import (
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"

	. "github.com/onsi/ginkgo/v2"
)

// checksTrapped is set while an explore walk runs: a failed check then stops the walk's step
// instead of failing the spec, so that the walk can be replayed and shrunk first. Ginkgo runs
// one spec at a time in a process, so one flag serves the process.
var checksTrapped atomic.Bool

// trappedFailure is what a failed check panics with while checks are trapped.
type trappedFailure struct {
	msg string
	// site names the check that failed (file:line of its call to violation), so that shrinking
	// keeps to the same failure.
	site string
}

// failCheck fails the running spec with msg or, while checks are trapped, stops the explore
// step with a trappedFailure. Its caller is the check (violation, driverErr).
func failCheck(msg string) {
	if checksTrapped.Load() {
		panic(trappedFailure{msg: msg, site: callSite()})
	}
	Fail(msg, 2)
}

// callSite names the first caller outside violation and failCheck: the check that failed.
func callSite() string {
	pcs := make([]uintptr, 8)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if !strings.HasSuffix(f.Function, ".violation") && !strings.HasSuffix(f.Function, ".failCheck") {
			file := f.File
			if i := strings.LastIndex(file, "/"); i >= 0 {
				file = file[i+1:]
			}
			return fmt.Sprintf("%s:%d", file, f.Line)
		}
		if !more {
			return "unknown"
		}
	}
}

// trapChecks runs fn with checks trapped and returns the failure it stopped at, if any. Any
// other panic (a harness failure, a Skip) goes on up.
func trapChecks(fn func()) (failure *trappedFailure) {
	checksTrapped.Store(true)
	defer checksTrapped.Store(false)
	defer func() {
		if r := recover(); r != nil {
			tf, ok := r.(trappedFailure)
			if !ok {
				panic(r)
			}
			failure = &tf
		}
	}()
	fn()
	return nil
}

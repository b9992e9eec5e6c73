package driver

import "fmt"

// HarnessError is a failure of the protocol itself rather than of the vendor's integration:
// the driver process exited or hung, printed something that is not a reply, answered another
// request, or sent a reply the protocol does not allow. The suite cannot judge the vendor
// when it sees one; `ssrmock conform` exits 2.
type HarnessError struct {
	// Op is the operation under way ("start" while starting the driver).
	Op string
	// Err says what happened.
	Err error
}

// Error says which operation broke and how.
func (e *HarnessError) Error() string { return fmt.Sprintf("driver harness: %s: %v", e.Op, e.Err) }

// Unwrap returns e.Err.
func (e *HarnessError) Unwrap() error { return e.Err }

// DriverError is a well-formed reply with ok:false: the driver says it could not perform the
// operation.
type DriverError struct {
	// Op is the operation that failed.
	Op string
	// Message is the driver's "error" field.
	Message string
}

// Error names the operation and quotes the driver.
func (e *DriverError) Error() string { return fmt.Sprintf("driver: %s failed: %s", e.Op, e.Message) }

func harnessf(op, format string, args ...any) *HarnessError {
	return &HarnessError{Op: op, Err: fmt.Errorf(format, args...)}
}

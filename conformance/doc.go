// Package conformance is the conformance suite for vendor integrations with the Student Score
// Report service: a Ginkgo v2 suite that drives a vendor's integration through the driver
// protocol (package driver) against ssrmock's server, and judges it by comparing what a parent
// would see with the control API's ground truth and by reading the server's request journal.
//
// Every spec states one rule as a MUST (required) or SHOULD (recommended) sentence and carries
// a stable id; testdata/specs.yaml lists them all. A failed recommended spec is reported but does
// not fail a run. Each spec builds its own tiny sandbox with a seed derived from its id, so specs
// are independent, run in random order and may run in parallel on one server.
//
// The suite runs in two ways: `ssrmock conform` calls Run, and `go test` (or `ginkgo`) runs it
// through the test in this package, with the same flags (-driver-cmd, -driver-url, -server,
// -known-failing, -timeout, -report-dir) and, by default, the reference vendor in-process
// against an in-process server.
package conformance

// Package conformance is the conformance suite for vendor integrations with the Student Score
// Report service: a Ginkgo v2 suite that drives a vendor's integration through the driver
// protocol (package driver) against ssrmock's server, and judges it by comparing what a parent
// would see with the control API's ground truth and by reading the server's request journal.
//
// # Specs
//
// Every spec states one rule as a MUST (required) or SHOULD (recommended) sentence, carries a
// stable id ("area/slug") and the labels of its area and level; testdata/specs.yaml lists them
// all and TestSpecList keeps that list honest (refresh it with -update). A failed recommended
// spec is reported but does not fail a run. Each spec builds its own sandbox (tiny, or county
// when it needs two LEAs) with a seed derived from its id, finds the students it needs by
// walking rosters and ground truth, and deletes the sandbox when done; the driver is reset
// before each spec. Specs are therefore independent, run in random order and may run in
// parallel on one server (ginkgo -p). Nothing sleeps: time moves by the sandbox clock, and the
// driver hears of every move through the optional "clock" and "sync" operations.
//
// Some rules are checked in every spec, whatever else it is about: every link of every page
// view is checked for the Secret Keys generated in the spec, and when the spec ends the journal
// is read for credential material in any URL (the vendor's requests and the suite's own
// downloads of the links the vendor handed out). Every page view a spec judges is compared
// with the ground truth at that instant, so a page kept from an earlier view fails wherever
// the truth has moved on.
//
// A failure says what the vendor's integration did, what it should have done, and the journal
// lines that show it. A failure the vendor did not cause (the driver broke the protocol, the
// server went away, no suitable student) is a harness failure: the run cannot judge the vendor.
//
// # Running
//
// `ssrmock conform` calls Run once per process (Ginkgo allows no second RunSpecs). `go test`
// and `ginkgo` run the suite through TestConformance with the same flags (-driver-cmd,
// -driver-url, -server, -control-token, -known-failing, -timeout, -start-timeout, -report-dir,
// -explore-seed, -explore-steps) and Ginkgo's own
// (-ginkgo.label-filter, …); with no driver flag they run the reference vendor in-process
// against an in-process server.
//
// # Explore phase
//
// After the scenario specs, spec explore/model walks the service's state at random: seeded
// walks of events (clock moves stopping inside the windows of tokens, links, Retry-After,
// maintenance and release days; releases, amendments, regenerations, expiries, transfers;
// faults on every vendor route), each followed by page views judged with the specs' own checks
// (expectMatches, expectOutcome, the journal rules). A failed check is trapped (failCheck), the
// walk is shrunk by replaying shorter sequences in fresh sandboxes, and the shortest failing
// one is reported as steps with the replay seed. Coverage (what the walks exercised) goes into
// every report.
//
// A known-failing file lists spec ids, one a line, "#" starting a comment. Its specs may fail
// without failing the run, but one that passes fails it, so the list stays true.
//
// With a report directory a run writes junit.xml (Ginkgo's JUnit report), conformance.json (a
// Summary), summary.txt and summary.html.
package conformance

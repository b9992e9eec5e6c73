// Package findings judges a vendor integration from the vendor-API requests it sends, as the
// mock's journal records them. It is the one implementation of the journal rules: the server
// feeds every journaled request of a sandbox into an Evaluator to report live findings, and
// the conformance suite calls the same rule code on the journal excerpt of a spec.
//
// Evaluation is incremental: each entry updates a little state per LEA or User Name, bounded
// in size, and a rule that sees a breach records a Finding with the journal entries that show
// it. The package depends on nothing of ours, so both sides can use it. docs/findings.md
// states every rule, its threshold and what the vendor should do.
package findings

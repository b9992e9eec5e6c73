package ssrpdf

import "github.com/ssrmock/ssrmock/fixtures"

// This file holds which catalog entries a report's results were scored on, for the drawing
// and for the content model (Content) alike.

// TestFor returns the catalog entry a result was scored on: the entry of d.Tests with the
// result's test ID that applies in the result's school year (the latest From not after it).
func (d Document) TestFor(res fixtures.Result) (fixtures.Test, bool) {
	var found *fixtures.Test
	for i := range d.Tests {
		t := &d.Tests[i]
		if t.ID == res.Test && t.From <= res.Year && (found == nil || t.From > found.From) {
			found = t
		}
	}
	if found == nil {
		return fixtures.Test{}, false
	}
	return *found, true
}

// Combined reports whether the report prints Smarter Balanced and CAST results together (the
// one SSR of grades 5, 8 and 11 from 2023-24 on).
func (d Document) Combined() bool {
	if d.Report.Family != fixtures.FamilySmarterBalanced {
		return false
	}
	for _, res := range d.Report.Results {
		if res.Test == fixtures.CAST {
			return true
		}
	}
	return false
}

// CompositeLevels returns the level names of a test's composites, lowest first.
func CompositeLevels(t fixtures.Test) []string {
	if len(t.CompositeLevels) > 0 {
		return t.CompositeLevels
	}
	return t.Levels
}

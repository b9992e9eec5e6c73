package findings

import "testing"

// BenchmarkAdd measures judging one journal entry against every rule: a clean listing and
// download (the common case), and a token for every call (a finding updated on each entry).
//
//	go test ./findings -run '^$' -bench Add -count 5
func BenchmarkAdd(b *testing.B) {
	for _, c := range []struct {
		name  string
		steps []step
	}{
		{"clean", []step{listOK, {e: Entry{Route: RoutePDF, Status: 200}}}},
		{"finding", []step{tokenOK}},
	} {
		b.Run(c.name, func(b *testing.B) {
			ev := New()
			es := entries(c.steps)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				e := es[i%len(es)]
				e.Seq = int64(i + 1)
				ev.Add(e)
			}
		})
	}
}

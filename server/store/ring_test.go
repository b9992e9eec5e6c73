package store

import "testing"

// TestRingAcrossChunks fills a ring whose capacity is not a whole number of chunks
// past overflow and checks that reads see the newest entries, in order, with the overflow
// counted.
func TestRingAcrossChunks(t *testing.T) {
	const capacity, added = 2*ringChunk + 88, 1000
	j := &ring{capacity: capacity, next: 1}
	for i := 1; i <= added; i++ {
		j.add(JournalEntry{Status: i})
		if i == capacity/2 || i == capacity || i == added {
			p := j.since(0, added)
			kept := min(i, capacity)
			if len(p.Entries) != kept || p.Dropped != i-kept || p.Missed != i-kept || p.Next != i {
				t.Fatalf("after %d adds: %d entries, dropped %d, missed %d, next %d; want %d, %d, %d, %d",
					i, len(p.Entries), p.Dropped, p.Missed, p.Next, kept, i-kept, i-kept, i)
			}
			for k, e := range p.Entries {
				if want := i - kept + 1 + k; e.Seq != want || e.Status != want {
					t.Fatalf("after %d adds: entry %d is seq %d status %d, want %d", i, k, e.Seq, e.Status, want)
				}
			}
		}
	}
	p := j.since(700, 50)
	if len(p.Entries) != 50 || p.Entries[0].Seq != 701 || p.Entries[49].Seq != 750 || p.Next != 750 || p.Missed != 0 {
		t.Errorf("since(700, 50) = %d entries from %d, next %d, missed %d; want 701..750, next 750, none missed",
			len(p.Entries), p.Entries[0].Seq, p.Next, p.Missed)
	}
	if got := len(j.chunks); got != 3 {
		t.Errorf("%d chunks for capacity %d, want 3", got, capacity)
	}
}

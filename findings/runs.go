package findings

import "time"

// run is the latest answers of a kind in a row, oldest first, at most n.
type run struct {
	seqs  []int64
	times []time.Time
}

// push adds one answer, keeping the latest n.
func (r *run) push(e *Entry, n int) {
	if len(r.seqs) == n {
		r.seqs, r.times = r.seqs[1:], r.times[1:]
	}
	r.seqs, r.times = append(r.seqs, e.Seq), append(r.times, e.RealAt)
}

// within reports whether the run holds n answers whose first and last are at most d apart.
func (r *run) within(n int, d time.Duration) bool {
	return len(r.seqs) == n && r.times[n-1].Sub(r.times[0]) <= d
}

// evidence returns the run's sequence numbers, at most MaxEvidence of them.
func (r *run) evidence() []int64 {
	s := r.seqs
	if len(s) > MaxEvidence {
		s = append(append([]int64{}, s[:MaxEvidence-1]...), s[len(s)-1])
	}
	return append([]int64{}, s...)
}

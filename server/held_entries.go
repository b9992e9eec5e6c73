package server

import "slices"

// heldEntries are journal entries that reached the findings before one numbered earlier, held
// until the findings can take them in order. They are as few as the requests that overtook
// another, so a slice serves them better than a map: no hashing, and no map to grow and
// clear per burst.
type heldEntries []JournalEntry

// hold keeps a copy of e.
func (h *heldEntries) hold(e *JournalEntry) { *h = append(*h, *e) }

// take removes and returns the entry numbered seq, if one is held.
func (h *heldEntries) take(seq int) (JournalEntry, bool) {
	s := *h
	for i := range s {
		if s[i].Seq == seq {
			e := s[i]
			*h = slices.Delete(s, i, i+1)
			h.shrink()
			return e, true
		}
	}
	return JournalEntry{}, false
}

// dropThrough drops the entries numbered seq or lower: the findings read them from the
// journal meanwhile.
func (h *heldEntries) dropThrough(seq int) {
	*h = slices.DeleteFunc(*h, func(e JournalEntry) bool { return e.Seq <= seq })
	h.shrink()
}

// shrink lets go of the room a burst of many held entries grew, once none is held.
func (h *heldEntries) shrink() {
	if len(*h) == 0 && cap(*h) > 16 {
		*h = nil
	}
}

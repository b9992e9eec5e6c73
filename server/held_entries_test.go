package server

import "testing"

func TestHeldEntries(t *testing.T) {
	var h heldEntries
	for _, seq := range []int{7, 5, 6, 9} {
		h.hold(&JournalEntry{Seq: seq, Path: "/p"})
	}
	if _, ok := h.take(4); ok {
		t.Fatal("took entry 4, which was never held")
	}
	for _, seq := range []int{5, 6, 7} {
		e, ok := h.take(seq)
		if !ok || e.Seq != seq || e.Path != "/p" {
			t.Fatalf("take(%d) = %+v, %v", seq, e, ok)
		}
	}
	if _, ok := h.take(5); ok {
		t.Fatal("took entry 5 twice")
	}
	if len(h) != 1 || h[0].Seq != 9 {
		t.Fatalf("held %+v, want entry 9 alone", h)
	}
	h.dropThrough(8)
	if len(h) != 1 {
		t.Fatalf("dropThrough(8) dropped entry 9")
	}
	h.dropThrough(9)
	if len(h) != 0 {
		t.Fatalf("dropThrough(9) left %+v", h)
	}
	for seq := range 100 {
		h.hold(&JournalEntry{Seq: seq})
	}
	h.dropThrough(99)
	if h != nil {
		t.Errorf("after a burst of 100, an empty hold keeps room for %d entries", cap(h))
	}
}

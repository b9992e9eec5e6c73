package cow

import (
	"fmt"
	"sync"
	"testing"
)

func TestMapIsAMap(t *testing.T) {
	var m Map[string, int]
	if _, ok := m.Load("a"); ok || m.Len() != 0 {
		t.Fatal("the zero Map is not empty")
	}
	if v, loaded := m.LoadOrStore("a", 1); v != 1 || loaded {
		t.Fatalf("LoadOrStore(a, 1) on an empty map = %d, %v", v, loaded)
	}
	if v, loaded := m.LoadOrStore("a", 2); v != 1 || !loaded {
		t.Fatalf("LoadOrStore(a, 2) after a = 1: %d, %v, want the value kept", v, loaded)
	}
	m.LoadOrStore("b", 3)
	m.Delete("a")
	m.Delete("absent")
	if _, ok := m.Load("a"); ok {
		t.Fatal("a is still there after Delete")
	}
	if v, ok := m.Load("b"); !ok || v != 3 || m.Len() != 1 {
		t.Fatalf("Load(b) = %d, %v with %d values, want 3 alone", v, ok, m.Len())
	}
	for k, v := range m.All() {
		if k != "b" || v != 3 {
			t.Fatalf("All yielded %q: %d, want only b: 3", k, v)
		}
	}
	m.Clear()
	if _, ok := m.Load("b"); ok || m.Len() != 0 {
		t.Fatal("values left after Clear")
	}
	m.LoadOrStore("c", 4)
	if v, _ := m.Load("c"); v != 4 {
		t.Fatal("a store after Clear is lost")
	}
}

// TestMapUnderConcurrentUse (run with -race): readers see a key's one value or none while
// writers store and delete others.
func TestMapUnderConcurrentUse(t *testing.T) {
	var m Map[string, int]
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				n := (i*7 + g) % 50
				k := fmt.Sprint(n)
				if v, ok := m.Load(k); ok && v != n {
					t.Errorf("Load(%q) = %d", k, v)
					return
				}
				switch i % 4 {
				case g % 4:
					m.LoadOrStore(k, n)
				case (g + 2) % 4:
					m.Delete(k)
				}
			}
		}()
	}
	wg.Wait()
}

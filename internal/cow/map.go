// Package cow holds Map, a map that many goroutines read without a lock and few write.
package cow

import (
	"iter"
	"maps"
	"sync"
	"sync/atomic"
)

// Map is a map read without a lock: a read looks in a map published whole and never written
// again, and a write copies it, changes the copy and publishes that. It suits a map that every
// request reads on every core and that changes rarely, and not often at size: a write costs a
// copy of the whole map. The zero value is an empty map.
type Map[K comparable, V any] struct {
	mu  sync.Mutex // orders the writers
	cur atomic.Pointer[map[K]V]
}

// Load returns the value for k.
func (m *Map[K, V]) Load(k K) (V, bool) {
	if p := m.cur.Load(); p != nil {
		v, ok := (*p)[k]
		return v, ok
	}
	var zero V
	return zero, false
}

// LoadOrStore returns the value for k if there is one, and else stores v and returns it.
// loaded reports which.
func (m *Map[K, V]) LoadOrStore(k K, v V) (actual V, loaded bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if prev, ok := m.Load(k); ok {
		return prev, true
	}
	m.updateLocked(func(next map[K]V) { next[k] = v })
	return v, false
}

// Delete removes k's value, if there is one.
func (m *Map[K, V]) Delete(k K) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.Load(k); ok {
		m.updateLocked(func(next map[K]V) { delete(next, k) })
	}
}

// Clear removes every value.
func (m *Map[K, V]) Clear() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cur.Store(nil)
}

// All yields the keys and values as they were when it began, in no order.
func (m *Map[K, V]) All() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		if p := m.cur.Load(); p != nil {
			for k, v := range *p {
				if !yield(k, v) {
					return
				}
			}
		}
	}
}

// Len is the number of values.
func (m *Map[K, V]) Len() int {
	if p := m.cur.Load(); p != nil {
		return len(*p)
	}
	return 0
}

// updateLocked publishes a copy of the map changed by change. m.mu is held.
func (m *Map[K, V]) updateLocked(change func(next map[K]V)) {
	next := map[K]V{}
	if p := m.cur.Load(); p != nil {
		next = maps.Clone(*p)
	}
	change(next)
	m.cur.Store(&next)
}

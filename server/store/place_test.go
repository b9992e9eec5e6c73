package store_test

import (
	"sync"
	"testing"
)

// places gives each test one place for its store (a file, a database), made at the
// test's first call of at and the same at every later call, so that an Open or Reopen
// func called twice for a test opens one store twice: as a restarted server, or as a
// second server beside the first.
type places struct {
	mu   sync.Mutex
	make func(t *testing.T) string
	of   map[*testing.T]string
}

func newPlaces(make func(t *testing.T) string) *places {
	return &places{make: make, of: map[*testing.T]string{}}
}

func (p *places) at(t *testing.T) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	where, ok := p.of[t]
	if !ok {
		where = p.make(t)
		p.of[t] = where
	}
	return where
}

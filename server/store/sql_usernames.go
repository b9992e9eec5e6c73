package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// usernameCache keeps the User Name index's answers in memory when one process owns the
// store (SQLite): every token request looks its User Name up, and nothing but this process
// changes the index. Create, Regenerate and Delete empty it once their change is committed,
// before they return, so a lookup after one of them returns reads the index anew.
//
// A lookup that raced a change is not kept: each entry is kept only if no change was
// committed since before the lookup's read began (gen).
type usernameCache struct {
	mu    sync.Mutex
	gen   uint64
	names map[string]usernameAnswer
}

// usernameAnswer is what the index says of one User Name.
type usernameAnswer struct {
	id, holder string
	known      bool
}

// maxCachedUsernames bounds the cache: past it, it starts again empty.
const maxCachedUsernames = 4096

// generation is the count of changes so far.
func (c *usernameCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

func (c *usernameCache) get(name string) (usernameAnswer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.names[name]
	return a, ok
}

// put keeps a read begun at generation gen, unless a change came since.
func (c *usernameCache) put(gen uint64, name string, a usernameAnswer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.names == nil || len(c.names) >= maxCachedUsernames {
		c.names = make(map[string]usernameAnswer)
	}
	c.names[name] = a
}

// changed empties the cache after a change of the index.
func (c *usernameCache) changed() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.names = nil
}

// Username finds a User Name: in the cache when the store is not shared, else in the index.
func (s *SQL) Username(ctx context.Context, name string) (string, string, bool, error) {
	if s.shared {
		a, err := s.readUsername(ctx, name)
		return a.id, a.holder, a.known, err
	}
	if a, ok := s.usernames.get(name); ok {
		return a.id, a.holder, a.known, nil
	}
	gen := s.usernames.generation()
	a, err := s.readUsername(ctx, name)
	if err != nil {
		return "", "", false, err
	}
	s.usernames.put(gen, name, a)
	return a.id, a.holder, a.known, nil
}

// readUsername reads a User Name from the index.
func (s *SQL) readUsername(ctx context.Context, name string) (usernameAnswer, error) {
	var a usernameAnswer
	err := s.readRow(ctx, `SELECT sandbox, holder FROM usernames WHERE username = $1`, name).Scan(&a.id, &a.holder)
	if errors.Is(err, sql.ErrNoRows) {
		return usernameAnswer{}, nil
	}
	if err != nil {
		return usernameAnswer{}, err
	}
	a.known = true
	return a, nil
}

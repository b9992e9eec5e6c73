package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/ssrmock/ssrmock/server/store"
)

// openStore opens the store serve --state names: none is memory, a postgres:// or
// postgresql:// URL is PostgreSQL (for several replicas), anything else a SQLite file.
func openStore(ctx context.Context, state string) (store.Store, error) {
	o := store.Options{}
	switch {
	case state == "":
		return store.NewMemory(o), nil
	case strings.HasPrefix(state, "postgres://") || strings.HasPrefix(state, "postgresql://"):
		s, err := store.OpenPostgres(ctx, state, o)
		if err != nil {
			return nil, fmt.Errorf("--state: %w", err)
		}
		return s, nil
	}
	s, err := store.OpenSQLite(state, o)
	if err != nil {
		return nil, fmt.Errorf("--state %s: %w", state, err)
	}
	return s, nil
}

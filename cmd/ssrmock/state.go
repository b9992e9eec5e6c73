package main

import (
	"context"
	"fmt"

	"github.com/ssrmock/ssrmock/server/store"
)

// openStore opens the store serve --state names (see store.Open). Its errors name the flag
// and a file path, never a PostgreSQL URL, which may hold a password.
func openStore(ctx context.Context, state string) (store.Store, error) {
	s, err := store.Open(ctx, state, store.Options{})
	switch {
	case err == nil:
		return s, nil
	case store.IsPostgresURL(state):
		return nil, fmt.Errorf("--state: %w", err)
	}
	return nil, fmt.Errorf("--state %s: %w", state, err)
}

package store

import (
	"context"
	"strings"
)

// Open opens the store that state names, as serve's --state flag does: "" is a new Memory
// store, a postgres:// or postgresql:// URL a PostgreSQL database (OpenPostgres), and
// anything else the path of an SQLite file (OpenSQLite).
func Open(ctx context.Context, state string, o Options) (Store, error) {
	switch {
	case state == "":
		return NewMemory(o), nil
	case IsPostgresURL(state):
		return OpenPostgres(ctx, state, o)
	}
	return OpenSQLite(state, o)
}

// IsPostgresURL reports whether state names a PostgreSQL database: a URL whose scheme is
// postgres or postgresql, in any case.
func IsPostgresURL(state string) bool {
	scheme, _, ok := strings.Cut(state, "://")
	return ok && (strings.EqualFold(scheme, "postgres") || strings.EqualFold(scheme, "postgresql"))
}

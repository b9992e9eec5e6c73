package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ssrmock/ssrmock/internal/pgtest"
	"github.com/ssrmock/ssrmock/server/store"
)

func TestOpen(t *testing.T) {
	ctx := context.Background()
	mem, err := store.Open(ctx, "", store.Options{})
	must(t, err)
	if _, ok := mem.(*store.Memory); !ok {
		t.Errorf("Open(\"\") is a %T, want *store.Memory", mem)
	}
	file := filepath.Join(t.TempDir(), "state.db")
	lite, err := store.Open(ctx, file, store.Options{})
	must(t, err)
	if s, ok := lite.(*store.SQL); !ok || s.Shared() {
		t.Errorf("Open(%q) is a %T, want an unshared *store.SQL", file, lite)
	}
	must(t, lite.Close())
	url := pgtest.Start(t)
	pg, err := store.Open(ctx, url, store.Options{})
	must(t, err)
	if s, ok := pg.(*store.SQL); !ok || !s.Shared() {
		t.Errorf("Open(%q) is a %T, want a shared *store.SQL", url, pg)
	}
	must(t, pg.Close())
}

func TestIsPostgresURL(t *testing.T) {
	for state, want := range map[string]bool{
		"postgres://u@localhost/db":       true,
		"postgresql://u@localhost:5432/x": true,
		"POSTGRES://u@localhost/db":       true,
		"ssrmock.db":                      false,
		"/var/lib/ssrmock/postgres.db":    false,
		"file://ssrmock.db":               false,
		"postgres.db":                     false,
		"":                                false,
	} {
		if got := store.IsPostgresURL(state); got != want {
			t.Errorf("IsPostgresURL(%q) = %v, want %v", state, got, want)
		}
	}
}

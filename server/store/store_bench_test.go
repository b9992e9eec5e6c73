package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ssrmock/ssrmock/internal/pgtest"
	"github.com/ssrmock/ssrmock/server/store"
	"github.com/ssrmock/ssrmock/server/store/storetest"
)

// benchStores are the three stores, each opened empty for one benchmark with the default
// journal size: memory, an SQLite file in a temporary directory, a new PostgreSQL database
// on the test binary's server (fsync on).
var benchStores = []struct {
	name string
	open func(b *testing.B, o store.Options) store.Store
}{
	{"memory", func(b *testing.B, o store.Options) store.Store { return store.NewMemory(o) }},
	{"sqlite", func(b *testing.B, o store.Options) store.Store {
		s, err := store.OpenSQLite(filepath.Join(b.TempDir(), "state.db"), o)
		if err != nil {
			b.Fatal(err)
		}
		return s
	}},
	{"postgres", func(b *testing.B, o store.Options) store.Store {
		s, err := store.OpenPostgres(context.Background(), pgtest.Start(b), o)
		if err != nil {
			b.Fatal(err)
		}
		return s
	}},
}

const benchLEA = "01611920000000"

// benchEach runs fn against each store holding sandbox "a" with a pair and, when fill is
// set, a journal of 100 entries, full when o's JournalSize is 100.
func benchEach(b *testing.B, o store.Options, fill bool, fn func(b *testing.B, s store.Store)) {
	ctx := context.Background()
	for _, bs := range benchStores {
		b.Run(bs.name, func(b *testing.B) {
			s := bs.open(b, o)
			defer s.Close()
			if err := s.Create(ctx, storetest.Sandbox("a"), store.State{}, 10); err != nil {
				b.Fatal(err)
			}
			if _, err := s.Regenerate(ctx, "a", benchLEA, storetest.Credential(benchLEA, "bench-user"), 2); err != nil {
				b.Fatal(err)
			}
			for i := 0; fill && i < 100; i++ {
				if _, err := s.Append(ctx, "a", benchEntry()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			fn(b, s)
		})
	}
}

func benchEntry() store.JournalEntry {
	return store.JournalEntry{Method: "GET", Path: "/api/v1/students/1000000001/reports", Route: "reports", LEA: benchLEA,
		Username: "bench-user", Credential: "current", TokenState: "valid", SSID: "1000000001", Status: 200,
		QueryParams: []string{"lang"}}
}

// BenchmarkAppend journals one vendor request: what every vendor request costs.
func BenchmarkAppend(b *testing.B) {
	benchEach(b, store.Options{}, false, func(b *testing.B, s store.Store) {
		e := benchEntry()
		for b.Loop() {
			if _, err := s.Append(context.Background(), "a", e); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAppendParallel journals from 16 goroutines at once, as concurrent vendor
// requests do.
func BenchmarkAppendParallel(b *testing.B) {
	benchEach(b, store.Options{}, false, func(b *testing.B, s store.Store) {
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			e := benchEntry()
			for pb.Next() {
				if _, err := s.Append(context.Background(), "a", e); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkAppendFull journals into a full journal, which drops its oldest entries: a
// long-running server's case.
func BenchmarkAppendFull(b *testing.B) {
	benchEach(b, store.Options{JournalSize: 100}, true, func(b *testing.B, s store.Store) {
		e := benchEntry()
		for b.Loop() {
			if _, err := s.Append(context.Background(), "a", e); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVersion asks for the state's version: what a server sharing its store pays per
// request to know its cached state is the newest.
func BenchmarkVersion(b *testing.B) {
	benchEach(b, store.Options{}, false, func(b *testing.B, s store.Store) {
		for b.Loop() {
			if _, err := s.Version(context.Background(), "a"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLoad reads the state: what a server pays when the version says it changed.
func BenchmarkLoad(b *testing.B) {
	benchEach(b, store.Options{}, false, func(b *testing.B, s store.Store) {
		for b.Loop() {
			if _, _, err := s.Load(context.Background(), "a"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkUpdate changes the state: a clock move, a fault scheduled.
func BenchmarkUpdate(b *testing.B) {
	benchEach(b, store.Options{}, false, func(b *testing.B, s store.Store) {
		for b.Loop() {
			if _, _, err := s.Update(context.Background(), "a", func(st *store.State) error { st.NextFault++; return nil }); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkUsername looks a User Name up: what a token request costs.
func BenchmarkUsername(b *testing.B) {
	benchEach(b, store.Options{}, false, func(b *testing.B, s store.Store) {
		for b.Loop() {
			if _, _, ok, err := s.Username(context.Background(), "bench-user"); err != nil || !ok {
				b.Fatal(ok, err)
			}
		}
	})
}

// BenchmarkJournal reads a page of 100 entries, as the control panel's poller does.
func BenchmarkJournal(b *testing.B) {
	benchEach(b, store.Options{}, true, func(b *testing.B, s store.Store) {
		for b.Loop() {
			if p, err := s.Journal(context.Background(), "a", 0, 100); err != nil || len(p.Entries) != 100 {
				b.Fatal(len(p.Entries), err)
			}
		}
	})
}

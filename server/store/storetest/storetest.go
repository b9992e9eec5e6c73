// Package storetest is the contract every store.Store keeps, as tests: each implementation
// runs Run against itself, so that memory, SQLite and PostgreSQL behave the same.
package storetest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/ssrmock/ssrmock/server/store"
)

// JournalSize is the journal size the stores under test must be opened with.
const JournalSize = 50

// Open returns an empty store opened with store.Options{JournalSize: JournalSize}, closed
// when the test ends. For a shared store, a second call for the same test returns a second
// handle on the same store, as another server would have: the tests of concurrency spread
// their calls over both.
type Open func(t *testing.T) store.Store

var start = time.Date(2019, 8, 1, 8, 0, 0, 0, time.UTC)

// Sandbox is a sandbox record for tests.
func Sandbox(id string) store.Sandbox {
	return store.Sandbox{ID: id, Spec: []byte(`{"seed":1}`), Key: []byte("0123456789abcdef0123456789abcdef"),
		CreatedAt: start, LastUsed: start}
}

// Credential is a pair for tests.
func Credential(lea, username string) store.Credential {
	return store.Credential{LEA: lea, Username: username, SecretHash: sha256.Sum256([]byte(username + "-secret")),
		Coordinator: "caaspp", GeneratedAt: start, ExpiresAt: start.Add(365 * 24 * time.Hour)}
}

// Run checks the contract.
func Run(t *testing.T, open Open) {
	t.Run("Sandboxes", func(t *testing.T) { testSandboxes(t, open(t)) })
	t.Run("Update", func(t *testing.T) { testUpdate(t, open(t)) })
	t.Run("Regenerate", func(t *testing.T) { testRegenerate(t, open(t)) })
	t.Run("ConcurrentRegenerations", func(t *testing.T) { testConcurrentRegenerations(t, open(t), open(t)) })
	t.Run("Journal", func(t *testing.T) { testJournal(t, open(t)) })
	t.Run("ConcurrentUpdates", func(t *testing.T) { testConcurrentUpdates(t, open(t), open(t)) })
	t.Run("ConcurrentCreates", func(t *testing.T) { testConcurrentCreates(t, open(t), open(t)) })
	t.Run("ConcurrentAppends", func(t *testing.T) { testConcurrentAppends(t, open(t), open(t)) })
	t.Run("Seen", func(t *testing.T) { testSeen(t, open(t)) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, open(t)) })
	t.Run("UsernamesFollowChanges", func(t *testing.T) { testUsernamesFollowChanges(t, open(t)) })
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func create(t *testing.T, s store.Store, id string) {
	t.Helper()
	must(t, s.Create(context.Background(), Sandbox(id), store.State{Clock: store.Clock{Now: start}}, 10))
}

func testSandboxes(t *testing.T, s store.Store) {
	ctx := context.Background()
	create(t, s, "a")
	if err := s.Create(ctx, Sandbox("a"), store.State{}, 10); !errors.Is(err, store.ErrExists) {
		t.Errorf("second create of a: %v, want ErrExists", err)
	}
	create(t, s, "b")
	if err := s.Create(ctx, Sandbox("c"), store.State{}, 2); !errors.Is(err, store.ErrLimit) {
		t.Errorf("create beyond max 2: %v, want ErrLimit", err)
	}
	got, err := s.Sandbox(ctx, "a")
	must(t, err)
	want := Sandbox("a")
	if got.ID != want.ID || string(got.Spec) != string(want.Spec) || string(got.Key) != string(want.Key) ||
		!got.CreatedAt.Equal(want.CreatedAt) || !got.LastUsed.Equal(want.LastUsed) {
		t.Errorf("Sandbox(a) = %+v, want %+v", got, want)
	}
	if _, err := s.Sandbox(ctx, "zz"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Sandbox(zz): %v, want ErrNotFound", err)
	}
	later := start.Add(time.Hour)
	must(t, s.Touch(ctx, "b", later))
	all, err := s.Sandboxes(ctx)
	must(t, err)
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	if len(all) != 2 || all[0].ID != "a" || all[1].ID != "b" || !all[1].LastUsed.Equal(later) || !all[0].LastUsed.Equal(start) {
		t.Errorf("Sandboxes = %+v, want a (used %v) and b (used %v)", all, start, later)
	}
}

func testUpdate(t *testing.T, s store.Store) {
	ctx := context.Background()
	create(t, s, "a")
	st, v1, err := s.Load(ctx, "a")
	must(t, err)
	if !st.Clock.Now.Equal(start) {
		t.Errorf("clock %v, want %v", st.Clock.Now, start)
	}
	moved := start.Add(48 * time.Hour)
	fault := store.Fault{ID: "f1", Route: "pdf", Status: 503, Code: "maintenance", RetryAfter: 30 * time.Second,
		Count: 2, Remaining: 2, From: start, Until: moved}
	st2, v2, err := s.Update(ctx, "a", func(st *store.State) error {
		st.Clock = store.Clock{Now: moved, Following: true, RefAt: start.Add(time.Minute)}
		st.Transfers["1000000001"] = store.Transfer{From: "x", To: "y", School: "z", At: moved}
		st.TransfersIn["y"] = append(st.TransfersIn["y"], "1000000001")
		st.Amendments["r1"] = 2
		st.Faults = append(st.Faults, fault)
		st.NextFault = 1
		return nil
	})
	must(t, err)
	if v2 <= v1 {
		t.Errorf("version %d after an update, was %d", v2, v1)
	}
	if v, err := s.Version(ctx, "a"); err != nil || v != v2 {
		t.Errorf("Version = %d, %v; want %d", v, err, v2)
	}
	loaded, v3, err := s.Load(ctx, "a")
	must(t, err)
	for name, got := range map[string]store.State{"Update's": st2, "Load's": loaded} {
		if !got.Clock.Now.Equal(moved) || !got.Clock.Following || !got.Clock.RefAt.Equal(start.Add(time.Minute)) {
			t.Errorf("%s clock %+v", name, got.Clock)
		}
		tr := got.Transfers["1000000001"]
		if tr.From != "x" || tr.To != "y" || tr.School != "z" || !tr.At.Equal(moved) {
			t.Errorf("%s transfer %+v", name, tr)
		}
		if !slices.Equal(got.TransfersIn["y"], []string{"1000000001"}) || got.Amendments["r1"] != 2 || got.NextFault != 1 {
			t.Errorf("%s state %+v", name, got)
		}
		if len(got.Faults) != 1 || !faultEqual(got.Faults[0], fault) {
			t.Errorf("%s faults %+v, want %+v", name, got.Faults, fault)
		}
	}
	if v3 != v2 {
		t.Errorf("Load's version %d, want %d", v3, v2)
	}
	boom := errors.New("boom")
	if _, _, err := s.Update(ctx, "a", func(st *store.State) error { st.Amendments["r1"] = 9; return boom }); !errors.Is(err, boom) {
		t.Errorf("a failed update answered %v, want its error", err)
	}
	if st, v, _ := s.Load(ctx, "a"); st.Amendments["r1"] != 2 || v != v2 {
		t.Errorf("a failed update left amendment %d, version %d; want 2, %d", st.Amendments["r1"], v, v2)
	}
	if _, _, err := s.Update(ctx, "zz", func(*store.State) error { return nil }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("update of a missing sandbox: %v", err)
	}
}

func faultEqual(a, b store.Fault) bool {
	return a.ID == b.ID && a.Route == b.Route && a.Status == b.Status && a.Code == b.Code && a.RetryAfter == b.RetryAfter &&
		a.Delay == b.Delay && a.Drop == b.Drop && a.Truncate == b.Truncate && a.Count == b.Count &&
		a.Remaining == b.Remaining && a.From.Equal(b.From) && a.Until.Equal(b.Until) && a.Hits == b.Hits
}

func testRegenerate(t *testing.T, s store.Store) {
	ctx := context.Background()
	create(t, s, "a")
	const lea = "01611920000000"
	for i := 1; i <= 4; i++ {
		c, err := s.Regenerate(ctx, "a", lea, Credential(lea, fmt.Sprintf("user%d", i)), 2)
		must(t, err)
		if c.Generation != i {
			t.Errorf("pair %d has generation %d", i, c.Generation)
		}
	}
	st, _, err := s.Load(ctx, "a")
	must(t, err)
	c := st.Credentials[lea]
	want := Credential(lea, "user4")
	if c.Username != "user4" || c.Generation != 4 || c.SecretHash != want.SecretHash || !c.ExpiresAt.Equal(want.ExpiresAt) ||
		!slices.Equal(c.Superseded, []string{"user2", "user3"}) {
		t.Errorf("current pair %+v, want user4, generation 4, superseded user2 user3", c)
	}
	for name, known := range map[string]bool{"user1": false, "user2": true, "user3": true, "user4": true, "nobody": false} {
		sbx, holder, ok, err := s.Username(ctx, name)
		must(t, err)
		if ok != known || (known && (sbx != "a" || holder != lea)) {
			t.Errorf("Username(%s) = %q %q %v, want known %v", name, sbx, holder, ok, known)
		}
	}
	school := "01611926000000"
	sc, err := s.Regenerate(ctx, "a", school, Credential(lea, "school1"), 2)
	must(t, err)
	if sc.Generation != 1 {
		t.Errorf("a school's first pair has generation %d", sc.Generation)
	}
	if _, holder, _, _ := s.Username(ctx, "school1"); holder != school {
		t.Errorf("school1 belongs to %q, want %q", holder, school)
	}
}

// testConcurrentRegenerations regenerates one LEA's pair from many goroutines, through two
// handles on the store when it is shared: exactly one pair stays current, and no two
// regenerations got the same generation.
func testConcurrentRegenerations(t *testing.T, s, other store.Store) {
	ctx := context.Background()
	create(t, s, "a")
	hs := handles(s, other)
	const lea, n = "01611920000000", 24
	gens := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := hs[i%len(hs)].Regenerate(ctx, "a", lea, Credential(lea, fmt.Sprintf("user%02d", i)), 100)
			if err != nil {
				t.Error(err)
				return
			}
			gens[i] = c.Generation
		}()
	}
	wg.Wait()
	sorted := slices.Sorted(slices.Values(gens))
	for i, g := range sorted {
		if g != i+1 {
			t.Fatalf("generations %v, want 1…%d once each", sorted, n)
		}
	}
	for _, h := range hs {
		st, _, err := h.Load(ctx, "a")
		must(t, err)
		c := st.Credentials[lea]
		if c.Generation != n || len(c.Superseded) != n-1 || slices.Contains(c.Superseded, c.Username) {
			t.Errorf("after %d regenerations: generation %d, %d superseded, current %s", n, c.Generation, len(c.Superseded), c.Username)
		}
		if sbx, holder, ok, err := h.Username(ctx, c.Username); err != nil || !ok || sbx != "a" || holder != lea {
			t.Errorf("the current User Name %s is found as %q %q %v (%v)", c.Username, sbx, holder, ok, err)
		}
	}
}

func entry(route string) store.JournalEntry {
	return store.JournalEntry{At: start, RealAt: start, Method: "GET", Path: "/p", Route: route, Status: 200, QueryParams: []string{"lang"}}
}

func testJournal(t *testing.T, s store.Store) {
	ctx := context.Background()
	create(t, s, "a")
	p, err := s.Journal(ctx, "a", 0, 10)
	must(t, err)
	if len(p.Entries) != 0 || p.Entries == nil || p.Next != 0 || p.Dropped != 0 || p.Missed != 0 {
		t.Errorf("empty journal page %+v", p)
	}
	for i := 1; i <= JournalSize+5; i++ {
		e := entry("reports")
		e.SSID = fmt.Sprint(1000000000 + i)
		seq, err := s.Append(ctx, "a", e)
		must(t, err)
		if seq != i {
			t.Fatalf("entry %d numbered %d", i, seq)
		}
	}
	p, err = s.Journal(ctx, "a", 0, 3)
	must(t, err)
	if p.Dropped != 5 || p.Missed != 5 || len(p.Entries) != 3 || p.Entries[0].Seq != 6 || p.Next != 8 {
		t.Errorf("first page after overflow: dropped %d missed %d next %d, %d entries", p.Dropped, p.Missed, p.Next, len(p.Entries))
	}
	e := p.Entries[0]
	if e.SSID != "1000000006" || e.Route != "reports" || !e.At.Equal(start) || !slices.Equal(e.QueryParams, []string{"lang"}) || e.Status != 200 {
		t.Errorf("entry 6 reads back as %+v", e)
	}
	p, err = s.Journal(ctx, "a", JournalSize, 100)
	must(t, err)
	if p.Missed != 0 || len(p.Entries) != 5 || p.Entries[4].Seq != JournalSize+5 || p.Next != JournalSize+5 {
		t.Errorf("last page: missed %d, %d entries, next %d", p.Missed, len(p.Entries), p.Next)
	}
	p, err = s.Journal(ctx, "a", JournalSize+5, 100)
	must(t, err)
	if len(p.Entries) != 0 || p.Next != JournalSize+5 {
		t.Errorf("page past the end: %d entries, next %d", len(p.Entries), p.Next)
	}
	if _, err := s.Append(ctx, "zz", entry("token")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("append to a missing sandbox: %v", err)
	}
}

// handles is s, and other beside it when the store is shared.
func handles(s, other store.Store) []store.Store {
	if s.Shared() {
		return []store.Store{s, other}
	}
	return []store.Store{s}
}

// testConcurrentUpdates increments a number in the state from many goroutines: none of
// the increments is lost, and every version is handed out once.
func testConcurrentUpdates(t *testing.T, s, other store.Store) {
	ctx := context.Background()
	create(t, s, "a")
	hs := handles(s, other)
	const n = 24
	versions := make([]int64, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, v, err := hs[i%len(hs)].Update(ctx, "a", func(st *store.State) error { st.NextFault++; return nil })
			if err != nil {
				t.Error(err)
			}
			versions[i] = v
		}()
	}
	wg.Wait()
	sorted := slices.Sorted(slices.Values(versions))
	if distinct := len(slices.Compact(slices.Clone(sorted))); distinct != n {
		t.Errorf("%d concurrent updates were given %d distinct versions: %v", n, distinct, sorted)
	}
	for _, h := range hs {
		st, v, err := h.Load(ctx, "a")
		must(t, err)
		if st.NextFault != n || v != sorted[n-1] {
			t.Errorf("after %d concurrent increments the state holds %d at version %d, want %d at %d", n, st.NextFault, v, n, sorted[n-1])
		}
	}
}

// testConcurrentCreates creates more sandboxes at once than the limit allows: exactly the
// limit's number are made.
func testConcurrentCreates(t *testing.T, s, other store.Store) {
	ctx := context.Background()
	hs := handles(s, other)
	const n, max = 12, 5
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = hs[i%len(hs)].Create(ctx, Sandbox(fmt.Sprintf("s%02d", i)), store.State{Clock: store.Clock{Now: start}}, max)
		}()
	}
	wg.Wait()
	made := 0
	for _, err := range errs {
		switch {
		case err == nil:
			made++
		case !errors.Is(err, store.ErrLimit):
			t.Errorf("a create beyond the limit: %v, want ErrLimit", err)
		}
	}
	all, err := s.Sandboxes(ctx)
	must(t, err)
	if made != max || len(all) != max {
		t.Errorf("%d concurrent creates with a limit of %d made %d (%d listed)", n, max, made, len(all))
	}
}

// testConcurrentAppends journals into two sandboxes and a missing one from many
// goroutines, through both handles of a shared store: each journal, read through either
// handle, holds its entries once, numbered from 1 without gaps, and each append to the
// missing sandbox answers ErrNotFound.
func testConcurrentAppends(t *testing.T, s, other store.Store) {
	ctx := context.Background()
	create(t, s, "a")
	create(t, s, "b")
	hs := handles(s, other)
	const writers, each = 8, 5
	var wg sync.WaitGroup
	for w := range writers + 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				e := entry("token")
				e.Username = fmt.Sprintf("w%d-%d", w, i)
				id := []string{"a", "b"}[w%2]
				if w == writers {
					id = "zz"
				}
				_, err := hs[w%len(hs)].Append(ctx, id, e)
				if id == "zz" && !errors.Is(err, store.ErrNotFound) {
					t.Errorf("append to a missing sandbox: %v, want ErrNotFound", err)
				} else if id != "zz" && err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	for _, h := range hs {
		for _, id := range []string{"a", "b"} {
			p, err := h.Journal(ctx, id, 0, 1000)
			must(t, err)
			names := map[string]bool{}
			for i, e := range p.Entries {
				if e.Seq != i+1 {
					t.Fatalf("%s: entry %d numbered %d", id, i+1, e.Seq)
				}
				names[e.Username] = true
			}
			if want := writers / 2 * each; len(p.Entries) != want || len(names) != want {
				t.Errorf("%s: %d entries, %d distinct; want %d", id, len(p.Entries), len(names), want)
			}
		}
	}
}

func testSeen(t *testing.T, s store.Store) {
	ctx := context.Background()
	create(t, s, "a")
	for _, ssid := range []string{"2", "1", "2"} {
		must(t, s.MarkSeen(ctx, "a", ssid))
	}
	got, err := s.Seen(ctx, "a")
	must(t, err)
	slices.Sort(got)
	if !slices.Equal(got, []string{"1", "2"}) {
		t.Errorf("Seen = %v, want 1 2", got)
	}
}

func testDelete(t *testing.T, s store.Store) {
	ctx := context.Background()
	create(t, s, "a")
	create(t, s, "b")
	const lea = "01611920000000"
	_, err := s.Regenerate(ctx, "a", lea, Credential(lea, "ua"), 10)
	must(t, err)
	_, err = s.Regenerate(ctx, "b", lea, Credential(lea, "ub"), 10)
	must(t, err)
	_, err = s.Append(ctx, "a", entry("token"))
	must(t, err)
	must(t, s.Delete(ctx, "a"))
	if err := s.Delete(ctx, "a"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if _, _, ok, _ := s.Username(ctx, "ua"); ok {
		t.Error("a deleted sandbox's User Name is still known")
	}
	if _, _, ok, _ := s.Username(ctx, "ub"); !ok {
		t.Error("deleting a forgot another sandbox's User Name")
	}
	if _, _, err := s.Load(ctx, "a"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Load of a deleted sandbox: %v", err)
	}
	// A sandbox made again under the same ID starts empty.
	create(t, s, "a")
	p, err := s.Journal(ctx, "a", 0, 10)
	must(t, err)
	st, _, err := s.Load(ctx, "a")
	must(t, err)
	if len(p.Entries) != 0 || len(st.Credentials) != 0 {
		t.Errorf("a remade sandbox has %d entries and %d pairs", len(p.Entries), len(st.Credentials))
	}
	// Its journal numbers from 1 again, and an append to a deleted sandbox is refused.
	if seq, err := s.Append(ctx, "a", entry("token")); err != nil || seq != 1 {
		t.Errorf("the first append to a remade sandbox: %d, %v; want 1", seq, err)
	}
	must(t, s.Delete(ctx, "a"))
	if _, err := s.Append(ctx, "a", entry("token")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("append to a deleted sandbox: %v, want ErrNotFound", err)
	}
}

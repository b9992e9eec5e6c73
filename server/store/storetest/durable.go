package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ssrmock/ssrmock/server/store"
)

// Reopen opens the store kept at one place for the test (a file, a database), opened with
// store.Options{JournalSize: JournalSize}: empty at the first call for a test, and at every
// later call for the same test the store as the previous handle left it when closed.
type Reopen func(t *testing.T) store.Store

// RunDurable checks that a store that persists keeps everything across a close and a
// reopen: records and uses, the state (a following clock, pairs, transfers, amendments,
// faults), versions, the User Name index, the journal with its numbering and overflow, and
// the students seen.
func RunDurable(t *testing.T, reopen Reopen) {
	t.Run("Everything", func(t *testing.T) { testDurable(t, reopen) })
	t.Run("JournalContinues", func(t *testing.T) { testJournalContinues(t, reopen) })
}

// everything is what a store is asked for, read before a close to compare after.
type everything struct {
	Sandboxes map[string]store.Sandbox
	States    map[string]store.State
	Versions  map[string]int64
	Usernames map[string]string // name → sandbox/holder, "" when not known
	Journals  map[string]store.JournalPage
	Seen      map[string][]string
}

var durableNames = []string{"lea1", "lea2", "lea3", "school1", "b-lea1", "never"}

func readEverything(t *testing.T, s store.Store) everything {
	t.Helper()
	ctx := context.Background()
	all := everything{Sandboxes: map[string]store.Sandbox{}, States: map[string]store.State{}, Versions: map[string]int64{},
		Usernames: map[string]string{}, Journals: map[string]store.JournalPage{}, Seen: map[string][]string{}}
	sbs, err := s.Sandboxes(ctx)
	must(t, err)
	for _, sb := range sbs {
		all.Sandboxes[sb.ID] = sb
		st, v, err := s.Load(ctx, sb.ID)
		must(t, err)
		all.States[sb.ID], all.Versions[sb.ID] = st, v
		p, err := s.Journal(ctx, sb.ID, 0, 1000)
		must(t, err)
		all.Journals[sb.ID] = p
		seen, err := s.Seen(ctx, sb.ID)
		must(t, err)
		slices.Sort(seen)
		all.Seen[sb.ID] = seen
	}
	for _, name := range durableNames {
		sbx, holder, ok, err := s.Username(ctx, name)
		must(t, err)
		if ok {
			all.Usernames[name] = sbx + "/" + holder
		} else {
			all.Usernames[name] = ""
		}
	}
	return all
}

// fullEntry is a journal entry with every field set.
func fullEntry(i int) store.JournalEntry {
	return store.JournalEntry{At: start.Add(time.Duration(i) * time.Second), Method: "POST", Path: "/api/token", Route: "token",
		LEA: "01611920000000", School: "01611926000000", Pair: "school", Username: "lea3", Credential: "current",
		TokenState: "valid", SSID: fmt.Sprint(1000000000 + i), Status: 429, Code: "rate_limited", RetryAfter: 30, FaultID: "f1",
		Delay: 1.5, StudentLEA: "01611930000000", QueryParams: []string{"lang", "{redacted}"}, SecretInURL: true,
		Client: "harness", RealAt: time.Date(2026, 12, 2, 3, 4, 5, 123456789, time.UTC).Add(time.Duration(i) * time.Millisecond)}
}

func testDurable(t *testing.T, reopen Reopen) {
	ctx := context.Background()
	s := reopen(t)
	create(t, s, "a")
	create(t, s, "b")
	used := start.Add(90 * time.Minute)
	must(t, s.Touch(ctx, "a", used))
	const lea, school = "01611920000000", "01611926000000"
	for _, name := range []string{"lea1", "lea2", "lea3"} {
		_, err := s.Regenerate(ctx, "a", lea, Credential(lea, name), 1)
		must(t, err)
	}
	sc := Credential(lea, "school1")
	sc.School = school
	_, err := s.Regenerate(ctx, "a", school, sc, 1)
	must(t, err)
	_, err = s.Regenerate(ctx, "b", lea, Credential(lea, "b-lea1"), 1)
	must(t, err)
	refAt := time.Date(2026, 12, 2, 2, 0, 0, 987654321, time.UTC)
	fault := store.Fault{ID: "f1", Route: "pdf", Status: 503, Code: "maintenance", RetryAfter: 30 * time.Second, Delay: 2 * time.Second,
		Drop: true, Truncate: true, Count: 3, Remaining: 2, From: start, Until: start.Add(time.Hour), Hits: 1}
	_, _, err = s.Update(ctx, "a", func(st *store.State) error {
		st.Clock = store.Clock{Now: start.Add(72 * time.Hour), Following: true, RefAt: refAt}
		st.Transfers["1000000001"] = store.Transfer{From: lea, To: "01611930000000", School: "01611936000000", At: start}
		st.TransfersIn["01611930000000"] = []string{"1000000001"}
		st.Amendments["r-1"] = 3
		st.Faults = append(st.Faults, fault)
		st.NextFault = 1
		return nil
	})
	must(t, err)
	for i := 1; i <= JournalSize+3; i++ {
		_, err := s.Append(ctx, "a", fullEntry(i))
		must(t, err)
	}
	_, err = s.Append(ctx, "b", entry("token"))
	must(t, err)
	for _, ssid := range []string{"1000000003", "1000000001", "1000000002"} {
		must(t, s.MarkSeen(ctx, "a", ssid))
	}
	before := readEverything(t, s)
	must(t, s.Close())

	s = reopen(t)
	after := readEverything(t, s)
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("after a reopen (-before +after):\n%s", diff)
	}
	// What was read before is what was written.
	a := after.States["a"]
	real := refAt.Add(10 * time.Minute)
	if got, want := a.Clock.At(real), start.Add(72*time.Hour+10*time.Minute); !got.Equal(want) {
		t.Errorf("the following clock reads %v ten minutes after it was set, want %v", got, want)
	}
	if c := a.Credentials[lea]; c.Username != "lea3" || c.Generation != 3 || c.SecretHash != Credential(lea, "lea3").SecretHash ||
		!slices.Equal(c.Superseded, []string{"lea2"}) {
		t.Errorf("the LEA's pair reads back as %+v", c)
	}
	if c := a.Credentials[school]; c.School != school || c.Username != "school1" {
		t.Errorf("the school's pair reads back as %+v", c)
	}
	if len(a.Faults) != 1 || !faultEqual(a.Faults[0], fault) || a.NextFault != 1 || a.Amendments["r-1"] != 3 ||
		a.Transfers["1000000001"].School != "01611936000000" || !slices.Equal(a.TransfersIn["01611930000000"], []string{"1000000001"}) {
		t.Errorf("state a reads back as %+v", a)
	}
	wantNames := map[string]string{"lea1": "", "lea2": "a/" + lea, "lea3": "a/" + lea, "school1": "a/" + school, "b-lea1": "b/" + lea, "never": ""}
	if diff := cmp.Diff(wantNames, after.Usernames); diff != "" {
		t.Errorf("User Names (-want +got):\n%s", diff)
	}
	if sb := after.Sandboxes["a"]; !sb.LastUsed.Equal(used) || string(sb.Key) != string(Sandbox("a").Key) ||
		string(sb.Spec) != string(Sandbox("a").Spec) || !sb.CreatedAt.Equal(start) {
		t.Errorf("sandbox a reads back as %+v", sb)
	}
	p := after.Journals["a"]
	want := fullEntry(4)
	want.Seq = 4
	if len(p.Entries) != JournalSize || p.Dropped != 3 || p.Missed != 3 || p.Next != JournalSize+3 {
		t.Errorf("journal of a: %d entries, dropped %d, missed %d, next %d", len(p.Entries), p.Dropped, p.Missed, p.Next)
	} else if diff := cmp.Diff(want, p.Entries[0]); diff != "" {
		t.Errorf("entry 4 (-want +got):\n%s", diff)
	}
	if !slices.Equal(after.Seen["a"], []string{"1000000001", "1000000002", "1000000003"}) || len(after.Seen["b"]) != 0 {
		t.Errorf("seen %v", after.Seen)
	}

	// The reopened store goes on from there.
	_, v, err := s.Update(ctx, "a", func(st *store.State) error { st.NextFault = 2; return nil })
	must(t, err)
	if v <= before.Versions["a"] {
		t.Errorf("version %d after an update, was %d before the reopen", v, before.Versions["a"])
	}
	c, err := s.Regenerate(ctx, "a", lea, Credential(lea, "lea4"), 1)
	must(t, err)
	if c.Generation != 4 || !slices.Equal(c.Superseded, []string{"lea3"}) {
		t.Errorf("the first pair after a reopen: %+v", c)
	}
	if _, _, ok, _ := s.Username(ctx, "lea2"); ok {
		t.Error("lea2 is still known after it was superseded beyond keep")
	}
	must(t, s.Delete(ctx, "a"))
	if _, _, ok, _ := s.Username(ctx, "school1"); ok {
		t.Error("a deleted sandbox's User Name is known after a reopen")
	}
	must(t, s.Close())
	s = reopen(t)
	if _, err := s.Sandbox(ctx, "a"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a deleted sandbox after a reopen: %v", err)
	}
	if _, err := s.Sandbox(ctx, "b"); err != nil {
		t.Errorf("sandbox b after two reopens: %v", err)
	}
}

func testJournalContinues(t *testing.T, reopen Reopen) {
	ctx := context.Background()
	s := reopen(t)
	create(t, s, "a")
	for i := 1; i <= JournalSize-1; i++ {
		_, err := s.Append(ctx, "a", entry("token"))
		must(t, err)
	}
	must(t, s.Close())
	for round := range 3 {
		s = reopen(t)
		want := JournalSize + round
		seq, err := s.Append(ctx, "a", entry("reports"))
		must(t, err)
		if seq != want {
			t.Errorf("round %d: the first entry after a reopen is numbered %d, want %d", round, seq, want)
		}
		p, err := s.Journal(ctx, "a", 0, 1000)
		must(t, err)
		if len(p.Entries) != JournalSize || p.Dropped != round || p.Entries[0].Seq != round+1 || p.Next != want {
			t.Fatalf("round %d: %d entries, dropped %d, next %d; want %d from %d, dropped %d, next %d",
				round, len(p.Entries), p.Dropped, p.Next, JournalSize, round+1, round, want)
		}
		must(t, s.Close())
	}
}

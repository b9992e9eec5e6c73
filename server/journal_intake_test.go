package server

import (
	"context"
	"sync"
	"testing"
)

// TestFindingsTakeEntriesInJournalOrder: requests journal side by side, so their entries
// reach the findings out of order; the findings must take them in the journal's order, and
// read the journal for a gap no request of this server will fill.
func TestFindingsTakeEntriesInJournalOrder(t *testing.T) {
	f := newVendorFixture(t)
	ctx := context.Background()
	sb, err := f.srv.lookup(ctx, f.sbx)
	if err != nil {
		t.Fatal(err)
	}
	if sb.store.Shared() {
		t.Skip("with a shared store, findings read the journal instead: TestConcurrentRequestsAllJudged covers it")
	}
	appendOne := func() JournalEntry {
		t.Helper()
		e := JournalEntry{At: sb.now(), RealAt: sb.real.Now(), Method: "GET", Route: routeReports, Status: 200}
		seq, err := sb.store.Append(ctx, sb.ID, e)
		if err != nil {
			t.Fatal(err)
		}
		e.Seq = seq
		return e
	}
	judged := func() int { sb.judgeMu.Lock(); defer sb.judgeMu.Unlock(); return sb.judged }
	start := judged()

	// Three requests in flight; the second and third finish journaling before the first.
	sb.journaling.Add(3)
	first, second, third := appendOne(), appendOne(), appendOne()
	if first.Seq != start+1 || third.Seq != start+3 {
		t.Fatalf("entries numbered %d..%d after %d judged", first.Seq, third.Seq, start)
	}
	for _, e := range []JournalEntry{second, third} {
		if err := sb.intake(ctx, &e); err != nil {
			t.Fatal(err)
		}
		if got := judged(); got != start {
			t.Fatalf("entry %d was judged before entry %d: findings at %d", e.Seq, first.Seq, got)
		}
	}
	if err := sb.intake(ctx, &first); err != nil {
		t.Fatal(err)
	}
	if got := judged(); got != third.Seq || len(sb.early) != 0 {
		t.Fatalf("after the first entry, findings are at %d with %d held back, want %d and none", got, len(sb.early), third.Seq)
	}

	// Two entries no request here will hand over (journaled before a restart), then one that is.
	appendOne()
	appendOne()
	sb.journaling.Add(1)
	last := appendOne()
	if err := sb.intake(ctx, &last); err != nil {
		t.Fatal(err)
	}
	if got := judged(); got != last.Seq || len(sb.early) != 0 {
		t.Fatalf("after a gap, findings are at %d with %d held back, want %d and none", got, len(sb.early), last.Seq)
	}
}

// TestConcurrentRequestsAllJudged: after many concurrent vendor requests, the findings have
// taken every entry without being asked for a page (with a shared store, once asked), and
// hold none back.
func TestConcurrentRequestsAllJudged(t *testing.T) {
	f := newVendorFixture(t)
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				f.do("GET", "/api/v1/students/"+f.ssid+"/reports", nil, "Authorization", "Bearer "+f.tok)
			}
		}()
	}
	wg.Wait()
	sb, err := f.srv.lookup(context.Background(), f.sbx)
	if err != nil {
		t.Fatal(err)
	}
	if sb.store.Shared() {
		// Other servers journal too: findings catch up from the journal when read.
		if _, err := sb.findingsPage(context.Background(), 0, 1); err != nil {
			t.Fatal(err)
		}
	}
	sb.judgeMu.Lock()
	defer sb.judgeMu.Unlock()
	if sb.judged < 160 || len(sb.early) != 0 || sb.journaling.Load() != 0 {
		t.Fatalf("findings at %d with %d held back and %d requests counted in flight, after 160+ requests", sb.judged, len(sb.early), sb.journaling.Load())
	}
}

package conformance

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
	"github.com/ssrmock/ssrmock/conformance/driver"
	"github.com/ssrmock/ssrmock/conformance/refvendor"
)

// deepBug is the reference vendor with a bug that shows only deep in a walk: once an LEA's
// admin has entered a second pair, the clock has moved on 60 days or more since the portal was
// set up, parents have opened pages at both LEAs, and the portal has shown both an
// "unavailable" and an "auth_error" page, every page leaves out its last report (an off-by-one
// in a "pagination" that only a long-lived portal reaches).
type deepBug struct {
	*refvendor.Vendor
	mu         sync.Mutex
	configures map[string]int
	reentered  bool
	first      time.Time
	longLived  bool
	leas       map[string]bool
	outcomes   map[driver.Outcome]bool
}

var (
	_ driver.Driver  = (*deepBug)(nil)
	_ driver.Clocked = (*deepBug)(nil)
)

func newDeepBug() *deepBug {
	return &deepBug{Vendor: refvendor.MustNew(refvendor.Options{}), configures: map[string]int{}, leas: map[string]bool{}, outcomes: map[driver.Outcome]bool{}}
}

func (d *deepBug) Reset(ctx context.Context) error {
	d.mu.Lock()
	d.configures, d.reentered, d.first, d.longLived = map[string]int{}, false, time.Time{}, false
	d.leas, d.outcomes = map[string]bool{}, map[driver.Outcome]bool{}
	d.mu.Unlock()
	return d.Vendor.Reset(ctx)
}

func (d *deepBug) Configure(ctx context.Context, c driver.Config) error {
	d.mu.Lock()
	d.configures[c.LEA]++
	d.reentered = d.reentered || d.configures[c.LEA] > 1
	d.mu.Unlock()
	return d.Vendor.Configure(ctx, c)
}

func (d *deepBug) Clock(ctx context.Context, now time.Time) error {
	d.mu.Lock()
	if d.first.IsZero() {
		d.first = now
	}
	d.longLived = d.longLived || now.Sub(d.first) >= 60*24*time.Hour
	d.mu.Unlock()
	return d.Vendor.Clock(ctx, now)
}

func (d *deepBug) View(ctx context.Context, lea, ssid string) (driver.View, error) {
	v, err := d.Vendor.View(ctx, lea, ssid)
	d.mu.Lock()
	d.leas[lea] = true
	broken := d.reentered && d.longLived && len(d.leas) > 1 && d.outcomes[driver.Unavailable] && d.outcomes[driver.AuthError]
	d.outcomes[v.Outcome] = true
	d.mu.Unlock()
	if broken && err == nil && len(v.Reports) > 0 {
		v.Reports = v.Reports[:len(v.Reports)-1]
	}
	return v, err
}

// testHarness is a harness for running the explore phase outside Ginkgo, against drv on an
// in-process server.
func testHarness(t *testing.T, drv driver.Driver) *harness {
	t.Helper()
	url, stop, err := startServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	ds := httptest.NewServer(driver.NewHandler(drv))
	t.Cleanup(ds.Close)
	c, err := driver.Dial(ds.URL, driver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{api: controlapi.New(url, "", nil), drv: c, pdf: &http.Client{Timeout: 30 * time.Second}}
	if h.hello, err = c.Hello(context.Background()); err != nil {
		t.Fatal(err)
	}
	return h
}

// TestExploreShrinks checks that a bug met only deep in a walk is reported as a short
// sequence of steps, and that its seed replays it.
func TestExploreShrinks(t *testing.T) {
	if testing.Short() {
		t.Skip("runs explore walks")
	}
	h := testHarness(t, newDeepBug())
	cfg := ExploreConfig{Seed: 7, Steps: 40}
	first := explore(context.Background(), h, cfg)
	f := first.Failure
	if f == nil {
		t.Fatalf("the explore phase passed a vendor that leaves out a report deep in a walk:\n%s", first.Coverage.Text())
	}
	t.Logf("found after %d steps, shrunk to %d in %d replays:\n%s", f.FoundAfter, len(f.Steps), f.Replays, f.Text())
	if len(f.Steps) > 10 {
		t.Errorf("shrunk to %d steps, want at most 10", len(f.Steps))
	}
	if f.FoundAfter <= len(f.Steps) {
		t.Errorf("found after %d steps and shrunk to %d: the bug should need a deep walk, and shrinking should shorten it", f.FoundAfter, len(f.Steps))
	}
	if !strings.Contains(f.Message, "left out") {
		t.Errorf("the failure does not say a report was left out:\n%s", f.Message)
	}
	if !strings.Contains(f.Replay, "-explore-seed=7") {
		t.Errorf("replay command %q does not carry the seed", f.Replay)
	}
	// The shrunk sequence still needs a second pair entered and a long clock move.
	var kinds []string
	for _, s := range f.Steps {
		kinds = append(kinds, s.Event.Kind)
	}
	if !containsAny(kinds, evRegenerate, evRenew, evEnterPair) {
		t.Errorf("shrunk steps %v lost the pair being entered again, which the bug needs", kinds)
	}

	again := explore(context.Background(), h, cfg)
	if again.Failure == nil {
		t.Fatal("the replay with the same seed passed")
	}
	if diff := cmp.Diff(stepTexts(f.Steps), stepTexts(again.Failure.Steps)); diff != "" || again.Failure.FoundAfter != f.FoundAfter {
		t.Errorf("the replay found after %d steps, want %d; shrunk steps differ (-first +replay):\n%s", again.Failure.FoundAfter, f.FoundAfter, diff)
	}
}

// TestExplorePassesReferenceVendor checks that the reference vendor passes walks of several
// seeds, and that their coverage reaches every event kind and every fault on the API routes.
func TestExplorePassesReferenceVendor(t *testing.T) {
	if testing.Short() {
		t.Skip("runs explore walks")
	}
	h := testHarness(t, refvendor.MustNew(refvendor.Options{ServeBytes: true}))
	rep := explore(context.Background(), h, ExploreConfig{Seed: 11})
	if rep.Failure != nil {
		t.Fatalf("the reference vendor failed the explore phase:\n%s", rep.Failure.Text())
	}
	cov := rep.Coverage
	scheduled := 0
	for _, route := range faultRoutes {
		for _, kind := range faultKinds {
			f := cov.Faults[route][kind]
			if f == nil {
				continue
			}
			scheduled++
			if f.Met == 0 {
				t.Errorf("fault %s on route %s was scheduled %d times but never met a request", kind, route, f.Scheduled)
			}
		}
	}
	if scheduled < 12 {
		t.Errorf("only %d route and fault kind pairs exercised, want most of the 19", scheduled)
	}
	if f := cov.Faults["*"]["maintenance"]; f == nil || f.Met == 0 {
		t.Errorf("no maintenance window met: %+v", f)
	}
	if cov.Outcomes["ok"] == 0 || cov.Outcomes["auth_error"] == 0 || cov.Outcomes["unavailable"] == 0 {
		t.Errorf("outcomes %v: want ok, auth_error and unavailable seen", cov.Outcomes)
	}
	if len(cov.Viewed) < 8 {
		t.Errorf("viewed only %d scenario families: %v", len(cov.Viewed), cov.Viewed)
	}
	t.Log(cov.Text())
}

func stepTexts(steps []Step) []string {
	var out []string
	for _, s := range steps {
		out = append(out, s.Text+" | "+s.Pages)
	}
	return out
}

func containsAny(list []string, want ...string) bool {
	for _, w := range want {
		for _, l := range list {
			if l == w {
				return true
			}
		}
	}
	return false
}

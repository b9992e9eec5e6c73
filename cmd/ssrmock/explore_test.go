package main

import (
	"context"
	"io"
	"slices"
	"sync"
	"testing"

	"github.com/ssrmock/ssrmock/conformance/refvendor"
)

// exploreCatches says which deliberate faults of the reference vendor the explore phase alone
// catches (run with --label-filter explore and a fixed --explore-seed): true means spec
// explore/model fails, false that it passes.
var exploreCatches = map[string]bool{
	"caches-report-list":        true,
	"drops-translation":         true,
	"expired-links":             true,
	"ignores-new-credentials":   true,
	"ignores-retry-after":       true,
	"keeps-transferred-student": true,
	"mixes-up-students":         true,
	"never-reauthenticates":     true,
	"no-backoff-5xx":            true,
	"no-reports-on-auth-error":  true,
	"no-timeout":                true,
	"retries-rejected-pair":     true,
	"retry-401-loop":            true,
	"secret-in-url":             true,
	"shows-superseded-report":   true,
}

func TestExploreFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the explore phase once per fault")
	}
	if raceEnabled() {
		t.Skip("the race detector slows each suite process tenfold; package conformance runs the explore phase under -race")
	}
	t.Parallel()
	faults := refvendor.Faults()
	for name := range exploreCatches {
		if !slices.ContainsFunc(faults, func(f refvendor.Fault) bool { return f.Name == name }) {
			t.Errorf("exploreCatches names %q, which the reference vendor does not have", name)
		}
	}
	url := sharedServer(t)
	runs := map[string]conformRun{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for _, f := range append([]refvendor.Fault{{Name: ""}}, faults...) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			vendor := []string{"vendor"}
			if f.Name != "" {
				vendor = append(vendor, "--fault", f.Name)
			}
			r := runConformProcess(t, "--server", url, "--label-filter", "explore", "--explore-seed", "1", "--driver-cmd", selfCommand(vendor...))
			mu.Lock()
			runs[f.Name] = r
			mu.Unlock()
		}()
	}
	wg.Wait()
	if r := runs[""]; r.code != 0 {
		t.Errorf("explore phase against the reference vendor: exit %d, want 0\n%s", r.code, r.stdout)
	}
	for _, f := range faults {
		t.Run(f.Name, func(t *testing.T) {
			r := runs[f.Name]
			if r.summary == nil {
				t.Fatalf("no report: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
			}
			want, ok := exploreCatches[f.Name]
			if !ok {
				t.Fatalf("fault %q (%s) is not in exploreCatches; explore/model failed: %v", f.Name, f.Description, r.code == 1)
			}
			caught := slices.Contains(r.summary.RequiredFailed, "explore/model")
			if caught != want {
				t.Errorf("fault %q (%s): explore/model failed = %v, want %v\n%s", f.Name, f.Description, caught, want, r.stdout)
			}
			if caught {
				if e := r.summary.Explore; e == nil || e.Failure == nil || len(e.Failure.Steps) == 0 || e.Failure.Replay == "" {
					t.Errorf("fault %q: the JSON report lacks the shrunk steps and the replay command: %+v", f.Name, e)
				} else {
					t.Logf("fault %q: found after %d steps, shrunk to %d", f.Name, e.Failure.FoundAfter, len(e.Failure.Steps))
				}
			}
		})
	}
}

func TestConformExploreUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"zero explore steps", []string{"--driver-cmd", "true", "--explore-steps", "0"}},
		{"bad explore seed", []string{"--driver-cmd", "true", "--explore-seed", "x"}},
		{"zero start timeout", []string{"--driver-cmd", "true", "--start-timeout", "0s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := runConform(context.Background(), tt.args, func(string) string { return "" }, io.Discard, io.Discard)
			if got := exitCode(err, io.Discard); got != 2 {
				t.Errorf("exit code %d (%v), want 2", got, err)
			}
		})
	}
}

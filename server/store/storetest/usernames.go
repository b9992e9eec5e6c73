package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/ssrmock/ssrmock/server/store"
)

// testUsernamesFollowChanges looks User Names up before and after each change of the index,
// so that a store answering lookups from memory is held to the index as it now stands: a
// name unknown at first and issued later, a name a regeneration forgot, a name of a deleted
// sandbox and of one created again under the same ID. Meanwhile other goroutines look the
// names up as fast as they can, to race the changes.
func testUsernamesFollowChanges(t *testing.T, s store.Store) {
	ctx := context.Background()
	const lea = "01611920000000"
	want := func(name string, known bool) {
		t.Helper()
		sbx, holder, ok, err := s.Username(ctx, name)
		must(t, err)
		if ok != known || (known && (sbx != "a" || holder != lea)) {
			t.Errorf("Username(%s) = %q %q %v, want known %v", name, sbx, holder, ok, known)
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, _, _, err := s.Username(ctx, fmt.Sprintf("u%d", i%4)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	defer func() { close(stop); wg.Wait() }()

	create(t, s, "a")
	want("u1", false)
	for i := 1; i <= 3; i++ {
		_, err := s.Regenerate(ctx, "a", lea, Credential(lea, fmt.Sprintf("u%d", i)), 1)
		must(t, err)
		want(fmt.Sprintf("u%d", i), true)
		if i > 2 {
			want(fmt.Sprintf("u%d", i-2), false) // keep 1: the pair before stays, the one before that goes
		}
	}
	must(t, s.Delete(ctx, "a"))
	want("u3", false)
	st := store.State{Clock: store.Clock{Now: start}, Credentials: map[string]store.Credential{lea: Credential(lea, "u0")}}
	must(t, s.Create(ctx, Sandbox("a"), st, 10))
	want("u0", true)
	want("u3", false)
}

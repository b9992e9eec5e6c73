package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/ssrmock/ssrmock/internal/pgtest"
	"github.com/ssrmock/ssrmock/server/store"
)

// replicas are two servers sharing one PostgreSQL database, each behind its own listener,
// as behind a load balancer.
type replicas [2]*testEnv

func newReplicas(t *testing.T) replicas {
	t.Helper()
	dsn := pgtest.Start(t)
	var r replicas
	for i := range r {
		st, err := store.OpenPostgres(context.Background(), dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		srv, err := New(Config{Seed: 7, Scenario: "2018-19", Scale: "tiny", Store: st})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv)
		t.Cleanup(func() { ts.Close(); srv.Close() })
		r[i] = &testEnv{t: t, srv: srv, ts: ts}
	}
	return r
}

// TestReplicasRegenerateLinearizably regenerates one LEA's pair 24 times at once, the
// requests spread over two replicas: exactly one pair works afterwards, on either replica,
// and it is the one with the newest generation.
func TestReplicasRegenerateLinearizably(t *testing.T) {
	r := newReplicas(t)
	lea := r[0].firstLEA(DefaultSandbox).CDS
	const n = 24
	pairs := make([]issuedCredential, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r[i%2].mustDo("POST", "/control/v1/sandboxes/default/leas/"+lea+"/credentials",
				map[string]any{"coordinator": "caaspp", "authorizeRelease": true}, http.StatusCreated, &pairs[i])
		}()
	}
	wg.Wait()
	newest, seen := 0, map[int]bool{}
	for i, p := range pairs {
		if seen[p.Generation] {
			t.Errorf("two regenerations got generation %d", p.Generation)
		}
		seen[p.Generation] = true
		if p.Generation > pairs[newest].Generation {
			newest = i
		}
	}
	for i, p := range pairs {
		for k, e := range r {
			status, _, body := e.do("POST", "/api/v1/token", map[string]string{"username": p.Username, "secretKey": p.SecretKey})
			if works := status == http.StatusOK; works != (i == newest) {
				t.Errorf("replica %d: pair of generation %d answers %d %s; only generation %d should work",
					k, p.Generation, status, body, pairs[newest].Generation)
			}
		}
	}
}

// TestReplicasShareOneJournal sends vendor requests alternately to two replicas: the
// journal read through either shows every one, once, numbered without gaps.
func TestReplicasShareOneJournal(t *testing.T) {
	r := newReplicas(t)
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r[i%2].do("POST", "/api/v1/token", map[string]string{"username": "nobody", "secretKey": "x"}, "X-SSRMock-Client", fmt.Sprintf("c%02d", i))
		}()
	}
	wg.Wait()
	lea := r[0].firstLEA(DefaultSandbox).CDS
	pair := r[1].generate(DefaultSandbox, lea)
	for i := range n {
		r[i%2].do("POST", "/api/v1/token", map[string]string{"username": pair.Username, "secretKey": pair.SecretKey}, "X-SSRMock-Client", fmt.Sprintf("k%02d", i))
	}
	for k, e := range r {
		var page store.JournalPage
		e.mustDo("GET", "/control/v1/sandboxes/default/journal?limit=1000", nil, http.StatusOK, &page)
		clients := map[string]int{}
		for i, entry := range page.Entries {
			if entry.Seq != i+1 {
				t.Fatalf("replica %d: entry %d is numbered %d", k, i+1, entry.Seq)
			}
			clients[entry.Client]++
		}
		// The unknown User Name has no sandbox to be journaled in; the known pair's requests are.
		for i := range n {
			if name := fmt.Sprintf("k%02d", i); clients[name] != 1 {
				t.Errorf("replica %d: request %s journaled %d times", k, name, clients[name])
			}
		}
		if len(page.Entries) != n || page.Dropped != 0 {
			t.Errorf("replica %d: %d entries (%d dropped), want %d", k, len(page.Entries), page.Dropped, n)
		}
	}
}

// TestReplicasSeeEachOthersChanges moves the clock and schedules a fault through one
// replica: the other sees both on its next request.
func TestReplicasSeeEachOthersChanges(t *testing.T) {
	r := newReplicas(t)
	var moved clockReply
	r[0].mustDo("POST", "/control/v1/sandboxes/default/clock", map[string]any{"advance": "72h"}, http.StatusOK, &moved)
	var seen clockReply
	r[1].mustDo("GET", "/control/v1/sandboxes/default/clock", nil, http.StatusOK, &seen)
	if !seen.Now.Equal(moved.Now) {
		t.Errorf("replica 1 reads the clock at %v after replica 0 moved it to %v", seen.Now, moved.Now)
	}
	lea := r[0].firstLEA(DefaultSandbox).CDS
	pair := r[0].generate(DefaultSandbox, lea)
	r[0].mustDo("POST", "/control/v1/sandboxes/default/faults", map[string]any{"route": "token", "status": 503, "count": 1}, http.StatusCreated, nil)
	body := map[string]string{"username": pair.Username, "secretKey": pair.SecretKey}
	if status, _, _ := r[1].do("POST", "/api/v1/token", body); status != http.StatusServiceUnavailable {
		t.Errorf("replica 1 answered %d to the request replica 0's fault should meet, want 503", status)
	}
	if status, _, _ := r[0].do("POST", "/api/v1/token", body); status != http.StatusOK {
		t.Errorf("the fault for one request met a second one, on the other replica: %d", status)
	}
	var info sandboxInfo
	r[1].mustDo("POST", "/control/v1/sandboxes", map[string]any{"seed": 3, "scale": "tiny"}, http.StatusCreated, &info)
	r[0].mustDo("GET", "/control/v1/sandboxes/"+info.ID, nil, http.StatusOK, nil)
	r[0].mustDo("DELETE", "/control/v1/sandboxes/"+info.ID, nil, http.StatusNoContent, nil)
	r[1].wantError("GET", "/control/v1/sandboxes/"+info.ID, nil, http.StatusNotFound, CodeNotFound)
}

// TestMain shares one PostgreSQL server among the package's tests that need one.
func TestMain(m *testing.M) { pgtest.Main(m) }

// TestReplicasSeeASandboxMadeAgain deletes the default sandbox through one replica and makes
// it again by restarting that replica: the other, which held the old one, serves the new
// one (its clock and its pairs), not what it held.
func TestReplicasSeeASandboxMadeAgain(t *testing.T) {
	dsn := pgtest.Start(t)
	open := func() *testEnv {
		st, err := store.OpenPostgres(context.Background(), dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return newTestEnvOn(t, st)
	}
	a, b := open(), open()
	lea := a.firstLEA(DefaultSandbox).CDS
	old := a.generate(DefaultSandbox, lea)
	for range 3 {
		a.mustDo("POST", "/control/v1/sandboxes/default/clock", map[string]any{"advance": "24h"}, http.StatusOK, nil)
	}
	b.mustDo("POST", "/api/v1/token", map[string]string{"username": old.Username, "secretKey": old.SecretKey}, http.StatusOK, nil)
	a.mustDo("DELETE", "/control/v1/sandboxes/default", nil, http.StatusNoContent, nil)
	open() // a server starting on the store makes the default sandbox again
	var clock clockReply
	b.mustDo("GET", "/control/v1/sandboxes/default/clock", nil, http.StatusOK, &clock)
	var fresh clockReply
	a.mustDo("GET", "/control/v1/sandboxes/default/clock", nil, http.StatusOK, &fresh)
	if !clock.Now.Equal(fresh.Now) {
		t.Errorf("the replica that held the old sandbox reads its clock at %v, the new sandbox's is %v", clock.Now, fresh.Now)
	}
	if status, _, _ := b.do("POST", "/api/v1/token", map[string]string{"username": old.Username, "secretKey": old.SecretKey}); status == http.StatusOK {
		t.Error("the old sandbox's pair still works on the replica that held it")
	}
	pair := a.generate(DefaultSandbox, lea)
	b.mustDo("POST", "/api/v1/token", map[string]string{"username": pair.Username, "secretKey": pair.SecretKey}, http.StatusOK, nil)
}

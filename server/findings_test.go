package server

import (
	"net/http/httptest"
	"testing"

	"github.com/ssrmock/ssrmock/findings"
)

// TestTokenLifetimeAgrees keeps the findings' idea of a token's life the server's.
func TestTokenLifetimeAgrees(t *testing.T) {
	if tokenLifetime != findings.TokenLifetime {
		t.Errorf("tokens live %s, the findings think %s", tokenLifetime, findings.TokenLifetime)
	}
}

// TestFindingsRoute checks the route's answers: a finding from a tampered link, its errors,
// and an empty list when findings are off.
func TestFindingsRoute(t *testing.T) {
	e := newTestEnv(t)
	e.wantError("GET", "/control/v1/sandboxes/default/findings?limit=0", nil, 400, CodeBadRequest)
	e.wantError("GET", "/control/v1/sandboxes/default/findings?cursor=x", nil, 400, CodeBadRequest)
	e.wantError("GET", "/control/v1/sandboxes/sbx-none/findings", nil, 404, CodeNotFound)

	var page findings.Page
	e.mustDo("GET", "/control/v1/sandboxes/default/findings", nil, 200, &page)
	if page.Total != 0 || len(page.Findings) != 0 {
		t.Fatalf("a fresh sandbox has findings: %+v", page)
	}
	e.do("GET", "/api/v1/files/default/0000000000-2018-sb.en?expires=1&sig=AAAA&v=1", nil)
	e.mustDo("GET", "/control/v1/sandboxes/default/findings", nil, 200, &page)
	if page.Total != 1 || page.Evaluated != 1 || page.Findings[0].Rule != findings.RuleTamperedLink.ID || page.Findings[0].Evidence[0] != 1 {
		t.Errorf("after a tampered link: %+v, want one %s finding on entry #1", page, findings.RuleTamperedLink.ID)
	}

	off, err := New(Config{Seed: 7, Scenario: "2018-19", Scale: "tiny", NoFindings: true})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(off)
	t.Cleanup(func() { ts.Close(); off.Close() })
	e = &testEnv{t: t, srv: off, ts: ts}
	e.do("GET", "/api/v1/files/default/0000000000-2018-sb.en?expires=1&sig=AAAA&v=1", nil)
	e.mustDo("GET", "/control/v1/sandboxes/default/findings", nil, 200, &page)
	if page.Total != 0 || page.Findings == nil {
		t.Errorf("with findings off: %+v, want an empty list", page)
	}
}

// TestFindingsNeedTheControlToken checks that the findings route is guarded like the rest of
// the control API.
func TestFindingsNeedTheControlToken(t *testing.T) {
	srv, err := New(Config{Seed: 7, Scenario: "2018-19", Scale: "tiny", ControlToken: "ctl"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	e := &testEnv{t: t, srv: srv, ts: ts}
	e.wantError("GET", "/control/v1/sandboxes/default/findings", nil, 401, CodeUnauthorized)
	e.mustDo("GET", "/control/v1/sandboxes/default/findings", nil, 200, nil, "Authorization", "Bearer ctl")
}

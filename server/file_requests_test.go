package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestFileRequestRememberedPerURL: a download URL answers the same however often it comes,
// valid, tampered or not written by the server, and its flags follow the state as a listing
// URL's do; the link's expiry is judged at each request's time, though what the URL says was
// remembered from the first.
func TestFileRequestRememberedPerURL(t *testing.T) {
	real := &manualClock{now: time.Unix(1_550_000_000, 0)}
	srv, err := New(Config{Seed: 7, Scenario: "2018-19", Scale: "tiny", RealClock: real})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	f := newVendorFixtureIn(t, &testEnv{t: t, srv: srv, ts: newHTTPTestServer(t, srv)})
	f.advance(f.sbx, map[string]any{"followRealTime": true}) // the clock moves without a new state
	link := f.list(f.tok, f.ssid).Reports[0].URL
	last := func() JournalEntry { return f.lastEntry(f.sbx) }

	var first []byte
	for i := range 2 {
		status, _, body := f.do("GET", link, nil)
		if status != http.StatusOK || first != nil && string(body) != string(first) {
			t.Fatalf("download %d of %s: status %d, %d bytes (first %d)", i+1, link, status, len(body), len(first))
		}
		first = body
		if e := last(); e.Code != "" || e.SecretInURL || strings.Join(e.QueryParams, ",") != "expires,sig,v" {
			t.Fatalf("download %d journaled as %+v", i+1, e)
		}
	}
	sig := link[strings.Index(link, "sig=")+len("sig="):][:43]
	tampered := strings.Replace(link, sig, strings.Repeat("A", len(sig)), 1)
	unwritten := strings.Replace(link, "v=1", "v=01", 1)
	for range 2 {
		if msg := f.wantError("GET", tampered, nil, http.StatusForbidden, CodeSignatureInvalid); !strings.Contains(msg, "has been altered:") {
			t.Errorf("a tampered link: %q", msg)
		}
		if msg := f.wantError("GET", unwritten, nil, http.StatusForbidden, CodeSignatureInvalid); !strings.Contains(msg, "altered or is incomplete") {
			t.Errorf("a link the server never writes: %q", msg)
		}
	}

	leaky := link + "&key=" + f.cred.SecretKey
	if status, _, _ := f.do("GET", leaky, nil); status != http.StatusOK || !last().SecretInURL {
		t.Fatalf("a link carrying the Secret Key: status %d, journaled as %+v", status, last())
	}
	f.generate(f.sbx, f.lea)
	if status, _, _ := f.do("GET", leaky, nil); status != http.StatusOK || last().SecretInURL {
		t.Errorf("after a regeneration, the former Secret Key in a link: status %d, journaled as %+v", status, last())
	}

	sb, err := srv.lookup(context.Background(), f.sbx)
	if err != nil {
		t.Fatal(err)
	}
	before := sb.cur.Load()
	f.do("GET", link, nil) // remembered under this state
	real.add(linkLifetime)
	f.wantError("GET", link, nil, http.StatusForbidden, CodeLinkExpired)
	if sb.cur.Load() != before {
		t.Fatal("the state changed as the clock followed real time: the download was read afresh")
	}
}

package server

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/ssrmock/ssrmock/findings"
)

// BenchmarkVendorFindings loads the vendor API with live findings on and off, on one server
// in one run, route by route, with the harness of bench_test.go:
//
//	go test ./server -run '^$' -bench VendorFindings -benchtime 5000x
//
// On and off alternate findingsRounds times (names repeat as #01, #02, …), so that a machine
// that slows down or speeds up during the run weighs on both alike; compare the medians. The
// token route is the findings' worst case: a token for every call breaks a rule, so each
// request updates a finding.
func BenchmarkVendorFindings(b *testing.B) {
	f := newBenchFixture(b)
	sb, err := f.srv.sandbox(context.Background(), f.sbx)
	if err != nil {
		b.Fatal(err)
	}
	ev := sb.findings
	findingsOn := func(on bool) {
		sb.judgeMu.Lock()
		defer sb.judgeMu.Unlock()
		sb.findings = nil
		if on {
			// Skip what was journaled while off, as if findings had never stopped.
			sb.findings = findings.New()
			if err := sb.catchUpLocked(context.Background()); err != nil {
				b.Fatal(err)
			}
			sb.findings = ev
		}
	}
	body, _ := json.Marshal(map[string]string{"username": f.cred.Username, "secretKey": f.cred.SecretKey})
	routes := []struct {
		name string
		req  func() *http.Request
	}{
		{"token", func() *http.Request {
			r, _ := http.NewRequest("POST", f.ts.URL+"/api/v1/token", bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			return r
		}},
		{"list", func() *http.Request {
			r, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/students/"+f.ssid+"/reports", nil)
			r.Header.Set("Authorization", "Bearer "+f.tok)
			return r
		}},
		{"pdf", func() *http.Request { r, _ := http.NewRequest("GET", f.pdfURL, nil); return r }},
	}
	for _, rt := range routes {
		for i := range findingsRounds {
			on := func(b *testing.B) { findingsOn(true); load(b, loadClient(), rt.req, 200) }
			off := func(b *testing.B) { findingsOn(false); load(b, loadClient(), rt.req, 200) }
			if i%2 == 1 { // alternate which goes first
				b.Run(rt.name+"/none", off)
				b.Run(rt.name+"/findings", on)
				continue
			}
			b.Run(rt.name+"/findings", on)
			b.Run(rt.name+"/none", off)
		}
	}
	findingsOn(true)
}

// findingsRounds is how many times BenchmarkVendorFindings alternates on and off per route.
const findingsRounds = 7

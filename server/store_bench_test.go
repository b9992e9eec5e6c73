package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
)

// BenchmarkStores serves a token, a report list and a cached PDF from a server on each store
// (memory, SQLite, PostgreSQL), each beside a bare net/http handler answering the same
// bytes, in one run:
//
//	go test ./server -run '^$' -bench Stores -benchtime 3000x -count 5
//
// Every request is journaled, so every one writes to the store; reads come from the state
// the server holds, which a shared store (PostgreSQL) checks is the newest on each request.
func BenchmarkStores(b *testing.B) {
	kinds := []string{"memory", "sqlite", "postgres"}
	fixtures := map[string]*benchFixture{}
	for _, kind := range kinds {
		fixtures[kind] = newBenchFixtureOn(b, storeOf(b, kind))
	}
	f := fixtures["memory"]
	tokenReq := func(base string, f *benchFixture) func() *http.Request {
		body, _ := json.Marshal(map[string]string{"username": f.cred.Username, "secretKey": f.cred.SecretKey})
		return func() *http.Request {
			r, _ := http.NewRequest("POST", base, bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			return r
		}
	}
	listReq := func(url string, f *benchFixture) func() *http.Request {
		return func() *http.Request {
			r, _ := http.NewRequest("GET", url, nil)
			r.Header.Set("Authorization", "Bearer "+f.tok)
			return r
		}
	}
	pdfReq := func(url string) func() *http.Request {
		return func() *http.Request { r, _ := http.NewRequest("GET", url, nil); return r }
	}
	bareToken, bareList, barePDF := bare(200, f.tokenAnswer), bare(200, f.listAnswer), bare(200, f.pdfAnswer)
	defer bareToken.Close()
	defer bareList.Close()
	defer barePDF.Close()

	b.Run("token/bare", func(b *testing.B) { load(b, loadClient(), tokenReq(bareToken.URL+"/api/v1/token", f), 200) })
	for _, kind := range kinds {
		f := fixtures[kind]
		b.Run("token/"+kind, func(b *testing.B) { load(b, loadClient(), tokenReq(f.ts.URL+"/api/v1/token", f), 200) })
	}
	b.Run("list/bare", func(b *testing.B) {
		load(b, loadClient(), listReq(bareList.URL+"/api/v1/students/"+f.ssid+"/reports", f), 200)
	})
	for _, kind := range kinds {
		f := fixtures[kind]
		b.Run("list/"+kind, func(b *testing.B) {
			load(b, loadClient(), listReq(f.ts.URL+"/api/v1/students/"+f.ssid+"/reports", f), 200)
		})
	}
	b.Run("pdf/bare", func(b *testing.B) { load(b, loadClient(), pdfReq(sameRequest(barePDF, f.pdfURL)), 200) })
	for _, kind := range kinds {
		f := fixtures[kind]
		b.Run("pdf/"+kind, func(b *testing.B) { load(b, loadClient(), pdfReq(f.pdfURL), 200) })
	}
}

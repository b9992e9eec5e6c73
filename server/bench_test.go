package server

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ssrmock/ssrmock/server/store"
)

// Benchmarks of the vendor API through a real loopback HTTP server, each beside a bare
// net/http handler that answers the same bytes, headers and body, so that the two can be
// compared in one run:
//
//	go test ./server -run '^$' -bench 'Vendor(Token|List|PDF)$' -benchtime 10000x -count 1
//
// Each reports requests/s and the p99 latency with 8 concurrent clients, and the process's CPU
// time per request (server and client together), which a busy machine disturbs less than
// requests/s: on a shared machine compare cpu-ns/op. With -count N, Go runs the N runs of one
// sub-benchmark back to back; where the machine's speed drifts, run -count 1 several times
// instead, so that each ssrmock run sits beside its bare one. With
// SSRMOCK_BENCH_WIREMOCK set to a running WireMock's address (for example
// http://127.0.0.1:8089), each also loads a WireMock stub that answers the same bytes. The
// npm package wiremock ships the standalone jar: npm install wiremock, then
// java -jar node_modules/wiremock/build/wiremock-standalone-*.jar --port 8089 --bind-address 127.0.0.1 --no-request-journal

// loadClient is an HTTP client with enough idle connections for the benchmark's workers.
func loadClient() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64}}
}

// warmup is how many requests load sends before it measures: enough to open every worker's
// connection and to settle the collector after the fixture's setup, so that a route measured
// first is not charged for what came before it.
const warmup = 1000

// load sends b.N requests made by newReq from 8 workers, after warmup unmeasured ones, and
// reports throughput and p99.
func load(b *testing.B, client *http.Client, newReq func() *http.Request, wantStatus int) {
	b.Helper()
	if err := send(client, newReq, wantStatus, make([]time.Duration, min(b.N, warmup))); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	latencies := make([]time.Duration, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	start, cpu := time.Now(), processCPU()
	err := send(client, newReq, wantStatus, latencies)
	elapsed, cpuUsed := time.Since(start), processCPU()-cpu
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	slices.Sort(latencies)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds()), "p99-µs")
	if cpu > 0 {
		b.ReportMetric(float64(cpuUsed)/float64(b.N), "cpu-ns/op")
	}
}

// send sends len(latencies) requests made by newReq from 8 workers and keeps each one's
// latency; it returns an error if any failed or answered another status than wantStatus.
func send(client *http.Client, newReq func() *http.Request, wantStatus int, latencies []time.Duration) error {
	const workers = 8
	var next atomic.Int64
	var mu sync.Mutex
	var failed error
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(len(latencies)) {
					return
				}
				t0 := time.Now()
				resp, err := client.Do(newReq())
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != wantStatus {
						err = fmt.Errorf("status %d, want %d", resp.StatusCode, wantStatus)
					}
				}
				latencies[i] = time.Since(t0)
				if err != nil {
					mu.Lock()
					failed = err
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return failed
}

// answer is a response the mock gave, kept to be served again by a bare handler.
type answer struct {
	header http.Header
	body   []byte
}

// bare serves a fixed answer: the baseline every route is compared with.
func bare(status int, a answer) *httptest.Server {
	return httptest.NewServer(bareHandler(status, a))
}

// sameRequest is the path and query of the mock's URL u on ts, so that a bare handler is sent
// the request line the mock was sent (a signed link's query included) and the two parse the
// same bytes.
func sameRequest(ts *httptest.Server, u string) string {
	parsed, err := url.Parse(u)
	if err != nil {
		panic(err)
	}
	return ts.URL + parsed.RequestURI()
}

// bareHandler is bare's handler. It sends the answer's headers as the mock sent them (its
// security headers and Content-Disposition included), so that the two put the same bytes on
// the wire and the comparison is of the work done per request, not of the answer's size.
// Date and Content-Length are written afresh, as net/http would.
func bareHandler(status int, a answer) http.Handler {
	header := a.header.Clone()
	header.Del("Date")
	header.Set("Content-Length", itoa(len(a.body)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			io.Copy(io.Discard, r.Body)
		}
		h := w.Header()
		for k, v := range header {
			h[k] = v
		}
		w.WriteHeader(status)
		w.Write(a.body)
	})
}

// wiremockStub registers a static stub answering method and path with body in the WireMock
// named by SSRMOCK_BENCH_WIREMOCK and returns its URL, or "" when none is configured.
func wiremockStub(b *testing.B, method, path, contentType string, body []byte) string {
	b.Helper()
	base := os.Getenv("SSRMOCK_BENCH_WIREMOCK")
	if base == "" {
		return ""
	}
	mapping, _ := json.Marshal(map[string]any{
		"request": map[string]any{"method": method, "urlPath": path},
		"response": map[string]any{
			"status":     200,
			"headers":    map[string]string{"Content-Type": contentType},
			"base64Body": base64.StdEncoding.EncodeToString(body),
		},
	})
	resp, err := http.Post(base+"/__admin/mappings", "application/json", bytes.NewReader(mapping))
	if err != nil {
		b.Fatalf("registering a WireMock stub: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		b.Fatalf("registering a WireMock stub: status %d", resp.StatusCode)
	}
	return base + path
}

// benchFixture is a sandbox with credentials, a token, a student's listing and a cached PDF.
type benchFixture struct {
	*vendorFixture
	listAnswer, pdfAnswer, tokenAnswer answer
	pdfURL                             string
}

func newBenchFixture(b *testing.B) *benchFixture {
	b.Helper()
	return newBenchFixtureOn(b, testStore(b))
}

// newBenchFixtureOn is newBenchFixture on the store st (nil: memory).
func newBenchFixtureOn(b *testing.B, st store.Store) *benchFixture {
	b.Helper()
	f := newVendorFixtureOn(b, st)
	bf := &benchFixture{vendorFixture: f}
	_, bf.listAnswer.header, bf.listAnswer.body = f.do("GET", "/api/v1/students/"+f.ssid+"/reports", nil, "Authorization", "Bearer "+f.tok)
	var l reportList
	if err := json.Unmarshal(bf.listAnswer.body, &l); err != nil || len(l.Reports) == 0 {
		b.Fatalf("listing: %v %s", err, bf.listAnswer.body)
	}
	bf.pdfURL = l.Reports[0].URL
	_, bf.pdfAnswer.header, bf.pdfAnswer.body = f.do("GET", bf.pdfURL, nil) // renders once; later fetches are cached
	_, bf.tokenAnswer.header, bf.tokenAnswer.body = f.do("POST", "/api/v1/token", map[string]string{"username": f.cred.Username, "secretKey": f.cred.SecretKey})
	return bf
}

func BenchmarkVendorToken(b *testing.B) {
	f := newBenchFixture(b)
	body, _ := json.Marshal(map[string]string{"username": f.cred.Username, "secretKey": f.cred.SecretKey})
	req := func(url string) func() *http.Request {
		return func() *http.Request {
			r, _ := http.NewRequest("POST", url, bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			return r
		}
	}
	b.Run("ssrmock", func(b *testing.B) { load(b, loadClient(), req(f.ts.URL+"/api/v1/token"), 200) })
	ts := bare(200, f.tokenAnswer)
	defer ts.Close()
	b.Run("bare", func(b *testing.B) { load(b, loadClient(), req(ts.URL+"/api/v1/token"), 200) })
	if url := wiremockStub(b, "POST", "/api/v1/token", "application/json", f.tokenAnswer.body); url != "" {
		b.Run("wiremock", func(b *testing.B) { load(b, loadClient(), req(url), 200) })
	}
}

func BenchmarkVendorList(b *testing.B) {
	f := newBenchFixture(b)
	req := func(url string) func() *http.Request {
		return func() *http.Request {
			r, _ := http.NewRequest("GET", url, nil)
			r.Header.Set("Authorization", "Bearer "+f.tok)
			return r
		}
	}
	b.Run("ssrmock", func(b *testing.B) {
		load(b, loadClient(), req(f.ts.URL+"/api/v1/students/"+f.ssid+"/reports"), 200)
	})
	ts := bare(200, f.listAnswer)
	defer ts.Close()
	b.Run("bare", func(b *testing.B) { load(b, loadClient(), req(ts.URL+"/api/v1/students/"+f.ssid+"/reports"), 200) })
	if url := wiremockStub(b, "GET", "/api/v1/students/"+f.ssid+"/reports", "application/json", f.listAnswer.body); url != "" {
		b.Run("wiremock", func(b *testing.B) { load(b, loadClient(), req(url), 200) })
	}
}

func BenchmarkVendorPDF(b *testing.B) {
	f := newBenchFixture(b)
	req := func(url string) func() *http.Request {
		return func() *http.Request { r, _ := http.NewRequest("GET", url, nil); return r }
	}
	b.Run("ssrmock", func(b *testing.B) { load(b, loadClient(), req(f.pdfURL), 200) })
	ts := bare(200, f.pdfAnswer)
	defer ts.Close()
	b.Run("bare", func(b *testing.B) { load(b, loadClient(), req(sameRequest(ts, f.pdfURL)), 200) })
	if url := wiremockStub(b, "GET", "/api/v1/files/bench/report.pdf", "application/pdf", f.pdfAnswer.body); url != "" {
		b.Run("wiremock", func(b *testing.B) { load(b, loadClient(), req(url), 200) })
	}
}

// BenchmarkCreateStateSandbox measures creating a statewide sandbox after the first: the world
// is shared, so this is the sandbox's own cost.
func BenchmarkCreateStateSandbox(b *testing.B) {
	e := newTestEnv(b)
	e.newSandbox(map[string]any{"seed": 1, "scale": "state"})
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		info := e.newSandbox(map[string]any{"seed": 1, "scale": "state"})
		b.StopTimer()
		e.mustDo("DELETE", "/control/v1/sandboxes/"+info.ID, nil, http.StatusNoContent, nil)
		b.StartTimer()
	}
}

// discardWriter is a ResponseWriter that keeps nothing, so that a handler benchmark measures
// the handler and not a recorder.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }

// serveDirect runs b.N requests made by newReq through h without a network, to profile the
// handler's own cost. cpu-ns/op is the process's CPU time per request, garbage collection
// included: on a busy machine it moves less than ns/op.
//
//	go test ./server -run '^$' -bench 'Handler' -cpuprofile cpu.prof
func serveDirect(b *testing.B, h http.Handler, newReq func() *http.Request, wantStatus int) {
	b.Helper()
	b.ReportAllocs()
	w := &discardWriter{h: make(http.Header)}
	cpu := processCPU()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, newReq())
		if w.status != wantStatus {
			b.Fatalf("status %d, want %d", w.status, wantStatus)
		}
	}
	if cpu > 0 {
		b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
	}
}

// serveParallel is serveDirect from every core at once, each goroutine sending one request
// made by newReq again and again: what the handler costs beyond its own work is then what
// the cores contend for (locks, shared cache lines), as they do under a load tool.
//
//	go test ./server -run '^$' -bench 'Handler(PDF|List)/.*parallel' -cpu 2
func serveParallel(b *testing.B, h http.Handler, newReq func() *http.Request, wantStatus int) {
	b.Helper()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		w := &discardWriter{h: make(http.Header)}
		r := newReq()
		for pb.Next() {
			clear(w.h)
			h.ServeHTTP(w, r)
			if w.status != wantStatus {
				b.Errorf("status %d, want %d", w.status, wantStatus)
				return
			}
		}
	})
}

func BenchmarkHandlerList(b *testing.B) {
	f := newBenchFixture(b)
	path := "/api/v1/students/" + f.ssid + "/reports"
	req := func() *http.Request {
		r := httptest.NewRequest("GET", "http://127.0.0.1"+path, nil)
		r.Header.Set("Authorization", "Bearer "+f.tok)
		return r
	}
	b.Run("ssrmock", func(b *testing.B) { serveDirect(b, f.srv, req, 200) })
	b.Run("bare", func(b *testing.B) { serveDirect(b, bareHandler(200, f.listAnswer), req, 200) })
	b.Run("ssrmock-parallel", func(b *testing.B) { serveParallel(b, f.srv, req, 200) })
	b.Run("bare-parallel", func(b *testing.B) { serveParallel(b, bareHandler(200, f.listAnswer), req, 200) })
}

func BenchmarkHandlerPDF(b *testing.B) {
	f := newBenchFixture(b)
	req := func() *http.Request { return httptest.NewRequest("GET", f.pdfURL, nil) } // a loopback URL
	b.Run("ssrmock", func(b *testing.B) { serveDirect(b, f.srv, req, 200) })
	b.Run("bare", func(b *testing.B) { serveDirect(b, bareHandler(200, f.pdfAnswer), req, 200) })
	b.Run("ssrmock-parallel", func(b *testing.B) { serveParallel(b, f.srv, req, 200) })
	b.Run("bare-parallel", func(b *testing.B) { serveParallel(b, bareHandler(200, f.pdfAnswer), req, 200) })
}

package server

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var (
	mixedDuration    = flag.Duration("mixed-duration", 10*time.Second, "how long BenchmarkMixedLoad runs")
	mixedCache       = flag.Int("mixed-report-cache", DefaultPDFCacheBytes, "BenchmarkMixedLoad's report cache bound, in bytes")
	mixedServeLimit  = flag.Bool("mixed-serve-limit", true, "BenchmarkMixedLoad sets the soft memory limit ssrmock serve sets (the report cache plus 40 MiB), unless GOMEMLIMIT is set")
	mixedHeapProfile = flag.String("mixed-heap-profile", "", "file BenchmarkMixedLoad writes a heap profile to at the end of the load, before the server closes")
)

// BenchmarkMixedLoad runs a sustained mixed load on a county-scale sandbox through loopback
// HTTP with the server's default configuration and reports the process's peak resident
// memory: 8 clients list random students of the county's largest LEA and fetch every report
// listed (most are rendered, a few come from the cache), while the credentials are
// regenerated and the clock moved a day forward every second (each move releases reports).
// One op is the whole run; the full-length run of the issue is
//
//	go test ./server -run '^$' -bench MixedLoad -benchtime 1x -mixed-duration 60s
//
// It sets the soft memory limit serve sets (-mixed-serve-limit=false leaves Go's default).
//
// peak-RSS-MiB is sampled from /proc/self/statm every 100 ms (Linux; 0 elsewhere) and
// includes the load clients, which are small beside the server.
func BenchmarkMixedLoad(b *testing.B) {
	srv, err := New(Config{Seed: 7, Scenario: "2018-19", Scale: "tiny", PDFCacheBytes: *mixedCache})
	if err != nil {
		b.Fatal(err)
	}
	e := &testEnv{t: b, srv: srv, ts: httptest.NewServer(srv)}
	b.Cleanup(func() { e.ts.Close(); srv.Close() })
	if *mixedServeLimit && os.Getenv("GOMEMLIMIT") == "" {
		// What cmd/ssrmock's serve does.
		prev := debug.SetMemoryLimit(int64(*mixedCache) + 40<<20)
		b.Cleanup(func() { debug.SetMemoryLimit(prev) })
	}
	sbx := e.newSandbox(map[string]any{"seed": 1, "scale": "county"}).ID
	var leas struct{ LEAs []leaInfo }
	e.mustDo("GET", "/control/v1/sandboxes/"+sbx+"/leas", nil, http.StatusOK, &leas)
	lea := leas.LEAs[0]
	for _, l := range leas.LEAs {
		if l.Students > lea.Students {
			lea = l
		}
	}
	var ssids []string
	for _, st := range e.rosterAll(sbx, lea.CDS) {
		ssids = append(ssids, st.SSID)
	}
	b.Logf("LEA %s: %d students", lea.CDS, len(ssids))
	client := loadClient()
	var token atomic.Pointer[string]
	mint := func() error {
		cred, err := postJSON[issuedCredential](client, e.ts.URL+"/control/v1/sandboxes/"+sbx+"/leas/"+lea.CDS+"/credentials",
			map[string]any{"authorizeRelease": true, "coordinator": "caaspp"}, http.StatusCreated)
		if err != nil {
			return err
		}
		tok, err := postJSON[tokenResponse](client, e.ts.URL+"/api/v1/token", map[string]string{"username": cred.Username, "secretKey": cred.SecretKey}, http.StatusOK)
		if err != nil {
			return err
		}
		token.Store(&tok.AccessToken)
		return nil
	}
	if err := mint(); err != nil {
		b.Fatal(err)
	}

	for b.Loop() {
		var peak atomic.Int64
		var requests, renders atomic.Int64
		var failed atomic.Pointer[error]
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { // sampler
			defer wg.Done()
			t := time.NewTicker(100 * time.Millisecond)
			defer t.Stop()
			for {
				if rss := residentBytes(); rss > peak.Load() {
					peak.Store(rss)
				}
				select {
				case <-stop:
					return
				case <-t.C:
				}
			}
		}()
		wg.Add(1)
		go func() { // regenerations and clock moves
			defer wg.Done()
			t := time.NewTicker(time.Second)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
				}
				// Tokens live an hour of sandbox time: mint after the move.
				if _, err := postJSON[clockReply](client, e.ts.URL+"/control/v1/sandboxes/"+sbx+"/clock", map[string]any{"advance": "24h"}, http.StatusOK); err != nil {
					failed.Store(&err)
				}
				if err := mint(); err != nil {
					failed.Store(&err)
				}
			}
		}()
		deadline := time.Now().Add(*mixedDuration)
		var workers sync.WaitGroup
		for w := range 8 {
			workers.Add(1)
			go func() {
				defer workers.Done()
				rng := rand.New(rand.NewPCG(uint64(w), 1))
				for time.Now().Before(deadline) && failed.Load() == nil {
					n, err := listAndFetch(client, e.ts.URL, *token.Load(), ssids[rng.IntN(len(ssids))])
					if err != nil {
						failed.Store(&err)
						return
					}
					requests.Add(int64(n))
					renders.Add(int64(n - 1))
				}
			}()
		}
		workers.Wait()
		close(stop)
		wg.Wait()
		if err := failed.Load(); err != nil {
			b.Fatal(*err)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if *mixedHeapProfile != "" {
			writeHeapProfile(b, *mixedHeapProfile)
		}
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-RSS-MiB")
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-inuse-MiB")
		b.ReportMetric(float64(e.srv.pdfs.bytes())/(1<<20), "pdf-cache-MiB")
		b.ReportMetric(float64(requests.Load())/mixedDuration.Seconds(), "req/s")
		b.ReportMetric(float64(renders.Load()), "pdf-fetches")
	}
}

// listAndFetch lists ssid's reports and fetches each; it returns the number of requests. A
// 401 (the credentials were just regenerated), a 404 (the student moved away) or a 403 (the
// clock moved past the links' expiry) ends the round early without an error.
func listAndFetch(client *http.Client, base, token, ssid string) (int, error) {
	req, _ := http.NewRequest("GET", base+"/api/v1/students/"+ssid+"/reports", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusUnauthorized, http.StatusNotFound:
		return 1, nil // superseded token; a student who moved away
	default:
		return 1, fmt.Errorf("list %s: status %d: %s", ssid, resp.StatusCode, body)
	}
	var l reportList
	if err := json.Unmarshal(body, &l); err != nil {
		return 1, err
	}
	n := 1
	for _, r := range l.Reports {
		resp, err := client.Get(r.URL)
		if err != nil {
			return n, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		n++
		if resp.StatusCode == http.StatusForbidden {
			return n, nil // the clock moved past the link's expiry
		}
		if resp.StatusCode != http.StatusOK {
			return n, fmt.Errorf("fetch %s: status %d", r.URL, resp.StatusCode)
		}
	}
	return n, nil
}

// postJSON posts v and decodes the answer, which must have status want.
func postJSON[T any](client *http.Client, url string, v any, want int) (T, error) {
	var out T
	raw, _ := json.Marshal(v)
	resp, err := client.Post(url, "application/json", bytes.NewReader(raw))
	if err != nil {
		return out, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		return out, fmt.Errorf("POST %s: status %d: %s", url, resp.StatusCode, body)
	}
	return out, json.Unmarshal(body, &out)
}

// residentBytes is the process's resident memory, or 0 where /proc is missing.
func residentBytes() int64 {
	raw, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(raw))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

// writeHeapProfile writes the live heap, after a collection, to path.
func writeHeapProfile(b *testing.B, path string) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}

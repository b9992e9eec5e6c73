package server

import (
	"net/http"
	"runtime"
	"testing"
)

// BenchmarkSandboxChurn creates sandboxes, uses each (a pair, a token, a listing, journal
// entries) and deletes it, as a CI farm sharing one mock does. It reports the live heap
// before and after the churn: deleted sandboxes must give their memory back.
//
//	go test ./server -run '^$' -bench SandboxChurn -benchtime 200x
func BenchmarkSandboxChurn(b *testing.B) {
	e := newTestEnv(b)
	heap := func() float64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return float64(m.HeapAlloc) / (1 << 20)
	}
	churn := func() {
		info := e.newSandbox(map[string]any{"seed": 1, "scale": "tiny"})
		lea := e.firstLEA(info.ID)
		tok := e.token(e.generate(info.ID, lea.CDS))
		for _, st := range e.roster(info.ID, lea.CDS, 5) {
			e.do("GET", "/api/v1/students/"+st.SSID+"/reports", nil, "Authorization", "Bearer "+tok)
		}
		e.mustDo("DELETE", "/control/v1/sandboxes/"+info.ID, nil, http.StatusNoContent, nil)
	}
	churn() // the shared world and caches are built once
	before := heap()
	b.ResetTimer()
	for range b.N {
		churn()
	}
	b.StopTimer()
	b.ReportMetric(before, "heap-MiB-before")
	b.ReportMetric(heap(), "heap-MiB-after")
}

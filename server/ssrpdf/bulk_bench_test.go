package ssrpdf

import (
	"flag"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ssrmock/ssrmock/fixtures"
)

var bulkLEA = flag.String("bulk-lea", "", "CDS code of the county-scale LEA BenchmarkBulkLEA renders; empty means the world's first (its county office of education)")

// BenchmarkBulkLEA renders every report of every student enrolled in one LEA of the
// county-scale 2018-19 world (seed 1), in every language the report is printed in, on
// GOMAXPROCS workers: what a vendor pre-fetching the LEA's reports costs the mock. One op is
// the whole LEA, rendered by a new Renderer, so its font subsets are compressed again as a
// restarted server would. reports/s/core divides by wall time and GOMAXPROCS; cpu-reports/s
// divides by the process's CPU time, which a busy machine disturbs less; font-streams and
// font-stream-KiB are what the Renderer's font stream cache holds at the end.
//
//	go test ./server/ssrpdf -run '^$' -bench BulkLEA -benchtime 1x -count 5
//	go test ./server/ssrpdf -run '^$' -bench BulkLEA -benchtime 1x -bulk-lea 50990130000000
//
// The first LEA is the county office of education (118 students, 451 reports);
// 50990130000000 is the largest district (5,948 students, 19,937 reports).
func BenchmarkBulkLEA(b *testing.B) {
	w, err := fixtures.New(1, "2018-19", "county")
	if err != nil {
		b.Fatal(err)
	}
	lea := *bulkLEA
	if lea == "" {
		lea = w.LEAs()[0].CDS
	}
	first, count := w.LEAStudents(lea)
	if count == 0 {
		b.Fatalf("no students enrolled in LEA %s", lea)
	}
	var docs []Document
	for i := first; i < first+count; i++ {
		s, ok := w.Student(i)
		if !ok {
			continue
		}
		for _, rep := range w.Reports(s) {
			for _, lang := range rep.Languages {
				docs = append(docs, NewDocument(w, rep, s, lang, 1))
			}
		}
	}
	perLang := map[fixtures.Language]int{}
	for _, d := range docs {
		perLang[d.Language]++
	}
	b.Logf("LEA %s: %d students, %d reports %v", lea, count, len(docs), perLang)
	workers := runtime.GOMAXPROCS(0)
	b.ReportAllocs()
	var r *Renderer
	var elapsed, cpuTime time.Duration
	for b.Loop() {
		b.StopTimer()
		if r, err = NewRenderer(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		cpu := processCPU()
		start := time.Now()
		var next atomic.Int64
		var wg sync.WaitGroup
		var failed atomic.Pointer[error]
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := next.Add(1) - 1
					if i >= int64(len(docs)) {
						return
					}
					if _, err := r.Render(docs[i]); err != nil {
						failed.Store(&err)
						return
					}
				}
			}()
		}
		wg.Wait()
		elapsed += time.Since(start)
		if cpu > 0 {
			cpuTime += processCPU() - cpu
		}
		if err := failed.Load(); err != nil {
			b.Fatal(*err)
		}
	}
	total := float64(len(docs) * b.N)
	b.ReportMetric(total/elapsed.Seconds(), "reports/s")
	b.ReportMetric(total/elapsed.Seconds()/float64(workers), "reports/s/core")
	if cpuTime > 0 {
		b.ReportMetric(total/cpuTime.Seconds(), "cpu-reports/s")
	}
	b.ReportMetric(float64(r.fontStreams.Len()), "font-streams")
	b.ReportMetric(float64(r.fontStreams.Size())/1024, "font-stream-KiB")
}

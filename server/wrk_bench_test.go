package server

import (
	"flag"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"
)

var (
	wrkPairs    = flag.Int("wrk-pairs", 9, "how many pairs of runs BenchmarkWrk makes of each route")
	wrkDuration = flag.Duration("wrk-duration", 2*time.Second, "how long each of BenchmarkWrk's runs lasts")
)

// BenchmarkWrk loads the report list and a cached PDF with wrk (2 threads, 32 connections),
// each run of the mock beside a run of the bare handler answering the same bytes to the same
// request, and reports the median ratios of requests/s over the pairs. The order within a
// pair alternates, so that a machine whose speed drifts favours neither. wrk is a separate
// process, so the load generator's own cost does not dilute the server's as the in-process
// clients of BenchmarkVendor* do. It is skipped where wrk is not installed (Debian: apt-get
// install wrk):
//
//	go test ./server -run '^$' -bench Wrk -benchtime 1x
func BenchmarkWrk(b *testing.B) {
	if _, err := exec.LookPath("wrk"); err != nil {
		b.Skip("wrk is not installed")
	}
	if *wrkPairs < 1 {
		b.Fatalf("-wrk-pairs %d: a median needs at least one pair", *wrkPairs)
	}
	f := newBenchFixture(b)
	bareList, barePDF := bare(200, f.listAnswer), bare(200, f.pdfAnswer)
	defer bareList.Close()
	defer barePDF.Close()
	auth := "Authorization: Bearer " + f.tok
	listPath := "/api/v1/students/" + f.ssid + "/reports"
	var list, pdf []float64
	for i := range *wrkPairs {
		list = append(list, wrkRatio(b, i%2 == 1, []string{"-H", auth, f.ts.URL + listPath}, []string{"-H", auth, bareList.URL + listPath}))
		pdf = append(pdf, wrkRatio(b, i%2 == 1, []string{f.pdfURL}, []string{sameRequest(barePDF, f.pdfURL)}))
	}
	b.Logf("list/bare %.3f, pdf/bare %.3f", list, pdf)
	b.ReportMetric(median(list), "list/bare")
	b.ReportMetric(median(pdf), "pdf/bare")
}

// wrkRatio runs wrk with the mock's arguments and with the bare handler's, the bare one first
// when bareFirst, and returns the ratio of their requests/s.
func wrkRatio(b *testing.B, bareFirst bool, mockArgs, bareArgs []string) float64 {
	if bareFirst {
		base := wrkRate(b, bareArgs...)
		return wrkRate(b, mockArgs...) / base
	}
	rate := wrkRate(b, mockArgs...)
	return rate / wrkRate(b, bareArgs...)
}

var wrkRequests = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)

// wrkRate runs wrk with args and returns its requests/s.
func wrkRate(b *testing.B, args ...string) float64 {
	b.Helper()
	out, err := exec.Command("wrk", append([]string{"-t2", "-c32", "-d" + wrkDuration.String()}, args...)...).CombinedOutput()
	if err != nil {
		b.Fatalf("wrk: %v\n%s", err, out)
	}
	m := wrkRequests.FindSubmatch(out)
	if m == nil {
		b.Fatalf("wrk printed no rate:\n%s", out)
	}
	rate, _ := strconv.ParseFloat(string(m[1]), 64)
	return rate
}

// median is the middle of xs (the mean of the middle two for an even count).
func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

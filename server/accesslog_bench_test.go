package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// Benchmarks of the per-request log line, side by side in one run, with the log off (no
// logger, as the suite's in-process server runs), and at info level to text and to JSON:
//
//	go test ./server -run '^$' -bench 'RequestLog' -benchtime 20000x -count 5
//
// BenchmarkRequestLog calls the handler in-process, so the difference is the line's own cost;
// BenchmarkVendorListRequestLog goes through loopback HTTP like the other vendor benchmarks.

// requestLogLoggers are the loggers compared.
var requestLogLoggers = []struct {
	name string
	log  *slog.Logger
}{
	{"off", slog.New(slog.DiscardHandler)},
	{"info-text", slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))},
	{"info-json", slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))},
}

func BenchmarkRequestLog(b *testing.B) {
	f := newBenchFixture(b)
	for _, l := range requestLogLoggers {
		b.Run(l.name, func(b *testing.B) {
			f.srv.log = l.log
			defer func() { f.srv.log = slog.New(slog.DiscardHandler) }()
			r := httptest.NewRequest("GET", "/api/v1/students/"+f.ssid+"/reports", nil)
			r.Header.Set("Authorization", "Bearer "+f.tok)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				w := httptest.NewRecorder()
				f.srv.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}

func BenchmarkVendorListRequestLog(b *testing.B) {
	f := newBenchFixture(b)
	req := func() *http.Request {
		r, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/students/"+f.ssid+"/reports", nil)
		r.Header.Set("Authorization", "Bearer "+f.tok)
		return r
	}
	for _, l := range requestLogLoggers {
		b.Run(l.name, func(b *testing.B) {
			f.srv.log = l.log
			defer func() { f.srv.log = slog.New(slog.DiscardHandler) }()
			load(b, loadClient(), req, http.StatusOK)
		})
	}
}

// BenchmarkVendorRequestLine is the log line alone, as logRequests writes it.
func BenchmarkVendorRequestLine(b *testing.B) {
	for _, l := range requestLogLoggers {
		b.Run(l.name, func(b *testing.B) {
			s := &Server{log: l.log}
			ctx := context.Background()
			b.ReportAllocs()
			for range b.N {
				if s.log.Enabled(ctx, slog.LevelInfo) {
					s.logVendorRequest(ctx, http.MethodGet, routeReports, http.StatusOK, 412*time.Microsecond)
				}
			}
		})
	}
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/ssrmock/ssrmock/server"
)

// memoryHeadroom is what serve's soft memory limit allows beyond the report cache: the
// worlds, caches of rebuilt students, journals and the garbage of renders in flight.
const memoryHeadroom = 40 << 20

// runServe runs the mock server until ctx ends.
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	seed := fs.Int64("seed", 1, "seed of the default sandbox's world")
	scenario := fs.String("scenario", "2018-19", "scenario of the default sandbox: 2018-19 or 2025-26")
	scale := fs.String("scale", "county", "scale of the default sandbox: tiny, county or state")
	controlToken := fs.String("control-token", "", "bearer token the control API requires; needed to listen beyond loopback")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	reportCache := byteSize(server.DefaultPDFCacheBytes)
	fs.Var(&reportCache, "report-cache", "memory kept for rendered report PDFs, as in 32MiB; the least recently used are dropped first")
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if reportCache < 1<<20 {
		return usageError("--report-cache %s: give at least 1MiB (a size without a unit is in bytes)", reportCache.String())
	}
	if getenv("GOMEMLIMIT") == "" {
		// The cache is most of the live heap; without a limit the collector lets the heap
		// grow to twice the live data before it runs, and the process's memory follows.
		debug.SetMemoryLimit(int64(reportCache) + memoryHeadroom)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return usageError("--log-level: %v", err)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("listen on %s: %w", *addr, err)}
	}
	defer ln.Close()
	if *controlToken == "" && !isLoopback(ln.Addr()) {
		return usageError("refusing to serve the control API open on %s: listen on 127.0.0.1 or set --control-token", ln.Addr())
	}
	srv, err := server.New(server.Config{Seed: *seed, Scenario: *scenario, Scale: *scale, ControlToken: *controlToken, Logger: log, PDFCacheBytes: int(reportCache)})
	if err != nil {
		return usageError("%v", err)
	}
	defer srv.Close()

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	fmt.Fprintf(stdout, "ssrmock serving on http://%s (web UI at /, vendor API at /api/v1, control API at /control/v1)\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// isLoopback reports whether addr only accepts connections from this machine.
func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

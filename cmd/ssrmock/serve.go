package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
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
	logLevel := fs.String("log-level", "info", "log level: debug, info (one line per vendor request), warn or error")
	logFormat := fs.String("log-format", "text", "log format: text (key=value) or json (one object a line)")
	publicURL := fs.String("public-url", "", "public root the server is reached at behind a proxy, e.g. https://ssr.example.org; links are built from it")
	trustedProxies := fs.String("trusted-proxies", "", "comma-separated CIDRs or IPs of proxies whose Forwarded / X-Forwarded-Proto / X-Forwarded-Host headers are honoured")
	allowHosts := fs.String("allow-host", "", "comma-separated host names the server is reached by beyond loopback (e.g. ssrmock,mock.example.org); requests naming another host are refused")
	maxSandboxes := fs.Int("max-sandboxes", server.DefaultMaxSandboxes, "most sandboxes the server holds, the default one included; creating one more answers 409 limit_reached")
	maxFaults := fs.Int("max-faults", server.DefaultMaxFaults, "most faults one sandbox holds; scheduling one more answers 409 limit_reached")
	sandboxIdle := fs.Duration("sandbox-idle", server.DefaultSandboxIdle, "a sandbox (not the default one) unused this long is deleted; 0 never deletes one")
	state := fs.String("state", "", "where sandboxes are kept across restarts: a SQLite file (ssrmock.db) or a postgres:// URL shared by replicas; none keeps them in memory")
	reportCache := byteSize(server.DefaultPDFCacheBytes)
	fs.Var(&reportCache, "report-cache", "memory kept for rendered reports, as in 32MiB; the least recently used are dropped first")
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if *maxSandboxes < 1 || *maxFaults < 1 {
		return usageError("--max-sandboxes and --max-faults must be at least 1")
	}
	if *sandboxIdle < 0 {
		return usageError("--sandbox-idle %s: give a duration of 0 (never) or more", *sandboxIdle)
	}
	idle := *sandboxIdle
	if idle == 0 {
		idle = -1 // server.Config reads 0 as the default and a negative value as never
	}
	if reportCache < 1<<20 {
		return usageError("--report-cache %s: give at least 1MiB (a size without a unit is in bytes)", reportCache.String())
	}
	if getenv("GOMEMLIMIT") == "" {
		// The cache is most of the live heap; without a limit the collector lets the heap
		// grow to twice the live data before it runs, and the process's memory follows.
		debug.SetMemoryLimit(int64(reportCache) + memoryHeadroom)
	}
	log, err := newLogger(stderr, *logLevel, *logFormat)
	if err != nil {
		return err
	}
	proxies, err := parsePrefixes(*trustedProxies)
	if err != nil {
		return usageError("--trusted-proxies: %v", err)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("listen on %s: %w", *addr, err)}
	}
	defer ln.Close()
	if *controlToken == "" && !isLoopback(ln.Addr()) {
		return usageError("refusing to serve the control API open on %s: listen on 127.0.0.1 or set --control-token", ln.Addr())
	}
	hosts := append(splitList(*allowHosts), listenerHosts(ln.Addr())...)
	if u, err := url.Parse(*publicURL); err == nil && u.Hostname() != "" {
		// Requests that come through the public root name its host.
		hosts = append(hosts, u.Hostname())
	}
	st, err := openStore(ctx, *state)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	srv, err := server.New(server.Config{Seed: *seed, Scenario: *scenario, Scale: *scale, ControlToken: *controlToken, Hosts: hosts, Logger: log,
		PublicURL: *publicURL, TrustedProxies: proxies, PDFCacheBytes: int(reportCache),
		MaxSandboxes: *maxSandboxes, MaxFaults: *maxFaults, SandboxIdle: idle, Store: st})
	if err != nil {
		st.Close()
		return usageError("%v", err)
	}
	defer srv.Close()

	opts := server.HTTPOptions{Logger: log}
	hs := server.HTTPServer(srv, opts)
	fmt.Fprintf(stdout, "ssrmock serving on http://%s (web UI at /, vendor API at /api/v1, control API at /control/v1)\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(server.Listener(ln, opts)) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	srv.Drain()
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

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// listenerHosts are the addresses a listener is reached by, beyond loopback: its own address,
// or every address of the machine when it listens on all of them.
func listenerHosts(addr net.Addr) []string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || tcp.IP.IsLoopback() {
		return nil
	}
	if !tcp.IP.IsUnspecified() {
		return []string{tcp.IP.String()}
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []string
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok {
			out = append(out, ipn.IP.String())
		}
	}
	return out
}

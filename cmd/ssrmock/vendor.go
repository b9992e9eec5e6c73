package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/ssrmock/ssrmock/conformance/driver"
	"github.com/ssrmock/ssrmock/conformance/refvendor"
)

// runVendor runs the reference vendor integration over the driver protocol: JSON lines on
// stdin/stdout, or HTTP with --listen. Logs go to stderr only.
func runVendor(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("vendor", stderr)
	fault := fs.String("fault", "", "misbehave in one named way (see --list-faults)")
	listFaults := fs.Bool("list-faults", false, "print the deliberate faults, one per line: name<TAB>sentence")
	listen := fs.String("listen", "", "serve the driver protocol over HTTP on this address (e.g. 127.0.0.1:7070) instead of stdin/stdout")
	serveBytes := fs.Bool("serve-bytes", false, "download each PDF and report its SHA-256 instead of handing out the service's link")
	timeout := fs.Duration("timeout", 2*time.Second, "timeout of each request to the SSR service")
	verbose := fs.Bool("v", false, "log every request decision, not only warnings")
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if *listFaults {
		for _, f := range refvendor.Faults() {
			fmt.Fprintf(stdout, "%s\t%s\n", f.Name, f.Description)
		}
		return nil
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	v, err := refvendor.New(refvendor.Options{Fault: *fault, Timeout: *timeout, ServeBytes: *serveBytes, Logger: log})
	if err != nil {
		return usageError("vendor: %v", err)
	}
	if *listen == "" {
		err := driver.Serve(ctx, v, stdin, stdout)
		if errors.Is(err, context.Canceled) {
			return nil
		}
		return err
	}
	return serveVendorHTTP(ctx, *listen, v, log, stderr)
}

// serveVendorHTTP serves the driver protocol on addr until ctx ends.
func serveVendorHTTP(ctx context.Context, addr string, v *refvendor.Vendor, log *slog.Logger, stderr io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("vendor: %w", err)
	}
	srv := &http.Server{Handler: driver.NewHandler(v), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stderr, "ssrmock vendor: driver protocol on http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("vendor: %w", err)
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutCtx)
}

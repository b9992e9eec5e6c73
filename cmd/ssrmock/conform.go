package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/ssrmock/ssrmock/conformance"
	"github.com/ssrmock/ssrmock/conformance/driver"
	"github.com/ssrmock/ssrmock/server"
)

// runConform runs the conformance suite against a vendor's driver. Exit status: 0 when every
// required spec passes, 1 on a conformance failure, 2 when the suite could not run (bad flags,
// a driver that will not start or breaks the protocol, an unreachable server).
//
// The suite can run only once per process: Ginkgo's RunSpecs allows no second run.
func runConform(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("conform", stderr)
	driverCmd := fs.String("driver-cmd", "", "command of the vendor's driver, speaking the protocol on stdin/stdout; run without a shell unless it has shell syntax (see docs/driver-protocol.md)")
	driverURL := fs.String("driver-url", "", "base URL of the vendor's driver, speaking the protocol over HTTP")
	serverURL := fs.String("server", "", "base URL of a running ssrmock server; empty starts one in-process on loopback")
	controlToken := fs.String("control-token", "", "bearer token of the server's control API")
	reportDir := fs.String("report-dir", "", "directory to write junit.xml, conformance.json, summary.txt and summary.html into")
	labelFilter := fs.String("label-filter", "", `run only the specs whose labels match, e.g. "required && !resilience"`)
	knownFailing := fs.String("known-failing", "", "file of spec ids expected to fail, one a line")
	timeout := fs.Duration("timeout", 10*time.Second, "bound on each driver operation")
	startTimeout := fs.Duration("start-timeout", driver.DefaultStartTimeout, "bound on the driver's start-up: its process starting and its answer to hello")
	seed := fs.Int64("seed", 0, "seed of the specs' random order, and of the explore phase unless --explore-seed is given; 0 picks one")
	exploreSeed := fs.Int64("explore-seed", 0, "seed of the explore phase's walks (the replay seed a failure prints); 0 means --seed")
	exploreSteps := fs.Int("explore-steps", conformance.DefaultExploreSteps, "steps of each explore walk: more explores deeper")
	verbose := fs.Bool("v", false, "report every spec as it runs")
	list := fs.Bool("list", false, "list the specs (those --label-filter selects) and exit")
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if *labelFilter != "" {
		if _, err := types.ParseLabelFilter(*labelFilter); err != nil {
			return usageError("--label-filter: %v", err)
		}
	}
	if *list {
		for _, s := range conformance.List(*labelFilter) {
			fmt.Fprintf(stdout, "%-45s %-11s %s\n", s.ID, s.Level, s.Rule)
		}
		return nil
	}
	if (*driverCmd == "") == (*driverURL == "") {
		return usageError("conform: give exactly one of --driver-cmd and --driver-url")
	}
	if *timeout <= 0 {
		return usageError("--timeout must be positive")
	}
	if *startTimeout <= 0 {
		return usageError("--start-timeout must be positive")
	}
	if *exploreSteps <= 0 {
		return usageError("--explore-steps must be positive")
	}
	opts := conformance.Options{
		ServerURL:    *serverURL,
		ControlToken: *controlToken,
		DriverCmd:    *driverCmd,
		DriverEnv:    driverEnv(os.Environ()),
		DriverURL:    *driverURL,
		Timeout:      *timeout,
		StartTimeout: *startTimeout,
		ReportDir:    *reportDir,
		Stderr:       stderr,
		Version:      currentVersion(),
		Explore:      conformance.ExploreConfig{Seed: *exploreSeed, Steps: *exploreSteps},
	}
	if *knownFailing != "" {
		ids, err := conformance.ReadKnownFailing(*knownFailing)
		if err != nil {
			return usageError("--known-failing: %v", err)
		}
		opts.KnownFailing = ids
	}
	if opts.ServerURL == "" {
		url, stop, err := startLoopbackServer(stderr)
		if err != nil {
			return &exitError{code: 2, err: fmt.Errorf("conform: starting the mock server: %w", err)}
		}
		defer stop()
		opts.ServerURL = url
	}

	suiteConfig := types.NewDefaultSuiteConfig()
	suiteConfig.LabelFilter = *labelFilter
	suiteConfig.RandomizeAllSpecs = true
	if *seed != 0 {
		suiteConfig.RandomSeed = *seed
	}
	reporterConfig := types.NewDefaultReporterConfig()
	reporterConfig.NoColor = true
	reporterConfig.Succinct = !*verbose
	reporterConfig.Verbose = *verbose
	if ctx.Err() != nil {
		return ctx.Err()
	}
	sum, err := conformance.Run(opts, suiteConfig, reporterConfig)
	if sum != nil {
		fmt.Fprintf(stdout, "\n%s", sum.Text())
		if *reportDir != "" {
			files := []string{"summary.txt", "summary.html", "conformance.json", "junit.xml"}
			if *driverCmd != "" {
				files = append(files, "driver.log (the driver's stderr)")
			}
			for i, f := range files {
				files[i] = filepath.Join(*reportDir, f)
			}
			fmt.Fprintf(stdout, "\nReports: %s\n", strings.Join(files, ", "))
		}
	}
	var he *conformance.HarnessError
	switch {
	case errors.As(err, &he):
		return &exitError{code: 2, err: fmt.Errorf("conform: the suite could not run: %w", err)}
	case err != nil:
		return &exitError{code: 2, err: err}
	case !sum.Passed:
		return &exitError{code: 1, err: fmt.Errorf("conform: the vendor does not conform (%d required spec(s) failed, %d known-failing spec(s) passed)",
			len(sum.RequiredFailed), len(sum.KnownPassed))}
	}
	return nil
}

// driverEnv is the environment a driver process starts with: this process's, without the
// suite's own SSRMOCK_CONFORM_* settings, which are not the driver's business (a driver that
// is itself ssrmock reads only its own command's variables anyway).
func driverEnv(environ []string) []string {
	prefix := envName("conform", "")
	return slices.DeleteFunc(slices.Clone(environ), func(kv string) bool { return strings.HasPrefix(kv, prefix) })
}

// startLoopbackServer starts an in-process mock server on 127.0.0.1 with a tiny default
// sandbox: every spec makes its own.
func startLoopbackServer(stderr io.Writer) (string, func(), error) {
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := server.New(server.Config{Seed: 1, Scenario: "2018-19", Scale: "tiny", Logger: log})
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		return "", nil, err
	}
	opts := server.HTTPOptions{Logger: log}
	hs := server.HTTPServer(srv, opts)
	go func() { _ = hs.Serve(server.Listener(ln, opts)) }()
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(ctx)
		srv.Close()
	}
	return "http://" + ln.Addr().String(), stop, nil
}

package conformance

import (
	"flag"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/ssrmock/ssrmock/conformance/driver"
	"github.com/ssrmock/ssrmock/conformance/refvendor"
	"github.com/ssrmock/ssrmock/server"
)

// The suite's flags, as `ssrmock conform` has them; each defaults from its SSRMOCK_CONFORM_*
// variable.
// With neither -driver-cmd nor -driver-url the reference vendor runs in-process, and without
// -server an in-process server is started.
var (
	flagDriverCmd    = flag.String("driver-cmd", os.Getenv("SSRMOCK_CONFORM_DRIVER_CMD"), "shell command of a driver speaking the protocol on stdin/stdout")
	flagDriverURL    = flag.String("driver-url", os.Getenv("SSRMOCK_CONFORM_DRIVER_URL"), "base URL of a driver speaking the protocol over HTTP")
	flagServer       = flag.String("server", os.Getenv("SSRMOCK_CONFORM_SERVER"), "base URL of a running ssrmock server")
	flagControlToken = flag.String("control-token", os.Getenv("SSRMOCK_CONFORM_CONTROL_TOKEN"), "bearer token of the server's control API")
	flagKnownFailing = flag.String("known-failing", os.Getenv("SSRMOCK_CONFORM_KNOWN_FAILING"), "file of spec ids expected to fail")
	flagReportDir    = flag.String("report-dir", os.Getenv("SSRMOCK_CONFORM_REPORT_DIR"), "directory for junit.xml, conformance.json, summary.txt and summary.html")
	flagTimeout      = flag.Duration("timeout", envDuration("SSRMOCK_CONFORM_TIMEOUT", driver.DefaultTimeout), "bound on each driver operation")
	flagStartTimeout = flag.Duration("start-timeout", envDuration("SSRMOCK_CONFORM_START_TIMEOUT", driver.DefaultStartTimeout), "bound on the driver's start-up (process start and hello)")
	flagExploreSeed  = flag.Int64("explore-seed", 0, "seed of the explore phase's walks; 0 means the run's random seed")
	flagExploreSteps = flag.Int("explore-steps", 0, "steps of each explore walk; 0 means the default budget")
)

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}

// TestConformance runs the suite: against the in-process reference vendor by default.
func TestConformance(t *testing.T) {
	opts := Options{
		ServerURL:    *flagServer,
		ControlToken: *flagControlToken,
		StartServer:  startServer,
		DriverCmd:    *flagDriverCmd,
		DriverURL:    *flagDriverURL,
		Timeout:      *flagTimeout,
		StartTimeout: *flagStartTimeout,
		ReportDir:    *flagReportDir,
		Stderr:       os.Stderr,
		Explore:      ExploreConfig{Seed: *flagExploreSeed, Steps: *flagExploreSteps},
	}
	if opts.DriverCmd == "" && opts.DriverURL == "" {
		opts.Driver = func() driver.Driver { return refvendor.MustNew(refvendor.Options{}) }
	}
	if *flagKnownFailing != "" {
		ids, err := ReadKnownFailing(*flagKnownFailing)
		if err != nil {
			t.Fatal(err)
		}
		opts.KnownFailing = ids
	}
	suiteConfig, reporterConfig := GinkgoConfiguration()
	sum, err := Run(opts, suiteConfig, reporterConfig)
	if err != nil {
		t.Fatalf("the suite could not judge the vendor: %v", err)
	}
	if !sum.Passed {
		t.Errorf("the vendor does not conform:\n%s", sum.Text())
	}
}

// startServer starts an in-process mock server with a tiny default sandbox.
func startServer() (string, func(), error) {
	srv, err := server.New(server.Config{Seed: 1, Scenario: "2018-19", Scale: "tiny"})
	if err != nil {
		return "", nil, err
	}
	ts := httptest.NewServer(srv)
	return ts.URL, func() { ts.Close(); srv.Close() }, nil
}

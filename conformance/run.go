package conformance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
	"github.com/ssrmock/ssrmock/conformance/driver"
)

// Options configure one run of the suite.
type Options struct {
	// ServerURL is the mock server's base URL, e.g. "http://127.0.0.1:8080". Empty means
	// StartServer starts one.
	ServerURL string
	// ControlToken is the control API's bearer token; "" sends none (the control API is open
	// on loopback).
	ControlToken string
	// StartServer starts an in-process server when ServerURL is empty and returns its URL and
	// a function that stops it. In a parallel run only process 1 calls it.
	StartServer func() (url string, stop func(), err error)

	// DriverCmd is a shell command speaking the driver protocol on stdin/stdout.
	DriverCmd string
	// DriverEnv is the environment of the DriverCmd process; nil means this process's.
	DriverEnv []string
	// DriverURL is the base URL of a driver speaking the protocol over HTTP.
	DriverURL string
	// Driver is an in-process driver, used when DriverCmd and DriverURL are both empty.
	Driver func() driver.Driver

	// Timeout bounds each driver operation; 0 means driver.DefaultTimeout.
	Timeout time.Duration
	// StartTimeout bounds the driver's start-up (process start and hello); 0 means
	// driver.DefaultStartTimeout.
	StartTimeout time.Duration
	// KnownFailing lists ids of specs expected to fail: their failure does not fail the run,
	// but their passing does, so the list is kept honest.
	KnownFailing []string
	// ReportDir receives junit.xml, conformance.json, summary.txt and summary.html; "" writes none.
	ReportDir string
	// Stderr receives the driver's standard error when ReportDir is empty; nil discards it.
	// With a ReportDir the driver's standard error goes to driver.log there, so that a passing
	// run stays quiet.
	Stderr io.Writer
	// Version is the ssrmock version the reports name; "" names it "(unknown)".
	Version string
	// Explore configures the explore phase (spec explore/model); its zero seed means the
	// run's random seed.
	Explore ExploreConfig
}

// driverLog is the file of the report directory that receives a driver process's stderr.
const driverLog = "driver.log"

// harness is what every spec of this process shares: set up once per process.
type harness struct {
	opts  Options
	api   *controlapi.Client
	drv   *driver.Client
	hello driver.Hello
	// pdf fetches the links a vendor hands out, as a parent's browser would.
	pdf *http.Client
}

var (
	// runOpts is the configuration of this process's run, set before RunSpecs.
	runOpts Options
	// suite is this process's harness, set by the suite setup.
	suite *harness

	// outcome gathers what this process learnt about the run.
	outcome struct {
		sync.Mutex
		harnessErr error
		serverURL  string
		local      []SpecResult
		report     *types.Report
	}
)

// noteHarnessError records that the harness itself broke: the run cannot judge the vendor.
func noteHarnessError(err error) {
	outcome.Lock()
	defer outcome.Unlock()
	if outcome.harnessErr == nil {
		outcome.harnessErr = err
	}
}

// errHarness marks errors that mean the harness could not run.
var errHarness = errors.New("harness")

var _ = SynchronizedBeforeSuite(func(ctx SpecContext) []byte {
	url := runOpts.ServerURL
	if url == "" {
		if runOpts.StartServer == nil {
			err := fmt.Errorf("%w: no server URL and no way to start one", errHarness)
			noteHarnessError(err)
			Fail(err.Error())
		}
		u, stop, err := runOpts.StartServer()
		if err != nil {
			err = fmt.Errorf("%w: starting the mock server: %v", errHarness, err)
			noteHarnessError(err)
			Fail(err.Error())
		}
		DeferCleanup(stop)
		url = u
	}
	return []byte(url)
}, func(ctx SpecContext, serverURL []byte) {
	outcome.Lock()
	outcome.serverURL = string(serverURL)
	outcome.Unlock()
	h, err := newHarness(ctx, runOpts, string(serverURL))
	if err != nil {
		noteHarnessError(err)
		Fail(err.Error())
	}
	suite = h
	DeferCleanup(func() { _ = h.drv.Close() })
})

// newHarness reaches the server and starts the driver.
func newHarness(ctx context.Context, opts Options, serverURL string) (*harness, error) {
	h := &harness{
		opts: opts,
		api:  controlapi.New(serverURL, opts.ControlToken, &http.Client{Timeout: 30 * time.Second}),
		pdf:  &http.Client{Timeout: 30 * time.Second},
	}
	// The server must answer before the driver is worth starting.
	sb, err := h.api.CreateSandbox(ctx, controlapi.SandboxSpec{Seed: 1, Scale: "tiny"})
	if err != nil {
		return nil, fmt.Errorf("%w: the mock server at %s does not answer its control API: %v", errHarness, serverURL, err)
	}
	_ = h.api.DeleteSandbox(ctx, sb.ID)

	dopts := driver.Options{Timeout: opts.Timeout, StartTimeout: opts.StartTimeout, Stderr: opts.Stderr, Env: opts.DriverEnv}
	if opts.ReportDir != "" && opts.DriverCmd != "" {
		if err := os.MkdirAll(opts.ReportDir, 0o755); err != nil {
			return nil, fmt.Errorf("%w: %v", errHarness, err)
		}
		log, err := os.Create(filepath.Join(opts.ReportDir, driverLog))
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errHarness, err)
		}
		DeferCleanup(log.Close)
		dopts.Stderr = log
	}
	switch {
	case opts.DriverCmd != "":
		h.drv, err = driver.Start(context.Background(), opts.DriverCmd, dopts)
	case opts.DriverURL != "":
		h.drv, err = driver.Dial(opts.DriverURL, dopts)
	case opts.Driver != nil:
		srv := httptest.NewServer(driver.NewHandler(opts.Driver()))
		DeferCleanup(srv.Close)
		h.drv, err = driver.Dial(srv.URL, dopts)
	default:
		err = errors.New("no driver: give a driver command or URL")
	}
	if err != nil {
		return nil, fmt.Errorf("%w: starting the driver: %v", errHarness, err)
	}
	h.hello, err = h.drv.Hello(ctx)
	if err != nil {
		_ = h.drv.Close()
		return nil, fmt.Errorf("%w: the driver did not answer hello: %v", errHarness, err)
	}
	fmt.Fprintf(GinkgoWriter, "driver %s %s, capabilities %v\n", h.hello.Name, h.hello.Version, h.hello.Capabilities)
	return h, nil
}

// SpecResult is the outcome of one conformance spec in a run.
type SpecResult struct {
	Spec
	// State is "passed", "failed" or "skipped".
	State string `json:"state"`
	// KnownFailing says the spec is on the run's known-failing list.
	KnownFailing bool `json:"knownFailing,omitempty"`
	// Failure is what the vendor's integration did wrong, when State is "failed".
	Failure string `json:"failure,omitempty"`
	// Location is the spec's failure location in the suite's source.
	Location string `json:"location,omitempty"`
	// Seconds is how long the spec took.
	Seconds float64 `json:"seconds"`
}

// resultOf turns a spec report into a result; false for reports of other nodes.
func resultOf(r types.SpecReport, known map[string]bool) (SpecResult, bool) {
	s, ok := specOf(r)
	if !ok {
		return SpecResult{}, false
	}
	res := SpecResult{Spec: s, KnownFailing: known[s.ID], Seconds: r.RunTime.Seconds()}
	switch {
	case r.State.Is(types.SpecStatePassed):
		res.State = "passed"
	case r.State.Is(types.SpecStateSkipped | types.SpecStatePending):
		res.State = "skipped"
	default:
		res.State = "failed"
		res.Failure = r.Failure.Message
		if r.Failure.Location.FileName != "" {
			res.Location = r.Failure.Location.String()
		}
	}
	return res, true
}

var _ = ReportAfterEach(func(r SpecReport) {
	res, ok := resultOf(r, knownSet(runOpts.KnownFailing))
	if !ok {
		return
	}
	outcome.Lock()
	outcome.local = append(outcome.local, res)
	outcome.Unlock()
})

var _ = ReportAfterSuite("conformance reports", func(r Report) {
	outcome.Lock()
	outcome.report = &r
	serverURL := outcome.serverURL
	outcome.Unlock()
	if runOpts.ReportDir != "" {
		sum := summarize(r, runOpts.KnownFailing, notedHarnessError())
		sum.Run = runInfo(r, serverURL)
		if err := writeReports(runOpts.ReportDir, sum); err != nil {
			Fail(fmt.Sprintf("writing reports to %s: %v", runOpts.ReportDir, err))
		}
	}
})

func knownSet(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// nopT is the GinkgoTestingT of a run whose verdict is decided by Run, not by Ginkgo: a failed
// recommended or known-failing spec must not fail it.
type nopT struct{}

func (nopT) Fail() {}

// Run runs the suite once in this process and returns its verdict. It can run only once per
// process (Ginkgo's rule). suiteConfig and reporterConfig are Ginkgo's, e.g. from
// GinkgoConfiguration with a label filter set. The error is a *HarnessError when the suite could
// not judge the vendor at all; the summary is returned with it.
func Run(opts Options, suiteConfig types.SuiteConfig, reporterConfig types.ReporterConfig) (*Summary, error) {
	runOpts = opts
	outcome.Lock()
	outcome.harnessErr, outcome.serverURL, outcome.local, outcome.report = nil, "", nil, nil
	outcome.Unlock()
	if opts.Stderr == nil {
		runOpts.Stderr = io.Discard
	}
	if runOpts.Explore.Seed == 0 {
		runOpts.Explore.Seed = suiteConfig.RandomSeed
	}
	RegisterFailHandler(Fail)
	RunSpecs(nopT{}, "ssrmock conformance", suiteConfig, reporterConfig)
	return verdict()
}

// verdict judges the run from this process's point of view: the whole suite's report in a
// serial run or on parallel process 1, this process's own specs otherwise.
func verdict() (*Summary, error) {
	outcome.Lock()
	defer outcome.Unlock()
	var sum *Summary
	if outcome.report != nil {
		sum = summarize(*outcome.report, runOpts.KnownFailing, outcome.harnessErr)
		sum.Run = runInfo(*outcome.report, outcome.serverURL)
	} else {
		sum = summarizeResults(outcome.local, runOpts.KnownFailing, outcome.harnessErr)
	}
	if sum.HarnessError != "" {
		return sum, &HarnessError{Msg: sum.HarnessError}
	}
	return sum, nil
}

// HarnessError says the suite could not judge the vendor: the driver would not start or broke
// the protocol, or the server could not be reached.
type HarnessError struct{ Msg string }

// Error returns why the suite could not judge the vendor.
func (e *HarnessError) Error() string { return e.Msg }

// notedHarnessError returns the harness failure this process noted, if any.
func notedHarnessError() error {
	outcome.Lock()
	defer outcome.Unlock()
	return outcome.harnessErr
}

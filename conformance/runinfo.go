package conformance

import (
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/ssrmock/ssrmock/conformance/pacific"
)

// RunInfo says what produced a report, so that a run can be told apart from another and
// repeated.
type RunInfo struct {
	// SsrmockVersion is the version of the ssrmock that ran the suite (Options.Version).
	SsrmockVersion string `json:"ssrmockVersion"`
	// SpecListSHA256 is the SHA-256 of the spec list, testdata/specs.yaml (see SpecListSHA256).
	SpecListSHA256 string `json:"specListSha256"`
	// Seed is the seed of the specs' random order: `ssrmock conform --seed` repeats it.
	Seed int64 `json:"seed"`
	// LabelFilter is the run's --label-filter; empty runs every spec.
	LabelFilter string `json:"labelFilter,omitempty"`
	// Driver is the vendor's driver as its hello answer names it.
	Driver DriverInfo `json:"driver"`
	// ServerURL is the mock server the suite ran against.
	ServerURL string `json:"serverURL"`
	// StartedAt and FinishedAt bound the run, in Pacific time.
	StartedAt  time.Time `json:"startedAt"`
	FinishedAt time.Time `json:"finishedAt"`
	// Sandbox is the sandbox whose traffic an audit judged; empty for a suite run.
	Sandbox string `json:"sandbox,omitempty"`
}

// DriverInfo is the name and version a driver gave in its hello answer.
type DriverInfo struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// runInfo describes the run of report r against the server at serverURL, from this process's
// harness.
func runInfo(r types.Report, serverURL string) RunInfo {
	info := RunInfo{
		SsrmockVersion: runOpts.Version,
		SpecListSHA256: SpecListSHA256(),
		Seed:           r.SuiteConfig.RandomSeed,
		LabelFilter:    r.SuiteConfig.LabelFilter,
		ServerURL:      serverURL,
		StartedAt:      r.StartTime.In(pacific.Location).Round(time.Millisecond),
		FinishedAt:     r.EndTime.In(pacific.Location).Round(time.Millisecond),
	}
	if info.SsrmockVersion == "" {
		info.SsrmockVersion = "(unknown)"
	}
	if suite != nil {
		info.Driver = DriverInfo{Name: suite.hello.Name, Version: suite.hello.Version}
	}
	return info
}

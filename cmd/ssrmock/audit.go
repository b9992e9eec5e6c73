package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/ssrmock/ssrmock/conformance"
	"github.com/ssrmock/ssrmock/conformance/controlapi"
	"github.com/ssrmock/ssrmock/conformance/pacific"
)

// runAudit reads the findings of a sandbox's live vendor traffic from a running server and
// prints them as a report in the suite's formats. Exit status, as conform's: 0 when no
// finding of severity error (warnings are reported like the suite's recommendations), 1 when
// there is one, 2 when the audit could not run (bad flags, an unreachable server, no such
// sandbox, a refused control token).
func runAudit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("audit", stderr)
	serverURL := fs.String("server", "", "base URL of the running ssrmock server (required)")
	sandbox := fs.String("sandbox", "default", "the sandbox whose traffic to judge")
	controlToken := fs.String("control-token", "", "bearer token of the server's control API")
	format := fs.String("format", "text", "report printed on stdout: text, json, junit or html")
	out := fs.String("out", "", "directory to write junit.xml, audit.json, summary.txt and summary.html into")
	timeout := fs.Duration("timeout", 10*time.Second, "bound on reading the findings")
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	write, ok := auditFormats[*format]
	switch {
	case *serverURL == "":
		return usageError("audit: --server is required")
	case *sandbox == "":
		return usageError("audit: --sandbox must not be empty")
	case !ok:
		return usageError("audit: --format must be text, json, junit or html, not %q", *format)
	case *timeout <= 0:
		return usageError("--timeout must be positive")
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	api := controlapi.New(*serverURL, *controlToken, &http.Client{Timeout: *timeout})
	page, err := api.AllFindings(ctx, *sandbox)
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("audit: reading the findings of sandbox %q: %w", *sandbox, err)}
	}
	sum := conformance.AuditSummary(page.Findings, conformance.RunInfo{
		SsrmockVersion: currentVersion(), ServerURL: *serverURL, Sandbox: *sandbox,
		FinishedAt: time.Now().In(pacific.Location).Round(time.Millisecond),
	})
	if err := write(sum, stdout); err != nil {
		return &exitError{code: 2, err: fmt.Errorf("audit: writing the report: %w", err)}
	}
	if *out != "" {
		if err := sum.WriteReports(*out); err != nil {
			return &exitError{code: 2, err: fmt.Errorf("audit: writing the reports: %w", err)}
		}
	}
	if !sum.Passed {
		return &exitError{code: 1, err: fmt.Errorf("audit: the traffic of sandbox %q broke %d rule(s)", *sandbox, len(sum.RequiredFailed))}
	}
	return nil
}

// auditFormats write a report on stdout, by --format.
var auditFormats = map[string]func(*conformance.Summary, io.Writer) error{
	"text":  func(s *conformance.Summary, w io.Writer) error { _, err := io.WriteString(w, s.Text()); return err },
	"json":  (*conformance.Summary).WriteJSON,
	"junit": (*conformance.Summary).WriteJUnit,
	"html":  (*conformance.Summary).HTML,
}

// Command ssrmock is an offline stand-in for California's electronic Student Score Report
// service, with a conformance suite for the vendors that integrate with it.
//
//	ssrmock serve      the mock server with its default sandbox and web UI
//	ssrmock roster     the synthetic roster, as CSV or JSON
//	ssrmock vendor     the reference vendor integration, over the driver protocol
//	ssrmock conform    the conformance suite against a vendor's driver
//	ssrmock audit      the findings of a sandbox's live vendor traffic, as a report
//	ssrmock version    the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitError carries a process exit code out of run.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError reports bad command-line input: exit status 2.
func usageError(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

// exitCode maps run's error to the process exit status, printing it when there is something to say.
func exitCode(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	code := 1
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
	}
	if msg := err.Error(); msg != "" {
		fmt.Fprintln(stderr, "ssrmock:", msg)
	}
	return code
}

const usage = `usage: ssrmock <command> [flags]

commands:
  serve     run the mock server (vendor API, TOMS credentials, control API, web UI)
  roster    print the synthetic roster of a world
  vendor    run the reference vendor integration over the driver protocol
  conform   run the conformance suite against a vendor's driver
  audit     report the findings of a sandbox's live vendor traffic (exit 1 on an error finding)
  version   print the version (also --version)

Run 'ssrmock <command> -h' for the command's flags. Every flag also reads a variable of its
own command, SSRMOCK_<COMMAND>_<FLAG>: serve's --seed reads SSRMOCK_SERVE_SEED, conform's
--timeout reads SSRMOCK_CONFORM_TIMEOUT. A flag on the command line wins over its variable.
`

// run is the whole program: main only wires it to the process.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "roster":
		return runRoster(ctx, rest, getenv, stdout, stderr)
	case "vendor":
		return runVendor(ctx, rest, getenv, stdin, stdout, stderr)
	case "conform":
		return runConform(ctx, rest, getenv, stdout, stderr)
	case "audit":
		return runAudit(ctx, rest, getenv, stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "ssrmock", currentVersion())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError("unknown command %q", cmd)
}

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// newFlagSet returns a flag set for one command that reports errors instead of exiting.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("ssrmock "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// envName is the environment variable that sets a flag's default: --driver-cmd reads
// SSRMOCK_DRIVER_CMD.
func envName(flagName string) string {
	return "SSRMOCK_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// secretFlags are the flags whose values are never printed: not as the default in --help,
// not in an error message.
var secretFlags = map[string]bool{"control-token": true}

// parseFlags applies SSRMOCK_* environment defaults to every flag of fs, then parses args.
// A flag given on the command line wins over its variable. Bad input is a usage error.
func parseFlags(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		env := envName(f.Name)
		if v := getenv(env); v != "" && envErr == nil {
			if err := f.Value.Set(v); err != nil {
				if secretFlags[f.Name] {
					envErr = usageError("%s: not a valid value", env)
				} else {
					envErr = usageError("%s=%q: %v", env, v, err)
				}
			}
			if secretFlags[f.Name] {
				if !strings.Contains(f.Usage, "(set from $") {
					f.Usage += fmt.Sprintf(" (set from $%s)", env)
				}
			} else {
				f.DefValue = v
			}
		}
		if !strings.Contains(f.Usage, "SSRMOCK_") {
			f.Usage += fmt.Sprintf(" ($%s)", env)
		}
	})
	if envErr != nil {
		return envErr
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		// The flag package has already said what was wrong, with the usage.
		return &exitError{code: 2, err: errors.New("")}
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

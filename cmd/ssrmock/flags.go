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

// envName is the environment variable that sets a flag's default: each command has its own,
// SSRMOCK_<COMMAND>_<FLAG>, so that `conform --driver-cmd` reads SSRMOCK_CONFORM_DRIVER_CMD and
// `serve --seed` reads SSRMOCK_SERVE_SEED. Two commands never share a variable: a setting
// meant for one (conform's --timeout) cannot reach another (a driver started by conform).
func envName(command, flagName string) string {
	return "SSRMOCK_" + strings.ToUpper(strings.ReplaceAll(command+"_"+flagName, "-", "_"))
}

// legacyEnvName is the variable a flag read before each command had its own: SSRMOCK_<FLAG>.
func legacyEnvName(flagName string) string {
	return "SSRMOCK_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// commandOf is the command a flag set from newFlagSet belongs to.
func commandOf(fs *flag.FlagSet) string { return strings.TrimPrefix(fs.Name(), "ssrmock ") }

// secretFlags are the flags whose values are never printed: not as the default in --help,
// not in an error message.
var secretFlags = map[string]bool{"control-token": true}

// parseFlags applies SSRMOCK_<COMMAND>_* environment defaults to every flag of fs, then parses
// args. A flag given on the command line wins over its variable. Bad input is a usage error.
// A variable of the old, shared form (SSRMOCK_<FLAG>) is not read; a note on stderr names the
// one to use instead.
func parseFlags(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	var envErr error
	command := commandOf(fs)
	fs.VisitAll(func(f *flag.Flag) {
		env := envName(command, f.Name)
		if old := legacyEnvName(f.Name); getenv(old) != "" && getenv(env) == "" {
			fmt.Fprintf(fs.Output(), "ssrmock %s: ignoring %s: set %s instead\n", command, old, env)
		}
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

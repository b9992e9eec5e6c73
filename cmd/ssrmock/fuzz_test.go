package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"strings"
	"testing"
)

// FuzzServeFlags feeds arbitrary arguments and environment variables to `ssrmock serve`,
// ending the arguments with an address it cannot listen on so that it never serves: every
// outcome is a usage error (exit 2) or help, and the control token from the environment is
// never printed, in help or in an error: what serve prints is the same whatever the token.
func FuzzServeFlags(f *testing.F) {
	f.Add("--seed\x0042", "SSRMOCK_SERVE_SCALE", "tiny", "s3cret-control-token")
	f.Add("-h", "", "", "s3cret-control-token")
	f.Add("--help", "SSRMOCK_SERVE_SEED", "many", "tok")
	f.Add("--control-token", "SSRMOCK_SERVE_LOG_LEVEL", "loud", "s3cret-control-token")
	f.Add("--log-level=loud", "SSRMOCK_SERVE_ALLOW_HOST", ",,a", "s3cret-control-token")
	f.Add("--nope=1\x00extra", "SSRMOCK_SERVE_ADDR", "x", "s3cret-control-token")
	f.Fuzz(func(t *testing.T, rawArgs, envName, envValue, token string) {
		if token == "" || strings.ContainsRune(token, 0) {
			return // no token in the environment: nothing to keep secret
		}
		var args []string
		if rawArgs != "" {
			args = strings.Split(rawArgs, "\x00")
		}
		serve := func(token string) (string, error, int) {
			env := map[string]string{"SSRMOCK_SERVE_CONTROL_TOKEN": token}
			if envName != "SSRMOCK_SERVE_CONTROL_TOKEN" {
				env[envName] = envValue
			}
			all := append(append([]string{"serve"}, args...), "--addr", "127.0.0.1:99999")
			var out bytes.Buffer
			err := run(context.Background(), all, func(k string) string { return env[k] }, strings.NewReader(""), &out, &out)
			code := exitCode(err, &out)
			return out.String(), err, code
		}
		out, err, code := serve(token)
		var ee *exitError
		switch {
		case err == nil:
			t.Fatalf("serve %q returned without error: it must not have served", args)
		case errors.Is(err, flag.ErrHelp):
		case errors.As(err, &ee) && ee.code == 2 && code == 2:
		default:
			t.Fatalf("serve %q: %v (exit %d), want a usage error", args, err, code)
		}
		const other = "a-different-control-token"
		if token != other {
			if out2, _, _ := serve(other); out2 != out {
				t.Fatalf("what serve %q prints depends on the control token:\n%s\n---\n%s", args, out, out2)
			}
		}
	})
}

package main

import (
	"strings"
	"testing"
)

func TestByteSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"64MiB", 64 << 20}, {"512KiB", 512 << 10}, {"1GiB", 1 << 30}, {"1048576", 1 << 20},
		{"100B", 100}, {"32MB", 32e6}, {"8kB", 8000}, {"8KB", 8000}, {" 16 MiB ", 16 << 20},
	} {
		var b byteSize
		if err := b.Set(tc.in); err != nil {
			t.Errorf("Set(%q): %v", tc.in, err)
			continue
		}
		if int64(b) != tc.want {
			t.Errorf("Set(%q) = %d, want %d", tc.in, b, tc.want)
		}
	}
	for _, in := range []string{"", "MiB", "-1MiB", "0", "1.5MiB", "64mib", "64 TiB", "9999999999GiB"} {
		var b byteSize
		if err := b.Set(in); err == nil {
			t.Errorf("Set(%q) = %d, want an error", in, b)
		}
	}
	for _, tc := range []struct {
		n    byteSize
		want string
	}{{64 << 20, "64MiB"}, {3 << 30, "3GiB"}, {1536, "1536"}, {3072, "3KiB"}, {1000, "1000"}} {
		if got := tc.n.String(); got != tc.want {
			t.Errorf("byteSize(%d).String() = %q, want %q", int64(tc.n), got, tc.want)
		}
	}
}

func TestServeRejectsBadReportCache(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--report-cache", "12"}, nil, "at least 1MiB"},
		{[]string{"--report-cache", "lots"}, nil, "not a size"},
		{nil, map[string]string{"SSRMOCK_SERVE_REPORT_CACHE": "64mb"}, "not a size"},
	} {
		args := append([]string{"serve", "--addr", "127.0.0.1:0", "--scale", "tiny"}, tc.args...)
		_, stderr, code := runCmd(t, tc.env, args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("serve %v with %v: exit %d, stderr %q; want exit 2 saying %q", tc.args, tc.env, code, stderr, tc.want)
		}
	}
}

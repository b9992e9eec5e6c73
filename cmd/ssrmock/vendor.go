package main

import (
	"context"
	"io"
)

// runVendor runs the reference vendor integration over the driver protocol.
func runVendor(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	return usageError("vendor: not available in this build yet")
}

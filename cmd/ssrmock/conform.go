package main

import (
	"context"
	"io"
)

// runConform runs the conformance suite against a vendor's driver.
func runConform(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return usageError("conform: not available in this build yet")
}

package store_test

import (
	"os"
	"testing"

	"github.com/ssrmock/ssrmock/internal/pgtest"
)

// TestMain runs the tests with one PostgreSQL server for all of them, unless the binary is
// a crash child (see crash_test.go).
func TestMain(m *testing.M) {
	if path := os.Getenv(crashFileEnv); path != "" {
		crashChild(path)
		return
	}
	pgtest.Main(m)
}

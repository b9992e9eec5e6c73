package store_test

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	if path := os.Getenv(crashFileEnv); path != "" {
		crashChild(path)
		return
	}
	code := m.Run()
	stopPG()
	os.Exit(code)
}

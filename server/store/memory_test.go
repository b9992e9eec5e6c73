package store_test

import (
	"testing"

	"github.com/ssrmock/ssrmock/server/store"
	"github.com/ssrmock/ssrmock/server/store/storetest"
)

func TestMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s := store.NewMemory(store.Options{JournalSize: storetest.JournalSize})
		t.Cleanup(func() { s.Close() })
		return s
	})
}

package server

import "github.com/ssrmock/ssrmock/server/store"

// JournalEntry is one vendor request as the journal keeps it (see store.JournalEntry).
type JournalEntry = store.JournalEntry

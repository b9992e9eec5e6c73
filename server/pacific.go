package server

import (
	"time"

	"github.com/ssrmock/ssrmock/fixtures"
)

// pacificTime writes an instant for a message in California's time, with the zone in force
// then: "2019-02-11 08:30:00 PST", "2019-04-15 08:30:00 PDT".
func pacificTime(t time.Time) string { return t.In(fixtures.Pacific).Format("2006-01-02 15:04:05 MST") }

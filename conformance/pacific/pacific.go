// Package pacific writes instants in California's time, America/Los_Angeles: PST (-08:00) in
// winter and PDT (-07:00) in summer, never a fixed offset. The suite's reports and messages
// use it for every instant, sandbox or wall-clock.
package pacific

import (
	"time"
	_ "time/tzdata" // the zone must load on machines without a zoneinfo database
)

// Location is America/Los_Angeles.
var Location = func() *time.Location {
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		panic(err)
	}
	return loc
}()

// Minutes writes t as "2019-05-15 08:00 PDT".
func Minutes(t time.Time) string { return t.In(Location).Format("2006-01-02 15:04 MST") }

// Seconds writes t as "2019-05-15 08:00:07 PDT".
func Seconds(t time.Time) string { return t.In(Location).Format("2006-01-02 15:04:05 MST") }

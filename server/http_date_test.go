package server

import (
	"net/http"
	"testing"
	"time"
)

func TestDateHeaderIsTheSecondFormatted(t *testing.T) {
	base := time.Date(2019, 2, 11, 16, 0, 0, 0, time.FixedZone("PST", -8*3600))
	for _, d := range []time.Duration{0, 300 * time.Millisecond, 999 * time.Millisecond, time.Second, 0, 36 * time.Hour, 1500 * time.Millisecond} {
		at := base.Add(d)
		if got, want := dateHeader(at), at.UTC().Format(http.TimeFormat); len(got) != 1 || got[0] != want {
			t.Errorf("dateHeader(%v) = %q, want %q", at, got, want)
		}
	}
}

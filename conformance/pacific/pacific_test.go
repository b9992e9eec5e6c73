package pacific

import (
	"testing"
	"time"
)

func TestFormats(t *testing.T) {
	tests := []struct {
		in               string
		minutes, seconds string
	}{
		{"2019-02-11T16:00:00Z", "2019-02-11 08:00 PST", "2019-02-11 08:00:00 PST"},
		{"2019-05-15T15:00:07Z", "2019-05-15 08:00 PDT", "2019-05-15 08:00:07 PDT"},
		// A fixed -08:00 offset, as JSON decoding gives, still prints in summer time in summer.
		{"2019-07-01T07:30:00-08:00", "2019-07-01 08:30 PDT", "2019-07-01 08:30:00 PDT"},
		// The autumn change: 01:30 happens twice on 2019-11-03.
		{"2019-11-03T08:30:00Z", "2019-11-03 01:30 PDT", "2019-11-03 01:30:00 PDT"},
		{"2019-11-03T09:30:00Z", "2019-11-03 01:30 PST", "2019-11-03 01:30:00 PST"},
	}
	for _, tt := range tests {
		at, err := time.Parse(time.RFC3339, tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := Minutes(at); got != tt.minutes {
			t.Errorf("Minutes(%s) = %q, want %q", tt.in, got, tt.minutes)
		}
		if got := Seconds(at); got != tt.seconds {
			t.Errorf("Seconds(%s) = %q, want %q", tt.in, got, tt.seconds)
		}
	}
}

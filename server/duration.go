package server

import (
	"encoding/json"
	"fmt"
	"time"
)

// Duration is a time.Duration that reads and writes JSON as a Go duration string ("72h",
// "90s") and also reads a bare number of seconds.
type Duration time.Duration

// MarshalJSON writes d as a duration string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads a duration string or a number of seconds. Its errors say what was
// wrong with the value ("not a duration: 7d").
func (d *Duration) UnmarshalJSON(b []byte) error {
	var secs float64
	if err := json.Unmarshal(b, &secs); err == nil {
		if secs < -maxDurationSeconds || secs > maxDurationSeconds {
			return &badValue{fmt.Sprintf("a duration of %v seconds is out of range (at most %d)", secs, maxDurationSeconds)}
		}
		*d = Duration(secs * float64(time.Second))
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return &badValue{`a duration is a string like "72h" or a number of seconds`}
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return &badValue{fmt.Sprintf(`not a duration: %s (write it like "72h", "30m" or "90s")`, clipString(s, 40))}
	}
	*d = Duration(v)
	return nil
}

// maxDurationSeconds bounds a duration given as a number: about 31 years.
const maxDurationSeconds = 1_000_000_000

package server

import (
	"bytes"
	"encoding/json"
	"time"
)

// appendJSONString appends s as a JSON string, as a json.Encoder with HTML escaping off writes
// it. Plain printable ASCII, all a listing holds in practice, is copied; anything else goes
// through encoding/json.
func appendJSONString[S ~string | ~[]byte](b []byte, s S) []byte {
	if !plainJSON(s) {
		return appendJSONEncoded(b, string(s))
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// closeJSONString ends the JSON string whose opening quote b holds just before start, its
// text b[start:] as written raw, escaping that text where it needs it.
func closeJSONString(b []byte, start int) []byte {
	if plainJSON(b[start:]) {
		return append(b, '"')
	}
	return appendJSONEncoded(b[:start-1], string(b[start:]))
}

// plainJSON reports whether s is printable ASCII with no quote or backslash: a JSON string's
// text as it is.
func plainJSON[S ~string | ~[]byte](s S) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// appendJSONEncoded appends what encoding/json writes for s.
func appendJSONEncoded(b []byte, s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s) // a string always encodes
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

// appendJSONTime appends t as time.Time's MarshalJSON does (RFC 3339 with nanoseconds) for
// a year from 0 to 9999: see encodableTime.
func appendJSONTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

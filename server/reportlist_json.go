package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// appendJSON appends the JSON encoding of l, byte for byte what a json.Encoder with HTML
// escaping off writes for it, newline included, or fails where the Encoder would (a time
// outside the years 0 to 9999). A listing is the vendor API's busiest answer, and
// encoding/json's reflection was most of its cost.
func (l reportList) appendJSON(b []byte) ([]byte, error) {
	for _, e := range l.Reports {
		for _, t := range []time.Time{e.ReleasedAt, e.URLExpiresAt} {
			if y := t.Year(); y < 0 || y > 9999 {
				return b, fmt.Errorf("report %s: time %v cannot be encoded", e.ID, t)
			}
		}
	}
	b = append(b, `{"ssid":`...)
	b = appendJSONString(b, l.SSID)
	b = append(b, `,"reports":`...)
	if l.Reports == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, e := range l.Reports {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.appendJSON(b)
		}
		b = append(b, ']')
	}
	return append(b, "}\n"...), nil
}

// appendJSON appends the JSON encoding of e.
func (e reportEntry) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, e.ID)
	b = append(b, `,"program":`...)
	b = appendJSONString(b, e.Program)
	b = append(b, `,"assessment":`...)
	b = appendJSONString(b, e.Assessment)
	b = append(b, `,"schoolYear":`...)
	b = appendJSONString(b, e.SchoolYear)
	b = append(b, `,"language":`...)
	b = appendJSONString(b, e.Language)
	b = append(b, `,"format":`...)
	b = appendJSONString(b, e.Format)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(e.Version), 10)
	b = append(b, `,"releasedAt":`...)
	b = appendJSONTime(b, e.ReleasedAt)
	b = append(b, `,"url":`...)
	b = appendJSONString(b, e.URL)
	b = append(b, `,"urlExpiresAt":`...)
	b = appendJSONTime(b, e.URLExpiresAt)
	return append(b, '}')
}

// appendJSONString appends s as a JSON string. Plain printable ASCII, all the listing holds
// in practice, is copied; anything else goes through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.Encode(s) // a string always encodes
			return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendJSONTime appends t as time.Time's MarshalJSON does (RFC 3339 with nanoseconds) for
// a year from 0 to 9999.
func appendJSONTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

package server

import (
	"net/http"
	"sync/atomic"
	"time"
)

// dateStamp is a Date header's value for one second.
type dateStamp struct {
	unix  int64
	value []string // shared: header values are only read
}

// lastDate is the Date value last formatted. A sandbox's clock stands still between moves,
// so most answers in a row carry the same second.
var lastDate atomic.Pointer[dateStamp]

// dateHeader is t as a Date header's values (RFC 9110, section 5.6.7).
func dateHeader(t time.Time) []string {
	unix := t.Unix()
	if d := lastDate.Load(); d != nil && d.unix == unix {
		return d.value
	}
	d := &dateStamp{unix: unix, value: []string{t.UTC().Format(http.TimeFormat)}}
	lastDate.Store(d)
	return d.value
}

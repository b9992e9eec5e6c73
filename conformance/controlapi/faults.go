package controlapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Routes of the vendor API that faults and journal entries name.
const (
	RouteToken   = "token"
	RouteReports = "reports"
	RoutePDF     = "pdf"
	RouteAll     = "*"
)

// Fault is a scheduled misbehaviour of the vendor API. Zero fields are left out: the server's
// defaults apply.
type Fault struct {
	ID string `json:"id,omitempty"`
	// Route is "token", "reports", "pdf" or "*".
	Route string `json:"route"`
	// Status and Code make the fault answer with the error envelope, e.g. 503 "maintenance".
	Status int    `json:"status,omitempty"`
	Code   string `json:"code,omitempty"`
	// RetryAfter is sent as the Retry-After header, in seconds.
	RetryAfter Duration `json:"retryAfter,omitzero"`
	// Delay holds the response back by real wall-clock time.
	Delay Duration `json:"delay,omitzero"`
	// Drop closes the connection without an answer.
	Drop bool `json:"drop,omitempty"`
	// Truncate cuts the body short.
	Truncate bool `json:"truncate,omitempty"`
	// Count limits the fault to that many requests; 0 means no limit.
	Count int `json:"count,omitempty"`
	// From and Until bound the fault in sandbox time; zero means unbounded.
	From  time.Time `json:"from,omitzero"`
	Until time.Time `json:"until,omitzero"`
}

// Duration is a time.Duration written as a Go duration string ("120s").
type Duration time.Duration

// MarshalText writes d as "120s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalJSON reads a Go duration string ("120s"), or a number of seconds as a JSON number or
// string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*d = 0
		return nil
	}
	if secs, err := strconv.ParseFloat(s, 64); err == nil {
		*d = Duration(secs * float64(time.Second))
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration %s: %w", b, err)
	}
	*d = Duration(v)
	return nil
}

// AddFault schedules f in sandbox sbx and returns it with its id.
func (c *Client) AddFault(ctx context.Context, sbx string, f Fault) (Fault, error) {
	var out Fault
	err := c.do(ctx, http.MethodPost, sbxPath(sbx, "/faults"), f, &out, http.StatusCreated)
	return out, err
}

// ClearFaults removes every fault of sandbox sbx.
func (c *Client) ClearFaults(ctx context.Context, sbx string) error {
	return c.do(ctx, http.MethodDelete, sbxPath(sbx, "/faults"), nil, nil, http.StatusNoContent)
}

// DeleteFault removes one fault.
func (c *Client) DeleteFault(ctx context.Context, sbx, id string) error {
	return c.do(ctx, http.MethodDelete, sbxPath(sbx, "/faults/"+url.PathEscape(id)), nil, nil, http.StatusNoContent)
}

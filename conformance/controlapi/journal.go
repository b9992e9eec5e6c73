package controlapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ssrmock/ssrmock/conformance/pacific"
	"github.com/ssrmock/ssrmock/findings"
)

// Entry is one vendor request as the journal recorded it; secrets and tokens never appear.
type Entry struct {
	Seq    int64     `json:"seq"`
	At     time.Time `json:"at"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	// Route is "token", "reports" or "pdf".
	Route string `json:"route"`
	LEA   string `json:"lea"`
	// School is set when the request used a school's own pair; Pair is "district" (the
	// LEA's pair) or "school", once the server knew the pair.
	School   string `json:"school"`
	Pair     string `json:"pair"`
	Username string `json:"username"`
	// Credential is the state of the pair sent to the token route: "current", "superseded",
	// "expired", "unknown", or "" on other routes.
	Credential string `json:"credential"`
	// TokenState is the state of the bearer token sent: "valid", "superseded", "expired",
	// "unknown", or "" when none was sent.
	TokenState string `json:"tokenState"`
	SSID       string `json:"ssid"`
	Status     int    `json:"status"`
	Code       string `json:"code"`
	// RetryAfter is the Retry-After the answer carried; zero when none.
	RetryAfter Duration `json:"retryAfter"`
	FaultID    string   `json:"faultId"`
	// Delay is how long a fault held the answer back; zero when none.
	Delay Duration `json:"delay"`
	// StudentLEA is the LEA the student is enrolled in, on a 404 student_not_found listing
	// of a student who exists.
	StudentLEA string `json:"studentLea"`
	// QueryParams names the query parameters the request carried; never their values.
	QueryParams []string `json:"queryParams"`
	// SecretInURL says a query parameter carried the LEA's Secret Key or a token.
	SecretInURL bool `json:"secretInUrl"`
	// Client is the request's X-SSRMock-Client header: the suite marks its own requests
	// with SuiteClient.
	Client string `json:"client"`
	// RealAt is the request's real time; sandbox time stands still between clock moves.
	RealAt time.Time `json:"realAt"`
}

// SuiteClient is the X-SSRMock-Client value of the suite's own vendor-API requests (the
// links it follows as a parent's browser would), so that they can be told from the
// integration's.
const SuiteClient = "ssrmock-conformance"

// Finding returns e as the findings rules read it.
func (e Entry) Finding() findings.Entry {
	return findings.Entry{Seq: e.Seq, At: e.At, RealAt: e.RealAt, Method: e.Method, Path: e.Path, Route: e.Route,
		LEA: e.LEA, Username: e.Username, Credential: e.Credential, TokenState: e.TokenState, SSID: e.SSID,
		Status: e.Status, Code: e.Code, RetryAfter: time.Duration(e.RetryAfter), Delay: time.Duration(e.Delay),
		StudentLEA: e.StudentLEA, SecretInURL: e.SecretInURL, Client: e.Client}
}

// String renders e as one readable journal line.
func (e Entry) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d %s %s %s → %d", e.Seq, pacific.Seconds(e.At), e.Method, e.Path, e.Status)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	for _, kv := range [][2]string{
		{"user", e.Username}, {"school", e.School}, {"credential", e.Credential}, {"token", e.TokenState},
		{"fault", e.FaultID},
	} {
		if kv[1] != "" {
			fmt.Fprintf(&b, " %s=%s", kv[0], kv[1])
		}
	}
	if len(e.QueryParams) > 0 {
		fmt.Fprintf(&b, " query=%s", strings.Join(e.QueryParams, ","))
	}
	if e.SecretInURL {
		b.WriteString(" SECRET-IN-URL")
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " retry-after=%s", time.Duration(e.RetryAfter))
	}
	return b.String()
}

// Journal is one page of a sandbox's request journal.
type Journal struct {
	Entries []Entry `json:"entries"`
	// Next is the cursor to pass as after for the following page.
	Next int64 `json:"next"`
	// Dropped counts entries lost to overflow since the sandbox was made.
	Dropped int64 `json:"dropped"`
	// Missed counts entries after the asked-for cursor that were lost to overflow before
	// this read: the reader has not seen them.
	Missed int64 `json:"missed"`
}

// Journal reads the journal entries of sandbox sbx after cursor after (0: from the start).
func (c *Client) Journal(ctx context.Context, sbx string, after int64) (Journal, error) {
	var j Journal
	err := c.do(ctx, http.MethodGet, sbxPath(sbx, "/journal?after="+strconv.FormatInt(after, 10)), nil, &j, http.StatusOK)
	return j, err
}

// JournalSince reads every entry after cursor after, following pages until none is left. It
// returns the entries, the cursor after the last one and the number of entries lost to overflow.
func (c *Client) JournalSince(ctx context.Context, sbx string, after int64) ([]Entry, int64, int64, error) {
	var all []Entry
	var dropped int64
	for {
		j, err := c.Journal(ctx, sbx, after)
		if err != nil {
			return all, after, dropped, err
		}
		all = append(all, j.Entries...)
		dropped += j.Missed
		if len(j.Entries) == 0 || j.Next <= after {
			if j.Next > after {
				after = j.Next
			}
			return all, after, dropped, nil
		}
		after = j.Next
	}
}

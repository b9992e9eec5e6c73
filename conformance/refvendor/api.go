package refvendor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// maxBody bounds any response body read from the service (a PDF is far smaller).
const maxBody = 32 << 20

// reply is one complete answer of the service.
type reply struct {
	status     int
	header     http.Header
	body       []byte
	code       string        // the error envelope's code, if any
	message    string        // the error envelope's message, if any
	retryAfter time.Duration // -1 when absent or unreadable
	date       time.Time     // the Date header (sandbox time); zero if absent
}

// errTransport wraps failures to get a complete answer: refused or dropped connections,
// timeouts, truncated bodies.
var errTransport = errors.New("no complete answer from the service")

// once performs one HTTP request with the per-request timeout and reads the whole answer.
// A body shorter than its Content-Length is a transport failure.
func (v *Vendor) once(ctx context.Context, newReq func(context.Context) (*http.Request, error)) (*reply, error) {
	if !v.has(FaultNoTimeout) && ctx.Value(untimed{}) == nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, v.timeout)
		defer cancel()
	}
	req, err := newReq(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := v.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s: %v", errTransport, req.Method, req.URL.Path, redactErr(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s: reading the body: %v", errTransport, req.Method, req.URL.Path, redactErr(err))
	}
	if resp.ContentLength >= 0 && int64(len(body)) != resp.ContentLength {
		return nil, fmt.Errorf("%w: %s %s: got %d bytes of %d", errTransport, req.Method, req.URL.Path, len(body), resp.ContentLength)
	}
	r := &reply{status: resp.StatusCode, header: resp.Header, body: body, retryAfter: -1}
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		r.date = d
		v.observe(d)
	}
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		r.retryAfter = parseRetryAfter(ra, r.date)
	}
	if resp.StatusCode >= 400 {
		var env struct {
			Error struct{ Code, Message string }
		}
		if json.Unmarshal(body, &env) == nil {
			r.code, r.message = env.Error.Code, env.Error.Message
		}
	}
	return r, nil
}

// untimed marks the context of a request that no-token-timeout sends without a timeout.
type untimed struct{}

// redactErr drops the URL (which may carry a link's signature) from a client error.
func redactErr(err error) error {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}

// parseRetryAfter reads delay-seconds or an HTTP date (relative to the answer's Date).
func parseRetryAfter(s string, date time.Time) time.Duration {
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(s); err == nil && !date.IsZero() {
		if d := t.Sub(date); d > 0 {
			return d
		}
		return 0
	}
	return -1
}

// exchange performs a request with the vendor's retry policy:
//   - a transport failure is not retried (the parent is told to come back later);
//   - 429, or 503 with Retry-After: wait and retry once if the wait fits the retry budget,
//     otherwise give up at once and remember not to call before the Retry-After time;
//   - other 5xx: at most 2 retries, with exponential backoff from 100ms.
//
// Any answer that is not retried is returned for the caller to interpret.
func (v *Vendor) exchange(ctx context.Context, st *leaState, newReq func(context.Context) (*http.Request, error)) (*reply, error) {
	waited, fast, retries5xx := false, 0, 0
	for {
		r, err := v.once(ctx, newReq)
		if err != nil {
			return nil, err
		}
		switch {
		case r.status == http.StatusTooManyRequests || (r.status == http.StatusServiceUnavailable && r.retryAfter >= 0):
			if v.has(FaultIgnoresRetryAfter) {
				if fast < 10 {
					fast++
					continue
				}
				return r, nil
			}
			if !waited && r.retryAfter >= 0 && r.retryAfter <= v.retryBudget {
				waited = true
				if err := sleep(ctx, r.retryAfter); err != nil {
					return nil, fmt.Errorf("%w: %v", errTransport, err)
				}
				continue
			}
			v.backOff(st, r)
			return r, nil
		case r.status >= 500:
			if v.has(FaultNoBackoff5xx) {
				if fast < 20 {
					fast++
					continue
				}
				return r, nil
			}
			if retries5xx < 2 {
				if err := sleep(ctx, backoff(retries5xx)); err != nil {
					return nil, fmt.Errorf("%w: %v", errTransport, err)
				}
				retries5xx++
				continue
			}
			return r, nil
		}
		return r, nil
	}
}

// backoff is the wait before 5xx retry n (from 0): 100ms, 200ms, … capped at 1s.
func backoff(n int) time.Duration {
	d := 100 * time.Millisecond << n
	return min(d, time.Second)
}

// sleep waits d of real time, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// postJSON builds a JSON POST.
func postJSON(url string, v any) func(context.Context) (*http.Request, error) {
	body, _ := json.Marshal(v)
	return func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		return req, nil
	}
}

// get builds a GET, with a bearer token if one is given.
func get(url, token string) func(context.Context) (*http.Request, error) {
	return func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return req, nil
	}
}

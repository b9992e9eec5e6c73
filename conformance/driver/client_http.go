package driver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxReply bounds one reply read by a Client.
const maxReply = 16 << 20

// Dial returns a Client for a driver served over HTTP at rawURL (POST {rawURL}/{op}). It does
// not connect: the first operation does.
func Dial(rawURL string, opts Options) (*Client, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, harnessf("dial", "driver URL %q: want http(s)://host[:port][/path]", rawURL)
	}
	hc := opts.HTTPClient
	own := hc == nil
	if own {
		hc = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	t := &httpTransport{base: strings.TrimRight(rawURL, "/"), hc: hc, own: own}
	return &Client{t: t, timeout: opts.timeout(), startTimeout: opts.startTimeout()}, nil
}

type httpTransport struct {
	base string
	hc   *http.Client
	own  bool
}

func (t *httpTransport) roundTrip(ctx context.Context, op string, req request) ([]byte, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, t.base+"/"+op, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("Content-Type", "application/json")
	resp, err := t.hc.Do(hreq)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxReply))
	if err != nil {
		return nil, fmt.Errorf("reading reply (HTTP %d): %w", resp.StatusCode, err)
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(raw, &probe) != nil || probe["ok"] == nil {
		return nil, harnessf(op, "HTTP %d from %s: body is not a protocol reply: %s", resp.StatusCode, hreq.URL, clip(raw))
	}
	return raw, nil
}

func (t *httpTransport) close() error {
	if t.own {
		t.hc.CloseIdleConnections()
	}
	return nil
}

package driver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The protocol's JSON lines are fuzzed at both ends and over both transports: what a driver
// reads (a request line on stdin, a request body over HTTP) and what the suite reads (a reply
// line on the driver's stdout, a reply body over HTTP).

// seedRequests are request lines as the suite sends them, and some it never would.
var seedRequests = []string{
	`{"id":1,"op":"hello"}`,
	`{"id":2,"op":"configure","lea":"01100170000000","baseURL":"http://127.0.0.1:8080/api/v1","username":"ssrx","secretKey":"k"}`,
	`{"id":3,"op":"view","lea":"01100170000000","ssid":"1234567890"}`,
	`{"id":4,"op":"clock","now":"2019-05-15T08:00:00-07:00"}`,
	`{"id":5,"op":"view","ssid":"panic"}`,
	`{"id":6,"op":"clock"}`, `{"id":7}`, `{"op":"sync"}`, `{"id":"x","op":"reset"}`, `[`, `{"id":9223372036854775807,"op":"hello"}`, "\x00",
}

// checkReply asserts that b is one protocol reply: a single-line JSON object with a boolean
// "ok", an "error" string when not ok, and the given id when there is one to echo.
func checkReply(t *testing.T, b []byte, wantID *int64) {
	t.Helper()
	if bytes.ContainsAny(b, "\r\n") {
		t.Fatalf("reply spans lines: %q", b)
	}
	var head struct {
		ID    *int64 `json:"id"`
		OK    *bool  `json:"ok"`
		Error any    `json:"error"`
	}
	if err := json.Unmarshal(b, &head); err != nil || head.OK == nil {
		t.Fatalf("reply %q is not a protocol object (%v)", b, err)
	}
	if !*head.OK {
		if msg, ok := head.Error.(string); !ok || msg == "" {
			t.Fatalf("failed reply %q has no error message", b)
		}
	}
	if wantID != nil && (head.ID == nil || *head.ID != *wantID) {
		t.Fatalf("reply %q does not echo id %d", b, *wantID)
	}
}

// FuzzServeLine feeds arbitrary request lines to the driver end of the stdin/stdout
// transport: every line gets exactly one well-formed reply line, with its id when the line
// has one, and Serve never stops on a bad line.
func FuzzServeLine(f *testing.F) {
	for _, s := range seedRequests {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		var probe struct {
			ID *int64 `json:"id"`
		}
		var wantID *int64
		if json.Unmarshal(line, &probe) == nil && probe.ID != nil {
			wantID = probe.ID
		}
		checkReply(t, serveLine(context.Background(), &recorder{}, line), wantID)

		// Through Serve: one reply per non-blank line, then a well-formed hello still works.
		in := bytes.NewReader(append(bytes.ReplaceAll(line, []byte("\n"), []byte(" ")), []byte("\n{\"id\":77,\"op\":\"hello\"}\n")...))
		var out bytes.Buffer
		if err := Serve(context.Background(), &recorder{}, in, &out); err != nil && len(line) < maxLine-64 {
			t.Fatalf("Serve stopped: %v", err)
		}
		replies := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if len(replies) == 0 || !strings.HasPrefix(replies[len(replies)-1], `{"id":77,"ok":true`) {
			t.Fatalf("after line %q, hello was not answered: %q", line, out.String())
		}
		for _, r := range replies {
			checkReply(t, []byte(r), nil)
		}
	})
}

// FuzzHandler feeds arbitrary operations, methods and bodies to the driver end of the HTTP
// transport: every answer is one protocol reply, with a status that matches its ok field.
func FuzzHandler(f *testing.F) {
	for _, s := range seedRequests {
		f.Add("view", "POST", []byte(s))
	}
	f.Add("hello", "GET", []byte(""))
	f.Add("nope", "POST", []byte("{}"))
	f.Add("clock", "POST", []byte(`{"now":"tomorrow"}`))
	h := NewHandler(&recorder{})
	f.Fuzz(func(t *testing.T, op, method string, body []byte) {
		req, err := http.NewRequest(method, "http://127.0.0.1/driver/x", bytes.NewReader(body))
		if err != nil {
			return // not a request a client could send
		}
		req.URL.Path = "/driver/" + op
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		b := bytes.TrimSuffix(rec.Body.Bytes(), []byte("\n"))
		checkReply(t, b, nil)
		var head struct{ OK bool }
		json.Unmarshal(b, &head)
		if head.OK != (rec.Code == http.StatusOK) {
			t.Fatalf("%s %q: status %d with ok=%v", method, op, rec.Code, head.OK)
		}
	})
}

// FuzzClientReply feeds arbitrary reply lines to the suite end of the stdin/stdout
// transport: a reply is accepted only with the request's id, and every failure is a
// *HarnessError or a *DriverError.
func FuzzClientReply(f *testing.F) {
	for _, s := range []string{
		`{"id":1,"ok":true,"outcome":"ok","reports":[]}`,
		`{"id":1,"ok":true,"outcome":"maybe"}`,
		`{"id":1,"ok":false,"error":"nope"}`,
		`{"id":1,"ok":false}`,
		`{"id":2,"ok":true}`,
		`{"ok":true}`, `hello`, ``, `{"id":1,"ok":"yes"}`, `{"id":1,"ok":true,"reports":{}}`,
	} {
		f.Add([]byte(s), []byte(`{"id":1,"ok":true,"outcome":"ok","reports":[]}`))
	}
	f.Fuzz(func(t *testing.T, first, second []byte) {
		p := &procTransport{
			stdin:     nopWriteCloser{io.Discard},
			lines:     make(chan []byte, 2),
			closed:    make(chan struct{}),
			exited:    make(chan struct{}),
			errDone:   make(chan struct{}),
			tail:      &tailBuffer{max: 2048},
			abandoned: map[int64]bool{},
		}
		close(p.exited) // an exited process: no wait when stdout ends
		close(p.errDone)
		p.lines <- first
		p.lines <- second
		close(p.lines)
		c := &Client{t: p, timeout: DefaultTimeout, serial: true}
		v, err := c.View(context.Background(), "01100170000000", "1234567890")
		checkClientResult(t, v, err)
	})
}

// FuzzHTTPClientReply feeds arbitrary statuses and bodies to the suite end of the HTTP
// transport, with the same promises as FuzzClientReply.
func FuzzHTTPClientReply(f *testing.F) {
	for _, s := range []string{
		`{"ok":true,"outcome":"ok","reports":[]}`, `{"ok":true,"outcome":"maybe"}`, `{"ok":false,"error":"nope"}`,
		`{"ok":false}`, `<html>`, ``, `{"ok":null}`, `{"ok":true,"reports":[{"url":1}]}`,
	} {
		f.Add(200, []byte(s))
	}
	f.Add(500, []byte(`{"ok":false,"error":"boom"}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			status = 200
		}
		hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: status, Body: io.NopCloser(bytes.NewReader(body)), Header: http.Header{}, Request: r}, nil
		})}
		c, err := Dial("http://127.0.0.1:9/", Options{HTTPClient: hc})
		if err != nil {
			t.Fatal(err)
		}
		v, err := c.View(context.Background(), "01100170000000", "1234567890")
		checkClientResult(t, v, err)
	})
}

// checkClientResult asserts the suite-side promises of one view.
func checkClientResult(t *testing.T, v View, err error) {
	t.Helper()
	var he *HarnessError
	var de *DriverError
	switch {
	case err == nil:
		if !v.Outcome.Valid() || v.Reports == nil {
			t.Fatalf("accepted a view the protocol does not allow: %+v", v)
		}
	case errors.As(err, &he), errors.As(err, &de):
		if err.Error() == "" {
			t.Fatal("an error without a message")
		}
	default:
		t.Fatalf("error %T %v is neither a harness nor a driver error", err, err)
	}
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

package driver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// request is one operation on the wire. ID and Op are absent over HTTP.
type request struct {
	ID     int64  `json:"id,omitempty"`
	Op     string `json:"op,omitempty"`
	LEA    string `json:"lea,omitempty"`
	School string `json:"school,omitempty"`
	SSID   string `json:"ssid,omitempty"`

	BaseURL   string `json:"baseURL,omitempty"`
	Username  string `json:"username,omitempty"`
	SecretKey string `json:"secretKey,omitempty"`

	Now *time.Time `json:"now,omitempty"`
}

// failure is the reply of an operation that could not be performed.
type failure struct {
	ID    *int64 `json:"id,omitempty"`
	OK    bool   `json:"ok"`
	Error string `json:"error"`
}

// errUnsupported is answered for an operation the driver does not implement.
var errUnsupported = errors.New("operation not supported by this driver")

// dispatch performs one request on d and returns the reply's fields (without id and ok).
// The error is the driver's, or a complaint about the request. A panic in the driver becomes
// an error, so that one bad operation does not end the session.
func dispatch(ctx context.Context, d Driver, op string, req request) (reply any, err error) {
	defer func() {
		if p := recover(); p != nil {
			reply, err = nil, fmt.Errorf("%s: driver panicked: %v", op, p)
		}
	}()
	switch op {
	case OpHello:
		h, err := d.Hello(ctx)
		if h.Capabilities == nil {
			h.Capabilities = []string{}
		}
		return h, err
	case OpReset:
		return struct{}{}, d.Reset(ctx)
	case OpConfigure:
		c := Config{LEA: req.LEA, School: req.School, BaseURL: req.BaseURL, Username: req.Username, SecretKey: req.SecretKey}
		return struct{}{}, d.Configure(ctx, c)
	case OpView:
		var v View
		var err error
		if sv, ok := d.(SchoolViewer); ok && req.School != "" {
			v, err = sv.ViewSchool(ctx, req.LEA, req.School, req.SSID)
		} else {
			v, err = d.View(ctx, req.LEA, req.SSID)
		}
		if v.Reports == nil {
			v.Reports = []ViewReport{}
		}
		return v, err
	case OpClock:
		c, ok := d.(Clocked)
		if !ok {
			return nil, errUnsupported
		}
		if req.Now == nil {
			return nil, errors.New(`clock: "now" is required`)
		}
		return struct{}{}, c.Clock(ctx, *req.Now)
	case OpSync:
		s, ok := d.(Syncer)
		if !ok {
			return nil, errUnsupported
		}
		return struct{}{}, s.Sync(ctx)
	}
	return nil, fmt.Errorf("unknown operation %q", op)
}

// encodeReply renders a successful reply: "id" (if id is non-nil), "ok":true, then the
// fields of v, which must encode as a JSON object.
func encodeReply(id *int64, v any) ([]byte, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if len(body) < 2 || body[0] != '{' {
		return nil, fmt.Errorf("reply %T is not a JSON object", v)
	}
	var b bytes.Buffer
	if id != nil {
		fmt.Fprintf(&b, `{"id":%d,"ok":true`, *id)
	} else {
		b.WriteString(`{"ok":true`)
	}
	if rest := body[1:]; rest[0] != '}' {
		b.WriteByte(',')
		b.Write(rest)
	} else {
		b.WriteByte('}')
	}
	return b.Bytes(), nil
}

// encodeFailure renders a failed reply.
func encodeFailure(id *int64, err error) []byte {
	b, _ := json.Marshal(failure{ID: id, OK: false, Error: err.Error()})
	return b
}

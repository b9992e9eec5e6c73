// Package controlapi is a typed client of ssrmock's control API (/control/v1): sandboxes, their
// clock, credentials, rosters, ground truth, faults and the request journal. The conformance
// suite reaches the server only through it and through the vendor API.
package controlapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client talks to one server's control API. Its zero value is not usable: use New.
type Client struct {
	base  string
	token string
	http  *http.Client
}

// New returns a client of the server at serverURL (e.g. "http://127.0.0.1:8080"). token is the
// control token; "" sends none (the control API is open on loopback). hc nil means
// http.DefaultClient.
func New(serverURL, token string, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{base: strings.TrimRight(serverURL, "/") + "/control/v1", token: token, http: hc}
}

// Error is an error answer of the control API, or a transport failure when Status is 0.
type Error struct {
	Method, Path string
	// Status is the HTTP status; 0 when no answer was read.
	Status int
	// Code and Message come from the error envelope {"error":{"code","message"}}.
	Code, Message string
	// Err is the transport or decoding failure, if any.
	Err error
}

// Error says which request failed and how.
func (e *Error) Error() string {
	if e.Status == 0 {
		return fmt.Sprintf("control API %s %s: %v", e.Method, e.Path, e.Err)
	}
	return fmt.Sprintf("control API %s %s: %d %s: %s", e.Method, e.Path, e.Status, e.Code, e.Message)
}

// Unwrap returns the transport or decoding failure, if any.
func (e *Error) Unwrap() error { return e.Err }

// IsUnreachable reports whether err means the server did not answer at all.
func IsUnreachable(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == 0
}

// do sends one request; in, when not nil, is sent as JSON; out, when not nil, receives the JSON
// answer. Any status other than want is an *Error.
func (c *Client) do(ctx context.Context, method, path string, in, out any, want int) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return &Error{Method: method, Path: path, Err: err}
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return &Error{Method: method, Path: path, Err: err}
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return &Error{Method: method, Path: path, Err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return &Error{Method: method, Path: path, Status: resp.StatusCode, Err: err}
	}
	if resp.StatusCode != want {
		e := &Error{Method: method, Path: path, Status: resp.StatusCode}
		var env struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if json.Unmarshal(data, &env) == nil && env.Error.Code != "" {
			e.Code, e.Message = env.Error.Code, env.Error.Message
		} else {
			e.Message = strings.TrimSpace(string(data))
		}
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &Error{Method: method, Path: path, Status: resp.StatusCode, Err: fmt.Errorf("decoding answer: %w", err)}
	}
	return nil
}

// SandboxSpec asks for a new sandbox.
type SandboxSpec struct {
	Seed int64 `json:"seed"`
	// Scenario is "2018-19" (the server's default when empty) or "2025-26".
	Scenario string `json:"scenario,omitempty"`
	// Scale is "tiny", "county" (the server's default when empty) or "state".
	Scale string `json:"scale,omitempty"`
	// ClockStart is the sandbox's first instant; zero means the scenario's start.
	ClockStart time.Time `json:"clockStart,omitzero"`
}

// Sandbox describes one sandbox.
type Sandbox struct {
	ID       string    `json:"id"`
	Seed     int64     `json:"seed"`
	Scenario string    `json:"scenario"`
	Scale    string    `json:"scale"`
	Now      time.Time `json:"now"`
	// APIBase is the vendor API base URL, "<server>/api/v1".
	APIBase  string `json:"apiBase"`
	Students int    `json:"students"`
}

// CreateSandbox makes a new sandbox.
func (c *Client) CreateSandbox(ctx context.Context, spec SandboxSpec) (Sandbox, error) {
	var sb Sandbox
	err := c.do(ctx, http.MethodPost, "/sandboxes", spec, &sb, http.StatusCreated)
	return sb, err
}

// Sandbox describes sandbox sbx.
func (c *Client) Sandbox(ctx context.Context, sbx string) (Sandbox, error) {
	var sb Sandbox
	err := c.do(ctx, http.MethodGet, "/sandboxes/"+url.PathEscape(sbx), nil, &sb, http.StatusOK)
	return sb, err
}

// DeleteSandbox removes sandbox sbx.
func (c *Client) DeleteSandbox(ctx context.Context, sbx string) error {
	return c.do(ctx, http.MethodDelete, "/sandboxes/"+url.PathEscape(sbx), nil, nil, http.StatusNoContent)
}

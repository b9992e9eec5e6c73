package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
)

// maxBodyBytes bounds every request body the API decodes.
const maxBodyBytes = 64 << 10

// encode writes v as JSON with the given status.
func encode(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, `{"error":{"code":"internal","message":"internal error"}}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// decode reads r's JSON body into v. The body is size-limited, unknown fields and trailing
// data are rejected, and an empty body decodes as {} so that every field keeps its default.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return Errorf(CodeUnsupportedMediaType, "send the body as application/json, not %q", ct)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return Errorf(CodePayloadTooLarge, "the request body is larger than %d bytes", maxBodyBytes)
		}
		return Errorf(CodeBadRequest, "could not read the request body")
	}
	return decodeBytes(body, v)
}

// decodeBytes is decode without the request: the part fuzz tests exercise.
func decodeBytes(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return Errorf(CodeBadRequest, "malformed JSON body: %s", jsonProblem(err))
	}
	if dec.More() {
		return Errorf(CodeBadRequest, "malformed JSON body: unexpected data after the JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return Errorf(CodeBadRequest, "malformed JSON body: unexpected data after the JSON object")
	}
	return nil
}

// jsonProblem describes a JSON decoding error without echoing the body.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return "syntax error at byte " + itoa(int(syntax.Offset))
	case errors.As(err, &typ):
		if typ.Field != "" {
			return "field " + typ.Field + " must be " + typ.Type.String()
		}
		return "the body must be a JSON object"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON ends early"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "not valid JSON"
}

// errorBody is the one error envelope of every API.
type errorBody struct {
	Error *Error `json:"error"`
}

// writeError answers err in the error envelope. An error that is not an *Error is logged and
// answered as internal, without detail.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := apiError(err)
	if e == nil {
		s.log.Error("internal error", "method", r.Method, "path", redactPath(r.URL.Path), "err", err)
		e = &Error{Code: CodeInternal, Message: "internal error"}
	}
	encode(w, ErrorStatus(e.Code), errorBody{e})
}

// logRequests logs each request's method, path and status; never a query string, a header or a body,
// so that no secret reaches the log.
func logRequests(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
			next.ServeHTTP(sw, r)
			log.Debug("request", "method", r.Method, "path", redactPath(r.URL.Path), "status", sw.status)
		})
	}
}

// redactPath returns a path safe to log: file links are signed, but their path holds no secret.
func redactPath(p string) string {
	if len(p) > 200 {
		return p[:200] + "…"
	}
	return p
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

// Unwrap lets http.ResponseController reach the underlying writer (to hijack a connection).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

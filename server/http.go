package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
)

// maxBodyBytes bounds every request body the API decodes.
const maxBodyBytes = 64 << 10

// encode writes v as JSON with the given status.
func encode(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		buf.Reset()
		buf.WriteString(`{"error":{"code":"internal","message":"the answer could not be encoded"}}` + "\n")
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// decode reads r's JSON body into v. The body is size-limited, unknown fields and trailing
// data are rejected, and an empty body decodes as {} so that every field keeps its default.
//
// A body must be sent as application/json (with at most a charset=utf-8 parameter): a web
// page cannot send that type to another origin without a CORS preflight, which the server
// never grants. A request with a Content-Type of another kind is refused even when its body
// is empty, and so is a non-empty body without one (a browser sends a Blob without a type).
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	ct, typed := r.Header["Content-Type"]
	if typed && (len(ct) != 1 || !mediaTypeOK(ct[0])) {
		return Errorf(CodeUnsupportedMediaType, "send the body as application/json, not %q", clipString(strings.Join(ct, ", "), 100))
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return Errorf(CodePayloadTooLarge, "the request body is larger than %d bytes", maxBodyBytes)
		}
		return Errorf(CodeBadRequest, "could not read the request body")
	}
	if !typed && len(body) > 0 {
		return Errorf(CodeUnsupportedMediaType, "send the body with Content-Type: application/json")
	}
	return decodeBytes(body, v)
}

// mediaTypeOK reports whether a Content-Type header is application/json, exactly: no other
// type, no suffix, and no parameter but charset=utf-8.
func mediaTypeOK(ct string) bool {
	typ, params, err := mime.ParseMediaType(ct)
	if err != nil || typ != "application/json" {
		return false
	}
	for k, v := range params {
		if k != "charset" || !strings.EqualFold(v, "utf-8") {
			return false
		}
	}
	return true
}

// decodeBytes is decode without the request: the part fuzz tests exercise.
func decodeBytes(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if msg, ok := valueProblem(err); ok {
			return Errorf(CodeBadRequest, "%s", msg)
		}
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

// valueProblem describes a well-formed JSON value that is not a valid time or duration.
func valueProblem(err error) (string, bool) {
	var bad *badValue
	var parse *time.ParseError
	switch {
	case errors.As(err, &bad):
		return bad.msg, true
	case errors.As(err, &parse):
		return fmt.Sprintf("not a time: %s (write an RFC 3339 instant like 2019-05-15T08:00:00-07:00)", clipString(parse.Value, 40)), true
	case strings.HasPrefix(err.Error(), "Time.UnmarshalJSON"):
		return "a time is a string like \"2019-05-15T08:00:00-07:00\" (RFC 3339)", true
	}
	return "", false
}

// badValue is a JSON value of the right kind that does not say what its type needs.
type badValue struct{ msg string }

func (e *badValue) Error() string { return e.msg }

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
	e := s.answer(err, "method", r.Method, "path", redactPath(r.URL.Path))
	encode(w, ErrorStatus(e.Code), errorBody{e})
}

// answer is the API error a client is told for err. An error that is not an API error is
// logged with attrs and answered without its detail: "unavailable" when the state store
// failed, else "internal".
func (s *Server) answer(err error, attrs ...any) *Error {
	if e := apiError(err); e != nil {
		return e
	}
	var sf *storeFailure
	if errors.As(err, &sf) {
		s.log.Error("state store error", append(attrs, "err", err)...)
		return &Error{Code: CodeUnavailable, Message: "the server could not reach its state store: try again"}
	}
	s.log.Error("internal error", append(attrs, "err", err)...)
	return &Error{Code: CodeInternal, Message: "internal error"}
}

// redactPath returns a path safe to log or journal. A client can put anything in a path,
// a secret key pasted where an SSID belongs included, so a segment is kept only when it is one
// of the routes' words or has the shape of a value the server issues (digits, sandbox, fault
// and report IDs, UI file names); any other segment is replaced.
func redactPath(p string) string {
	if len(p) > 300 {
		p = p[:300]
	}
	clean := true
	for seg := range strings.SplitSeq(p, "/") {
		if !safePathSegment(seg) {
			clean = false
			break
		}
	}
	if clean {
		return p // the common case, without a copy
	}
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		if !safePathSegment(seg) {
			segs[i] = "{redacted}"
		}
	}
	return strings.Join(segs, "/")
}

// safePathSegment reports whether redactPath keeps seg.
func safePathSegment(seg string) bool {
	return seg == "" || pathWords[seg] || issuedShape(seg)
}

// pathWords are the literal segments of the server's routes.
var pathWords = map[string]bool{
	"api": true, "v1": true, "token": true, "students": true, "reports": true, "files": true,
	"control": true, "sandboxes": true, "default": true, "clock": true, "leas": true,
	"credentials": true, "transfer": true, "amend": true, "faults": true, "journal": true, "findings": true,
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

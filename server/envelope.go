package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// envelopeErrors makes the error answers of a handler that writes its own (the web UI's file
// server answers a missing file with a plain-text 404) into the error envelope, keeping their
// status. Successful answers pass through untouched.
func envelopeErrors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&envelopeWriter{ResponseWriter: w, path: redactPath(r.URL.Path)}, r)
	})
}

// envelopeWriter replaces the body of an error answer with the envelope.
type envelopeWriter struct {
	http.ResponseWriter
	path    string
	replace bool // an error status was written: drop the handler's body
}

func (w *envelopeWriter) WriteHeader(status int) {
	if status < 400 {
		w.ResponseWriter.WriteHeader(status)
		return
	}
	w.replace = true
	msg := http.StatusText(status)
	if status == http.StatusNotFound {
		msg = "no page " + w.path
	}
	body := envelopeBody(statusCode(status), msg)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Del("Content-Encoding")
	h.Del("Content-Range")
	w.ResponseWriter.WriteHeader(status)
	w.ResponseWriter.Write(body)
}

func (w *envelopeWriter) Write(b []byte) (int, error) {
	if w.replace {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *envelopeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// envelopeBody is the JSON of one error envelope, with a final newline like encode's.
func envelopeBody(code, message string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(errorBody{&Error{Code: code, Message: message}}) // strings only: cannot fail
	return buf.Bytes()
}

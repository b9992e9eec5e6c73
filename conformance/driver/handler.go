package driver

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// NewHandler serves d over HTTP: POST {url}/{op} with the operation's fields as a JSON object
// (an empty body is an empty object) answers the same reply as Serve, without "id". A reply
// with ok:true has status 200; ok:false has 400 for a bad request, 404 for an unknown
// operation, 405 for a method other than POST, 501 for an unsupported one and 500 for a
// driver error. Clients should read the "ok" field rather than the status.
//
// d is called concurrently, once per request.
func NewHandler(d Driver) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := strings.Trim(r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:], " ")
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeJSON(w, http.StatusMethodNotAllowed, encodeFailure(nil, fmt.Errorf("%s: use POST", op)))
			return
		}
		var req request
		body, err := io.ReadAll(io.LimitReader(r.Body, maxLine))
		if err == nil && len(trimSpace(body)) > 0 {
			err = json.Unmarshal(body, &req)
		}
		if err != nil {
			writeJSON(w, http.StatusBadRequest, encodeFailure(nil, fmt.Errorf("%s: bad request body: %v", op, err)))
			return
		}
		v, err := dispatch(r.Context(), d, op, req)
		if err != nil {
			status := http.StatusInternalServerError
			switch {
			case errors.Is(err, errUnsupported):
				status = http.StatusNotImplemented
			case !knownOp(op):
				status = http.StatusNotFound
			}
			writeJSON(w, status, encodeFailure(nil, err))
			return
		}
		b, err := encodeReply(nil, v)
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, encodeFailure(nil, err))
			return
		}
		writeJSON(w, http.StatusOK, b)
	})
}

func knownOp(op string) bool {
	switch op {
	case OpHello, OpReset, OpConfigure, OpView, OpClock, OpSync:
		return true
	}
	return false
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body)
	w.Write([]byte("\n"))
}

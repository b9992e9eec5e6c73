package server

import "net/http"

// The request headers the vendor routes read on every request, in the canonical form net/http
// keys a request's headers by.
const (
	headerAuthorization = "Authorization"
	headerIfNoneMatch   = "If-None-Match"
	headerClient        = "X-Ssrmock-Client" // X-SSRMock-Client
)

// requestHeader is r.Header.Get(key) for a key already in canonical form: the same first
// value, without canonicalizing the key again on every request.
func requestHeader(r *http.Request, key string) string {
	if v := r.Header[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

package server

import (
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"testing"
)

func TestRequestHeaderKeysAreCanonical(t *testing.T) {
	for _, k := range []string{headerAuthorization, headerIfNoneMatch, headerClient} {
		if c := textproto.CanonicalMIMEHeaderKey(k); c != k {
			t.Errorf("%q is not canonical (%q): requestHeader would never find it", k, c)
		}
	}
}

func TestRequestHeaderIsHeaderGet(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header = http.Header{}
	r.Header.Add("authorization", "Bearer one")
	r.Header.Add("Authorization", "Bearer two")
	r.Header.Add("x-ssrmock-client", "suite")
	r.Header["If-None-Match"] = []string{}
	for _, k := range []string{headerAuthorization, headerIfNoneMatch, headerClient, "X-Absent"} {
		if got, want := requestHeader(r, k), r.Header.Get(k); got != want {
			t.Errorf("requestHeader(%q) = %q, Header.Get says %q", k, got, want)
		}
	}
	if got := requestHeader(r, headerAuthorization); got != "Bearer one" {
		t.Errorf("requestHeader(Authorization) = %q, want the first value, %q", got, "Bearer one")
	}
}

package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestVendorDispatchAgreesWithRouter sends requests on and around the vendor routes through
// the server and through its router alone: the answers must be the same, header for header
// and byte for byte, so that the dispatcher is only a shortcut.
func TestVendorDispatchAgreesWithRouter(t *testing.T) {
	f := newVendorFixture(t)
	list := f.list(f.tok, f.ssid)
	link, err := url.Parse(list.Reports[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	file := link.RequestURI()
	dir, name, _ := strings.Cut(strings.TrimPrefix(link.Path, "/api/v1/files/"), "/")
	reports := "/api/v1/students/" + f.ssid + "/reports"
	tokenBody, _ := json.Marshal(map[string]string{"username": f.cred.Username, "secretKey": f.cred.SecretKey})
	auth := "Bearer " + f.tok

	var before struct {
		Entries []JournalEntry `json:"entries"`
	}
	f.mustDo("GET", "/control/v1/sandboxes/"+f.sbx+"/journal?limit=1000", nil, http.StatusOK, &before)

	routerOnly := f.srv.guard(f.srv.logRequests(f.srv.router))
	cases := []struct {
		method, target, auth string
		body                 []byte
	}{
		{"POST", "/api/v1/token", "", tokenBody},
		{"POST", "/api/v1/token", "", []byte(`{"username":"nobody","secretKey":"x"}`)},
		{"POST", "/api/v1/token/", "", tokenBody},
		{"GET", "/api/v1/token", "", nil},
		{"PUT", "/api/v1/token", "", tokenBody},
		{"GET", reports, auth, nil},
		{"GET", reports + "?page=2", auth, nil},
		{"GET", reports, "", nil},
		{"HEAD", reports, auth, nil},
		{"POST", reports, auth, nil},
		{"GET", reports + "/", auth, nil},
		{"GET", "/api/v1/students//reports", auth, nil},
		{"GET", "/api/v1/students/../reports", auth, nil},
		{"GET", "/api/v1/students/./reports", auth, nil},
		{"GET", "/api/v1/students/a/b/reports", auth, nil},
		{"GET", "/api/v1/students/" + f.ssid + "%2Freports", auth, nil},
		{"GET", "/api/v1/students/0000000000/reports", auth, nil},
		{"GET", file, "", nil},
		{"HEAD", file, "", nil},
		{"DELETE", file, "", nil},
		{"POST", file, "", nil},
		{"GET", "/api/v1/files/" + dir + "/" + name + "/extra?" + link.RawQuery, "", nil},
		{"GET", "/api/v1/files/" + dir + "?" + link.RawQuery, "", nil},
		{"GET", "/api/v1/files/" + dir + "/", "", nil},
		{"GET", "/api/v1/files//" + name + "?" + link.RawQuery, "", nil},
		{"GET", "/api/v1/files/" + dir + "/..?" + link.RawQuery, "", nil},
		{"GET", "/api/v1/files/nosuch/" + name + "?" + link.RawQuery, "", nil},
		{"GET", strings.Replace(file, "sig=", "sig=A", 1), "", nil},
		{"GET", "/api/v1/", "", nil},
		{"GET", "/api/v1/nothing", "", nil},
	}
	for _, c := range cases {
		answer := func(h http.Handler) *httptest.ResponseRecorder {
			r := httptest.NewRequest(c.method, "http://127.0.0.1"+c.target, bytes.NewReader(c.body))
			if c.body != nil {
				r.Header.Set("Content-Type", "application/json")
			}
			if c.auth != "" {
				r.Header.Set("Authorization", c.auth)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			return w
		}
		got, want := answer(f.srv), answer(routerOnly)
		if got.Code != want.Code || !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
			t.Errorf("%s %s: server answered %d %.120q, router %d %.120q", c.method, c.target, got.Code, got.Body, want.Code, want.Body)
			continue
		}
		gh, wh := got.Header(), want.Header()
		if len(gh) != len(wh) {
			t.Errorf("%s %s: server sent headers %v, router %v", c.method, c.target, gh, wh)
		}
		for k := range wh {
			if gh.Get(k) != wh.Get(k) {
				t.Errorf("%s %s: %s is %q from the server, %q from the router", c.method, c.target, k, gh.Get(k), wh.Get(k))
			}
		}
	}
	// The journal holds each vendor request twice, once per path, with the same outcome.
	var j struct {
		Entries []JournalEntry `json:"entries"`
	}
	f.mustDo("GET", "/control/v1/sandboxes/"+f.sbx+"/journal?limit=1000", nil, http.StatusOK, &j)
	seen := map[string]int{}
	for _, e := range j.Entries[len(before.Entries):] {
		seen[e.Method+" "+e.Path+" "+e.Code]++
	}
	if len(seen) < 5 {
		t.Errorf("the journal shows only %v of the requests", seen)
	}
	for k, n := range seen {
		if n%2 != 0 {
			t.Errorf("journal holds %q %d times: the dispatcher and the router journal differently", k, n)
		}
	}
}

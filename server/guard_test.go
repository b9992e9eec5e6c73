package server

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// rawExchange sends raw bytes to addr over a fresh connection and returns the answer.
func rawExchange(t *testing.T, addr, request string) (*http.Response, []byte) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, request); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("reading the answer to %.80q: %v", request, err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the body of the answer to %.80q: %v", request, err)
	}
	return resp, body
}

// wantEnvelope checks an answer's status and error code.
func wantEnvelope(t *testing.T, what string, resp *http.Response, body []byte, status int, code string) {
	t.Helper()
	var env errorBody
	if err := json.Unmarshal(body, &env); err != nil || env.Error == nil {
		t.Fatalf("%s: %d %.200q is not the error envelope", what, resp.StatusCode, body)
	}
	if resp.StatusCode != status || env.Error.Code != code || env.Error.Message == "" {
		t.Fatalf("%s: %d %s (%q), want %d %s", what, resp.StatusCode, env.Error.Code, env.Error.Message, status, code)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: Content-Type %q, want application/json", what, ct)
	}
}

func TestHostMustNameTheServer(t *testing.T) {
	srv, err := New(Config{Scale: "tiny", Hosts: []string{"mock.example.org", "SSRMOCK."}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ts := newGuardedServer(t, srv, HTTPOptions{})
	addr := ts.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	get := func(host, path string) (*http.Response, []byte) {
		return rawExchange(t, addr, "GET "+path+" HTTP/1.1\r\nHost: "+host+"\r\nConnection: close\r\n\r\n")
	}
	for _, host := range []string{"rebind.evil.example:" + port, "rebind.evil.example", "127.0.0.1.evil.example:" + port, "localhost.evil.example",
		"10.0.0.7:" + port, "mock.example.org.evil", "%31%32%37.0.0.1"} {
		for _, path := range []string{"/control/v1/sandboxes", "/control/v1/sandboxes/default/journal", "/", "/js/main.js", "/openapi.json", "/api/v1/students/1234567890/reports"} {
			resp, body := get(host, path)
			wantEnvelope(t, "Host "+host+" "+path, resp, body, http.StatusForbidden, CodeForbidden)
			if strings.Contains(string(body), "sbx-") || strings.Contains(string(body), "default") {
				t.Errorf("Host %s %s: the refusal tells something: %s", host, path, body)
			}
		}
	}
	for _, host := range []string{"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "ui.localhost:" + port, "[::1]:" + port, "127.1.2.3",
		"mock.example.org", "mock.example.org.:443", "ssrmock:8080"} {
		if resp, body := get(host, "/control/v1/sandboxes/default"); resp.StatusCode != http.StatusOK {
			t.Errorf("Host %s: %d %s, want 200", host, resp.StatusCode, body)
		}
	}
	// The guard remembers the last Host it allowed: a refused one right after it is refused still.
	for range 2 {
		if resp, body := get("127.0.0.1:"+port, "/control/v1/sandboxes/default"); resp.StatusCode != http.StatusOK {
			t.Errorf("Host 127.0.0.1: %d %s, want 200", resp.StatusCode, body)
		}
		resp, body := get("rebind.evil.example:"+port, "/control/v1/sandboxes/default")
		wantEnvelope(t, "Host rebind.evil.example after an allowed one", resp, body, http.StatusForbidden, CodeForbidden)
	}
	// net/http refuses a malformed Host itself; the listener makes that an envelope too.
	resp, body := get("evil.example:"+port+"@127.0.0.1", "/")
	wantEnvelope(t, "malformed Host", resp, body, http.StatusBadRequest, CodeBadRequest)
	// HTTP/1.0 may leave Host out: not a name of this server.
	resp, body = rawExchange(t, addr, "GET /control/v1/sandboxes HTTP/1.0\r\n\r\n")
	wantEnvelope(t, "no Host", resp, body, http.StatusForbidden, CodeForbidden)
}

func TestControlAPIRefusesOtherOrigins(t *testing.T) {
	e := newTestEnv(t)
	count := func() int {
		var all struct{ Sandboxes []sandboxInfo }
		e.mustDo("GET", "/control/v1/sandboxes", nil, http.StatusOK, &all)
		return len(all.Sandboxes)
	}
	before := count()
	lea := e.firstLEA("default").CDS
	for _, h := range [][]string{
		{"Origin", "http://evil.example"},
		{"Origin", "null"},
		{"Origin", "http://127.0.0.1"}, // another port is another origin
		{"Origin", e.ts.URL + ".evil.example"},
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"},
	} {
		e.wantError("POST", "/control/v1/sandboxes", `{"scale":"tiny"}`, http.StatusForbidden, CodeForbidden, h...)
		e.wantError("POST", "/control/v1/sandboxes/default/leas/"+lea+"/credentials", `{"authorizeRelease":true,"coordinator":"caaspp"}`, http.StatusForbidden, CodeForbidden, h...)
		e.wantError("POST", "/control/v1/sandboxes/default/clock", `{"advance":"1h"}`, http.StatusForbidden, CodeForbidden, h...)
		e.wantError("GET", "/control/v1/sandboxes/default/journal", nil, http.StatusForbidden, CodeForbidden, h...)
	}
	if got := count(); got != before {
		t.Fatalf("%d sandboxes after refused requests, want %d", got, before)
	}
	var st credentialStatus
	e.mustDo("GET", "/control/v1/sandboxes/default/leas/"+lea+"/credentials", nil, http.StatusOK, &st)
	if st.Status != "none" {
		t.Fatalf("a cross-origin request generated credentials: %+v", st)
	}
	// The mock's own pages pass.
	e.mustDo("POST", "/control/v1/sandboxes", map[string]any{"scale": "tiny"}, http.StatusCreated, nil, "Origin", e.ts.URL, "Sec-Fetch-Site", "same-origin")
	e.mustDo("POST", "/control/v1/sandboxes", map[string]any{"scale": "tiny"}, http.StatusCreated, nil, "Origin", strings.ToUpper(e.ts.URL))
	if got := count(); got != before+2 {
		t.Fatalf("%d sandboxes, want %d", got, before+2)
	}
}

// TestCrossOriginPOSTFromABrowserPage is the attack end to end: a page served by another
// origin POSTs to the control API the way fetch does with a Blob body (no Content-Type),
// through a real listener.
func TestCrossOriginPOSTFromABrowserPage(t *testing.T) {
	e := newTestEnv(t)
	addr := e.ts.Listener.Addr().String()
	for _, req := range []string{
		"POST /control/v1/sandboxes/default/clock HTTP/1.1\r\nHost: " + addr + "\r\nOrigin: http://evil.example\r\nSec-Fetch-Site: cross-site\r\nContent-Length: 17\r\nConnection: close\r\n\r\n{\"advance\":\"1h\"}",
		"POST /control/v1/sandboxes/default/clock HTTP/1.1\r\nHost: " + addr + "\r\nOrigin: http://evil.example\r\nContent-Type: text/plain\r\nContent-Length: 17\r\nConnection: close\r\n\r\n{\"advance\":\"1h\"}",
		// DNS rebinding: same origin as far as the browser knows, the attacker's name in Host.
		"POST /control/v1/sandboxes/default/clock HTTP/1.1\r\nHost: rebind.evil.example:8080\r\nOrigin: http://rebind.evil.example:8080\r\nContent-Type: application/json\r\nContent-Length: 17\r\nConnection: close\r\n\r\n{\"advance\":\"1h\"}",
	} {
		resp, body := rawExchange(t, addr, req)
		wantEnvelope(t, strings.SplitN(req, "\r\n", 4)[2], resp, body, http.StatusForbidden, CodeForbidden)
		if resp.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("CORS header on a refusal: %v", resp.Header)
		}
	}
	var c clockReply
	e.mustDo("GET", "/control/v1/sandboxes/default/clock", nil, http.StatusOK, &c)
	sb, _ := e.srv.sandbox(context.Background(), DefaultSandbox)
	if !c.Now.Equal(sb.scenario.Start) {
		t.Fatalf("the clock moved to %v: a cross-origin request got through", c.Now)
	}
}

func TestBodiesMustBeJSONExactly(t *testing.T) {
	e := newTestEnv(t)
	sbx := e.newSandbox(nil).ID
	lea := e.firstLEA(sbx).CDS
	ssid := e.roster(sbx, lea, 1)[0].SSID
	rep := e.truth(sbx, ssid, "").Reports[0].ReportID
	routes := []struct{ path, body string }{
		{"/control/v1/sandboxes", `{"scale":"tiny"}`},
		{"/control/v1/sandboxes/" + sbx + "/clock", `{"advance":"1h"}`},
		{"/control/v1/sandboxes/" + sbx + "/leas/" + lea + "/credentials", `{"authorizeRelease":true,"coordinator":"caaspp"}`},
		{"/control/v1/sandboxes/" + sbx + "/faults", `{"route":"pdf","status":503}`},
		{"/control/v1/sandboxes/" + sbx + "/reports/" + rep + "/amend", `{}`},
		{"/api/v1/token", `{"username":"x","secretKey":"y"}`},
	}
	for _, r := range routes {
		for _, ct := range []string{"application/jsonx", "application/json-patch+json", "text/plain", "application/x-www-form-urlencoded",
			"multipart/form-data; boundary=x", "application/json; charset=latin1", "application/json; foo=bar", "application/json,text/plain", ""} {
			e.wantError("POST", r.path, r.body, http.StatusUnsupportedMediaType, CodeUnsupportedMediaType, "Content-Type", ct)
		}
		// No Content-Type at all, as fetch sends a Blob.
		req, _ := http.NewRequest("POST", e.ts.URL+r.path, strings.NewReader(r.body))
		resp, err := e.ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		wantEnvelope(t, "POST "+r.path+" without Content-Type", resp, body, http.StatusUnsupportedMediaType, CodeUnsupportedMediaType)
	}
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON; Charset=UTF-8"} {
		e.mustDo("POST", "/control/v1/sandboxes/"+sbx+"/clock", `{"advance":"1h"}`, http.StatusOK, nil, "Content-Type", ct)
	}
	// amend checks its body too, and still takes none.
	e.wantError("POST", "/control/v1/sandboxes/"+sbx+"/reports/"+rep+"/amend", `{"version":9}`, http.StatusBadRequest, CodeBadRequest)
	req, _ := http.NewRequest("POST", e.ts.URL+"/control/v1/sandboxes/"+sbx+"/reports/"+rep+"/amend", nil)
	resp, err := e.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("amend without a body: %d, want 200", resp.StatusCode)
	}
}

func TestSecurityHeadersOnEveryRoute(t *testing.T) {
	e := newTestEnv(t)
	e.advance("default", map[string]any{"to": "2019-12-01T00:00:00Z"})
	c := e.generate("default", e.firstLEA("default").CDS)
	tok := e.token(c)
	ssid := e.roster("default", e.firstLEA("default").CDS, 1)[0].SSID
	var link string
	for _, r := range e.list(tok, ssid).Reports {
		link = strings.TrimPrefix(r.URL, e.ts.URL)
	}
	if link == "" {
		t.Fatal("no report to link to")
	}
	for _, tc := range []struct {
		method, path string
		pdf          bool
	}{
		{"GET", "/", false}, {"GET", "/index.html", false}, {"GET", "/js/main.js", false}, {"GET", "/css/app.css", false},
		{"GET", "/no-such-page.js", false}, {"GET", "/openapi.json", false},
		{"GET", "/control/v1/sandboxes", false}, {"GET", "/control/v1/sandboxes/nope", false}, {"PUT", "/control/v1/sandboxes", false},
		{"OPTIONS", "/control/v1/sandboxes", false}, {"OPTIONS", "/api/v1/token", false},
		{"POST", "/api/v1/token", false}, {"GET", "/api/v1/students/" + ssid + "/reports", false},
		{"GET", link, true}, {"GET", link + "x", true},
	} {
		status, h, _ := e.do(tc.method, tc.path, nil, "Origin", "http://evil.example", "Access-Control-Request-Method", "POST", "Authorization", "Bearer "+tok)
		want := map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cross-Origin-Opener-Policy": "same-origin"}
		if tc.pdf {
			want["Content-Security-Policy"] = "default-src 'none'; frame-ancestors *"
			want["Cross-Origin-Resource-Policy"] = "cross-origin"
			want["X-Frame-Options"] = ""
		} else {
			want["Content-Security-Policy"] = securityHeaders["Content-Security-Policy"]
			want["Cross-Origin-Resource-Policy"] = "same-origin"
			want["X-Frame-Options"] = "SAMEORIGIN"
		}
		for k, v := range want {
			if got := h.Get(k); got != v {
				t.Errorf("%s %s (%d): %s = %q, want %q", tc.method, tc.path, status, k, got, v)
			}
		}
		for k := range h {
			if strings.HasPrefix(k, "Access-Control-") {
				t.Errorf("%s %s: CORS header %s: %q", tc.method, tc.path, k, h.Get(k))
			}
		}
		if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors") {
			t.Errorf("%s %s: no frame-ancestors", tc.method, tc.path)
		}
	}
}

func TestWebUIErrorsAreEnvelopes(t *testing.T) {
	e := newTestEnv(t)
	for _, path := range []string{"/no-such-page.js", "/js/nope.js", "/css/", "/" + strings.Repeat("x", 400)} {
		status, h, body := e.do("GET", path, nil)
		if path == "/css/" && status == http.StatusOK {
			continue // a directory listing of the UI's own files is fine
		}
		wantEnvelope(t, "GET "+path, &http.Response{StatusCode: status, Header: h}, body, http.StatusNotFound, CodeNotFound)
	}
	if status, h, body := e.do("GET", "/js/main.js", nil); status != http.StatusOK || !strings.Contains(h.Get("Content-Type"), "javascript") || len(body) == 0 {
		t.Errorf("GET /js/main.js: %d %s", status, h.Get("Content-Type"))
	}
}

func TestControlTokenSchemeIsCaseInsensitive(t *testing.T) {
	srv, err := New(Config{Scale: "tiny", ControlToken: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv)
	defer ts.Close()
	for auth, want := range map[string]int{
		"Bearer s3cret": 200, "bearer s3cret": 200, "BEARER s3cret": 200, "bEaReR  s3cret": 200,
		"Bearer s3cre": 401, "Bearer s3cret2": 401, "Basic s3cret": 401, "s3cret": 401, "": 401, "Bearer": 401, "bearer S3CRET": 401,
	} {
		req, _ := http.NewRequest("GET", ts.URL+"/control/v1/sandboxes", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Authorization %q: %d, want %d", auth, resp.StatusCode, want)
		}
	}
}

// newGuardedServer serves h on a real loopback listener wrapped by Listener, with
// HTTPServer's timeouts: the way ssrmock serve runs.
func newGuardedServer(tb testing.TB, h http.Handler, o HTTPOptions) *httptest.Server {
	tb.Helper()
	ts := httptest.NewUnstartedServer(h)
	ts.Config = HTTPServer(h, o)
	ts.Listener = Listener(ts.Listener, o)
	ts.Start()
	tb.Cleanup(ts.Close)
	return ts
}

func TestNormalizeHost(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1": "127.0.0.1", "127.0.0.1:8080": "127.0.0.1", " LOCALHOST:80 ": "localhost", "localhost.": "localhost",
		"[::1]:8080": "::1", "[::1]": "::1", "::ffff:127.0.0.1": "127.0.0.1", "[0:0:0:0:0:0:0:1]": "::1",
		"127.000.0.1": "127.000.0.1", "10.1.2.3": "10.1.2.3", "mock.example.": "mock.example", "a b": "", "": "", ":80": "",
	} {
		if got := normalizeHost(in); got != want {
			t.Errorf("normalizeHost(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHostAllowed(t *testing.T) {
	configured := map[string]bool{"mock.example": true}
	for host, want := range map[string]bool{
		"127.0.0.1:8080": true, "127.1.2.3": true, "[::1]:80": true, "::ffff:127.0.0.1": true, "localhost:1": true,
		"app.localhost": true, "MOCK.example.:443": true, "10.0.0.1": false, "[::2]": false, "0x7f.0.0.1": false,
		"127.0.0.1.evil.example": false, "evil.example": false, "": false,
	} {
		if got := hostAllowed(host, configured); got != want {
			t.Errorf("hostAllowed(%q) = %v, want %v", host, got, want)
		}
	}
}

package server

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestBaseURL(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	tests := []struct {
		name      string
		publicURL string
		proxies   []netip.Prefix
		peer      string
		tls       bool
		header    map[string]string
		want      string
	}{
		{name: "plain request", peer: "192.0.2.7:4000", want: "http://mock.internal:8080"},
		{name: "TLS request", peer: "192.0.2.7:4000", tls: true, want: "https://mock.internal:8080"},
		{name: "public URL", publicURL: "https://ssr.example.org/", peer: "192.0.2.7:4000", want: "https://ssr.example.org"},
		{name: "public URL with a path", publicURL: "https://example.org/ssr", peer: "10.1.1.1:4000", want: "https://example.org/ssr",
			header: map[string]string{"X-Forwarded-Host": "evil.example"}},
		{name: "X-Forwarded from a trusted proxy", proxies: trusted, peer: "10.1.2.3:4000",
			header: map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "ssr.example.org"}, want: "https://ssr.example.org"},
		{name: "X-Forwarded lists: the nearest proxy's value", proxies: trusted, peer: "10.1.2.3:4000",
			header: map[string]string{"X-Forwarded-Proto": "http, https", "X-Forwarded-Host": "evil.example, ssr.example.org"}, want: "https://ssr.example.org"},
		{name: "Forwarded from a trusted proxy", proxies: trusted, peer: "[::1]:4000",
			header: map[string]string{"Forwarded": `for=192.0.2.60;proto=https;host="ssr.example.org:8443"`}, want: "https://ssr.example.org:8443"},
		{name: "Forwarded wins over X-Forwarded", proxies: trusted, peer: "10.0.0.1:1",
			header: map[string]string{"Forwarded": "for=x, proto=https;host=a.example", "X-Forwarded-Host": "b.example"}, want: "https://a.example"},
		{name: "IPv4-mapped peer", proxies: trusted, peer: "[::ffff:10.9.9.9]:4000",
			header: map[string]string{"X-Forwarded-Proto": "https"}, want: "https://mock.internal:8080"},
		{name: "untrusted peer: X-Forwarded ignored", proxies: trusted, peer: "192.0.2.7:4000",
			header: map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}, want: "http://mock.internal:8080"},
		{name: "untrusted peer: Forwarded ignored", proxies: trusted, peer: "192.0.2.7:4000",
			header: map[string]string{"Forwarded": "proto=https;host=evil.example"}, want: "http://mock.internal:8080"},
		{name: "no trusted proxies: headers ignored", peer: "10.1.2.3:4000",
			header: map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}, want: "http://mock.internal:8080"},
		{name: "trusted proxy, bad values ignored", proxies: trusted, peer: "10.1.2.3:4000",
			header: map[string]string{"X-Forwarded-Proto": "gopher", "X-Forwarded-Host": "evil.example/path?x"}, want: "http://mock.internal:8080"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := New(Config{Scale: "tiny", PublicURL: tt.publicURL, TrustedProxies: tt.proxies})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			r := httptest.NewRequest("GET", "http://mock.internal:8080/api/v1/token", nil)
			r.RemoteAddr = tt.peer
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			if got := srv.baseURL(r); got != tt.want {
				t.Errorf("baseURL = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBadPublicURL(t *testing.T) {
	for _, u := range []string{"ssr.example.org", "ftp://ssr.example.org", "https://", "https://u:p@ssr.example.org", "https://ssr.example.org/?q=1", "https://ssr.example.org/#x"} {
		if srv, err := New(Config{Scale: "tiny", PublicURL: u}); err == nil {
			srv.Close()
			t.Errorf("New accepted public URL %q", u)
		}
	}
}

// TestLinksUsePublicURL checks that the report links and the sandbox's API base a server
// behind a proxy hands out start with its public URL, and that such a link still downloads.
func TestLinksUsePublicURL(t *testing.T) {
	const public = "https://ssr.example.org"
	srv, err := New(Config{Scale: "tiny", PublicURL: public})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	e := &testEnv{t: t, srv: srv, ts: newHTTPTestServer(t, srv)}
	lea := e.firstLEA("default").CDS
	c := e.generate("default", lea)
	tok := e.token(c)
	var list reportList
	for _, st := range e.roster("default", lea, 50) {
		if list = e.list(tok, st.SSID); len(list.Reports) > 0 {
			break
		}
	}
	if len(list.Reports) == 0 {
		t.Fatal("no student with a report")
	}
	for _, r := range list.Reports {
		if !strings.HasPrefix(r.URL, public+"/api/v1/files/") {
			t.Errorf("report link %q does not start with %s/api/v1/files/", r.URL, public)
		}
	}
	// The proxy forwards the path and query as they are: the link works on the server.
	local := e.ts.URL + strings.TrimPrefix(list.Reports[0].URL, public)
	e.mustDo("GET", local, nil, http.StatusOK, nil)
	var sb sandboxInfo
	e.mustDo("GET", "/control/v1/sandboxes/default", nil, http.StatusOK, &sb)
	if sb.APIBase != public+"/api/v1" {
		t.Errorf("apiBase %q, want %s/api/v1", sb.APIBase, public)
	}
}

// TestForwardedHeadersEndToEnd sends the same request with X-Forwarded headers from a trusted
// and from an untrusted peer, through a real listener.
func TestForwardedHeadersEndToEnd(t *testing.T) {
	for _, tt := range []struct {
		name    string
		proxies []netip.Prefix
		want    func(local string) string
	}{
		{"trusted loopback proxy", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")},
			func(string) string { return "https://portal-ssr.example.org/api/v1" }},
		{"untrusted peer", []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")},
			func(local string) string { return local + "/api/v1" }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := New(Config{Scale: "tiny", TrustedProxies: tt.proxies})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			e := &testEnv{t: t, srv: srv, ts: newHTTPTestServer(t, srv)}
			var sb sandboxInfo
			e.mustDo("GET", "/control/v1/sandboxes/default", nil, http.StatusOK, &sb,
				"X-Forwarded-Proto", "https", "X-Forwarded-Host", "portal-ssr.example.org")
			if want := tt.want(e.ts.URL); sb.APIBase != want {
				t.Errorf("apiBase %q, want %q", sb.APIBase, want)
			}
		})
	}
}

package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/ssrmock/ssrmock/server"
)

// newServer starts the whole mock, as `ssrmock serve` does, on a tiny world.
func newServer(tb testing.TB) *httptest.Server {
	tb.Helper()
	s, err := server.New(server.Config{Scale: "tiny"})
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(s)
	tb.Cleanup(func() {
		srv.Close()
		s.Close()
	})
	return srv
}

var (
	htmlRef   = regexp.MustCompile(`(?:src|href)="([^"#][^"]*)"`)
	moduleRef = regexp.MustCompile(`(?m)(?:^import|^export)[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)`)
	cssRef    = regexp.MustCompile(`url\(\s*['"]?([^'")]+)`)
)

// TestEveryAssetLoads follows every reference from / (HTML attributes, module imports, CSS
// urls) through the real server and checks each answers 200 with the right type and stays on
// the page's origin.
func TestEveryAssetLoads(t *testing.T) {
	srv := newServer(t)
	base, _ := url.Parse(srv.URL + "/")
	wantType := map[string]string{
		".html": "text/html", ".js": "text/javascript", ".css": "text/css",
		".svg": "image/svg+xml", ".json": "application/json",
	}
	seen := map[string]bool{}
	queue := []string{base.String()}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		if seen[u] {
			continue
		}
		seen[u] = true
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d, want 200", u, res.StatusCode)
			continue
		}
		p, _ := url.Parse(u)
		ext := path.Ext(p.Path)
		if ext == "" {
			ext = ".html"
		}
		if want := wantType[ext]; want == "" || !strings.HasPrefix(res.Header.Get("Content-Type"), want) {
			t.Errorf("GET %s: Content-Type %q, want %q", u, res.Header.Get("Content-Type"), want)
		}
		var refs []string
		switch ext {
		case ".html":
			for _, m := range htmlRef.FindAllStringSubmatch(string(body), -1) {
				refs = append(refs, m[1])
			}
		case ".js":
			for _, m := range moduleRef.FindAllStringSubmatch(string(body), -1) {
				refs = append(refs, m[1]+m[2])
			}
		case ".css":
			for _, m := range cssRef.FindAllStringSubmatch(string(body), -1) {
				refs = append(refs, m[1])
			}
		}
		for _, ref := range refs {
			r, err := p.Parse(ref)
			if err != nil {
				t.Errorf("%s: bad reference %q", u, ref)
				continue
			}
			if r.Scheme == "data" {
				continue
			}
			if r.Host != base.Host || r.Scheme != base.Scheme {
				t.Errorf("%s refers to %s, outside the page's origin", u, ref)
				continue
			}
			queue = append(queue, r.String())
		}
	}
	for _, must := range []string{"/js/main.js", "/js/portal.js", "/js/format.js", "/css/app.css", "/favicon.svg"} {
		if !seen[srv.URL+must] {
			t.Errorf("%s is never referenced from /", must)
		}
	}
}

package web

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// externalURL finds an absolute http(s) address.
var externalURL = regexp.MustCompile(`https?://[^\s"'<>)]+`)

// namespaces are absolute addresses that name an XML vocabulary and are never fetched.
var namespaces = map[string]bool{"http://www.w3.org/2000/svg": true}

// TestNoExternalAddresses checks that no embedded file refers to another origin: the UI works
// with no network.
func TestNoExternalAddresses(t *testing.T) {
	err := fs.WalkDir(static, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(static, path)
		if err != nil {
			return err
		}
		for _, u := range externalURL.FindAllString(string(b), -1) {
			if !namespaces[u] {
				t.Errorf("%s refers to %s: assets must come from the page's own origin", path, u)
			}
		}
		if strings.Contains(string(b), "@import url(") || strings.Contains(string(b), "fonts.googleapis") {
			t.Errorf("%s pulls in an outside stylesheet or font", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestFilesStaySmall keeps every hand-written file readable in one sitting.
func TestFilesStaySmall(t *testing.T) {
	const maxLines = 400
	fs.WalkDir(static, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(static, path)
		if n := strings.Count(string(b), "\n"); n > maxLines {
			t.Errorf("%s has %d lines; split it below %d", path, n, maxLines)
		}
		return nil
	})
}

// TestHandlerServesIndex checks the UI's entry page and a missing file.
func TestHandlerServesIndex(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	res, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got, want := res.Header.Get("Content-Type"), "text/html; charset=utf-8"; got != want {
		t.Errorf("GET /: Content-Type %q, want %q", got, want)
	}
	res, err = http.Get(srv.URL + "/js/nope.js")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /js/nope.js: status %d, want 404", res.StatusCode)
	}
}

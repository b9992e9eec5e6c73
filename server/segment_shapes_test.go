package server

import (
	"regexp"
	"testing"
)

// issuedPattern is the pattern issuedShape is written out from.
var issuedPattern = regexp.MustCompile(`^(\d+|sbx-[a-z0-9]+|flt-[a-z0-9]+|\d{10}-\d{4}-[a-z0-9-]+(\.[A-Za-z-]+)?|[a-z0-9_-]+\.(js|css|html|svg|png|ico|json|webmanifest|txt))$`)

var shapeSeeds = []string{
	"", "0", "4550721916", "455072191a", "sbx-zg665thupz", "sbx-", "sbx-Z", "sbx-a.b", "flt-3", "flt-",
	"4550721916-2019-sb-ela", "4550721916-2019-sb-ela.es", "4550721916-2019-sb-ela.ES-mx", "4550721916-2019-",
	"4550721916-2019-x.", "4550721916-2019-x.e.s", "4550721916-2019-x.e1", "455072191-62019-sb", "4550721916x2019-sb",
	"45507219160-2019-sb", "4550721916-201-sb", "4550721916-2019-SB", "app.js", "app.JS", "app.js.map", ".js",
	"my_file-2.webmanifest", "Ap.css", "a.b.css", "index.html", "robots.txt", "x.pdf", "token", "é.js", "sbx-é",
}

func TestIssuedShapeIsThePattern(t *testing.T) {
	for _, s := range shapeSeeds {
		if got, want := issuedShape(s), issuedPattern.MatchString(s); got != want {
			t.Errorf("issuedShape(%q) = %v, the pattern says %v", s, got, want)
		}
	}
}

func FuzzIssuedShape(f *testing.F) {
	for _, s := range shapeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := issuedShape(s), issuedPattern.MatchString(s); got != want {
			t.Errorf("issuedShape(%q) = %v, the pattern says %v", s, got, want)
		}
	})
}

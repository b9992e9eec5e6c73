// Package web is ssrmock's demo UI: a fake TOMS credentials page, a control panel for a
// sandbox's clock, faults and journal, and a parent-portal demo. It is plain HTML, CSS and
// JavaScript embedded in the binary: no build step, no network.
package web

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed static
var static embed.FS

// Handler serves the UI's files.
func Handler() http.Handler {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded tree always has static/
	}
	return http.FileServer(http.FS(sub))
}

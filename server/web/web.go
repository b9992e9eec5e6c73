// Package web is ssrmock's demo UI: a fake TOMS credentials page, a control panel for a
// sandbox's clock, faults and journal, and a parent-portal demo. It is plain HTML, CSS and
// JavaScript modules embedded in the binary: no build step, no network, nothing fetched from
// another origin.
//
// The portal reaches reports only through the vendor API, with the User Name and Secret Key
// pasted in its settings, as a vendor's portal would; its roster search and its "next
// release" shortcut use the control API and say so on the page.
//
// The tests walk the demo in headless Chromium; go test -run TestDemoWalk -screenshots DIR
// keeps the screenshots of every step, at laptop and phone widths.
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

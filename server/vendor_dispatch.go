package server

import (
	"net/http"
	"strings"
)

// vendorDispatch answers the vendor API's three routes without the router: they carry nearly
// all of a mock's load, and the router tries a regular expression per registered route. Only
// a clean path that is exactly one of the routes, sent with a method the route takes, is taken
// here; everything else (a trailing slash, an empty or dot segment, another method) goes to
// next, the router, which answers it as it always has. TestVendorDispatchAgreesWithRouter
// holds the two to the same answers.
func (s *Server) vendorDispatch(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, "/api/v1/")
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		switch {
		case rest == "token":
			if r.Method == http.MethodPost {
				s.handleToken(w, r)
				return
			}
		case strings.HasPrefix(rest, "students/"):
			if ssid, ok := strings.CutSuffix(rest[len("students/"):], "/reports"); ok && pathSegment(ssid) && r.Method == http.MethodGet {
				s.serveReports(w, r, ssid)
				return
			}
		case strings.HasPrefix(rest, "files/"):
			sbx, id, ok := strings.Cut(rest[len("files/"):], "/")
			if ok && pathSegment(sbx) && pathSegment(id) && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
				s.serveFile(w, r, sbx, id)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// pathSegment reports whether seg is one clean path segment the router's {name} would match:
// not empty, no slash, not "." or ".." (the router redirects a path holding those).
func pathSegment(seg string) bool {
	return seg != "" && seg != "." && seg != ".." && !strings.Contains(seg, "/")
}

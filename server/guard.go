package server

import (
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
)

// The guard keeps web pages a developer happens to visit from driving the mock: the mock runs
// on laptops next to browsers, and its control API is open on loopback.
//
//   - Host: a request must name the server in its Host header, by a loopback name or address
//     or by one of Config.Hosts. A page whose own name resolves to 127.0.0.1 (DNS rebinding)
//     sends its own name and is refused, so it can read nothing.
//   - Origin: a control request a browser sends from another origin (Origin, or
//     Sec-Fetch-Site, says so) is refused, so no page can move clocks, regenerate credentials
//     or schedule faults (CSRF). No route ever sends CORS headers.
//   - Content type: decode accepts only application/json bodies (see mediaTypeOK), which a
//     page cannot send to another origin without a CORS preflight the mock never grants.
//   - Headers: every answer carries securityHeaders.

// securityHeaders are sent with every answer. The policy is the web UI's: scripts, styles and
// frames from the mock's own origin only, and no framing by another site.
var securityHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
		"frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
	"X-Frame-Options":              "SAMEORIGIN",
	"X-Content-Type-Options":       "nosniff",
	"Referrer-Policy":              "no-referrer",
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin",
}

// pdfSecurityHeaders replace the resource and framing rules on report links: a vendor's
// portal hands a link to the parent's browser, which may open it from the portal's page or
// frame it there, so a report may be framed and fetched by any origin. The link's signature
// is the credential; no-referrer keeps it out of other sites' logs.
// An empty value removes the header.
var pdfSecurityHeaders = map[string]string{
	"Content-Security-Policy":      "default-src 'none'; frame-ancestors *",
	"X-Frame-Options":              "",
	"Cross-Origin-Resource-Policy": "cross-origin",
}

// guard wraps the server's handler with the Host and Origin checks and the security headers.
func (s *Server) guard(next http.Handler) http.Handler {
	hosts := make(map[string]bool, len(s.cfg.Hosts))
	for _, h := range s.cfg.Hosts {
		if name := normalizeHost(h); name != "" {
			hosts[name] = true
		}
	}
	page, pdf := headerValues(securityHeaders, nil), headerValues(securityHeaders, pdfSecurityHeaders)
	// allowed is the last Host header found allowed: a client sends the same one on every
	// request, and the answer for it never changes.
	var allowed atomic.Pointer[string]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		set := page
		if strings.HasPrefix(r.URL.Path, "/api/v1/files/") {
			set = pdf
		}
		h := w.Header()
		for k, v := range set {
			h[k] = v // canonical keys, shared read-only values: no allocation per request
		}
		if last := allowed.Load(); last == nil || *last != r.Host {
			if !hostAllowed(r.Host, hosts) {
				s.writeError(w, r, Errorf(CodeForbidden, "the Host header must name this server (localhost, a loopback address or a configured host name); a page reaching it under another name is refused"))
				return
			}
			host := r.Host
			allowed.Store(&host)
		}
		if isControlPath(r.URL.Path) {
			if err := checkOrigin(r); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// headerValues merges base and over (an empty value in over removes the header) into
// canonical header keys and values.
func headerValues(base, over map[string]string) http.Header {
	h := make(http.Header, len(base))
	for k, v := range base {
		h.Set(k, v)
	}
	for k, v := range over {
		if v == "" {
			h.Del(k)
		} else {
			h.Set(k, v)
		}
	}
	return h
}

// isControlPath reports whether p is under the control API.
func isControlPath(p string) bool {
	return p == "/control/v1" || strings.HasPrefix(p, "/control/v1/")
}

// hostAllowed reports whether a Host header names this server: a loopback address, localhost
// or a name under .localhost (which resolve to loopback only, RFC 6761), or a configured name.
// The port is not checked: a rebinding page cannot choose the name it is reached by, only the
// port.
func hostAllowed(hostport string, configured map[string]bool) bool {
	name := normalizeHost(hostport)
	if name == "" {
		return false
	}
	if configured[name] {
		return true
	}
	if name == "localhost" || strings.HasSuffix(name, ".localhost") {
		return true
	}
	// name is an address as normalizeHost writes it, or a host name, which this refuses.
	ip, err := netip.ParseAddr(name)
	return err == nil && ip.IsLoopback()
}

// normalizeHost returns the host part of a Host header or a configured host, lower case,
// without a port, brackets or a trailing dot; "" when it is not a host name or address.
func normalizeHost(hostport string) string {
	h := strings.ToLower(strings.TrimSpace(hostport))
	if h == "" || len(h) > 255 {
		return ""
	}
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	} else if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		h = h[1 : len(h)-1]
	}
	h = strings.TrimSuffix(h, ".")
	if h == "" {
		return ""
	}
	if ip := net.ParseIP(h); ip != nil {
		if ip.To4() != nil && strings.Trim(h, "0123456789.") == "" {
			return h // a dotted quad ParseIP takes is written as String would write it
		}
		return ip.String()
	}
	for _, c := range h {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return ""
		}
	}
	return h
}

// checkOrigin refuses a control request a browser sent from another origin. Requests without
// Origin and Sec-Fetch-Site (curl, the suite, a vendor's tests) pass: only browsers send them,
// and a browser sends them on every request a page could forge.
func checkOrigin(r *http.Request) error {
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "", "same-origin", "none":
	default:
		return Errorf(CodeForbidden, "the control API answers only pages of its own origin; this request came from a %s page", site)
	}
	origin, sent := r.Header["Origin"]
	if !sent {
		return nil
	}
	if len(origin) != 1 || !sameOrigin(origin[0], r.Host) {
		return Errorf(CodeForbidden, "the control API answers only pages of its own origin, not %q", clipString(strings.Join(origin, ","), 100))
	}
	return nil
}

// sameOrigin reports whether an Origin header names the server as the request reached it.
// The scheme is not compared: behind a TLS-terminating proxy the page is https and the request
// plain http.
func sameOrigin(origin, host string) bool {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.User != nil {
		return false
	}
	got, want := strings.ToLower(u.Host), strings.ToLower(host)
	if got == want {
		return true
	}
	// The default port may be left out on either side.
	port := "80"
	if u.Scheme == "https" {
		port = "443"
	}
	return got+":"+port == want || got == want+":"+port
}

// clipString shortens s for a message.
func clipString(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

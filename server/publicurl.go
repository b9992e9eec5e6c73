package server

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// A server behind a TLS-terminating proxy sees plain HTTP from the proxy, so links built from
// the request would say http://internal-host. Config.PublicURL fixes the server's public root
// once and for all; without it, Forwarded (RFC 7239) or X-Forwarded-Proto and X-Forwarded-Host
// are honoured, but only on requests whose peer is in Config.TrustedProxies, since any client
// can send those headers.

// parsePublicURL checks a Config.PublicURL and returns it without a trailing slash.
func parsePublicURL(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("public URL %q: want http(s)://host[:port][/path], without user, query or fragment", raw)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// baseURL is the server's root as the client reached it: Config.PublicURL when set; else the
// scheme and host a trusted proxy forwarded; else the request's own.
func (s *Server) baseURL(r *http.Request) string { return string(s.appendBaseURL(nil, r)) }

// appendBaseURL appends baseURL(r) to b, for an answer that writes it into its body.
func (s *Server) appendBaseURL(b []byte, r *http.Request) []byte {
	if s.publicURL != "" {
		return append(b, s.publicURL...)
	}
	scheme, host := "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	if len(s.cfg.TrustedProxies) > 0 && s.fromTrustedProxy(r) {
		proto, fhost := forwarded(r.Header)
		if proto == "http" || proto == "https" {
			scheme = proto
		}
		if validHost(fhost) {
			host = fhost
		}
	}
	return append(append(append(b, scheme...), "://"...), host...)
}

// fromTrustedProxy reports whether the request's peer is one of the configured proxies.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := ap.Addr().Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// forwarded reads the scheme and host a proxy forwarded: from the last element of Forwarded
// (the one the nearest proxy, the trusted peer, added), else from the last values of
// X-Forwarded-Proto and X-Forwarded-Host. Either may be "".
func forwarded(h http.Header) (proto, host string) {
	if fw := h.Values("Forwarded"); len(fw) > 0 {
		elems := strings.Split(fw[len(fw)-1], ",")
		for _, pair := range strings.Split(elems[len(elems)-1], ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(pair), "=")
			if !ok {
				continue
			}
			v = strings.Trim(v, `"`)
			switch strings.ToLower(k) {
			case "proto":
				proto = strings.ToLower(v)
			case "host":
				host = v
			}
		}
		return proto, host
	}
	last := func(name string) string {
		vs := h.Values(name)
		if len(vs) == 0 {
			return ""
		}
		parts := strings.Split(vs[len(vs)-1], ",")
		return strings.TrimSpace(parts[len(parts)-1])
	}
	return strings.ToLower(last("X-Forwarded-Proto")), last("X-Forwarded-Host")
}

// validHost reports whether h is a bare host[:port], fit to put in a link.
func validHost(h string) bool {
	if h == "" || len(h) > 255 || strings.ContainsAny(h, "/\\?#@ \t") {
		return false
	}
	u, err := url.Parse("http://" + h)
	return err == nil && u.Host == h && u.Hostname() != ""
}

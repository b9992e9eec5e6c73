package server

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// logRequests logs every request as it ends: each vendor API request at info level, with its
// method, route (token, reports or pdf), status and latency; any other request at debug level,
// with its redacted path. It never logs a query string, a header or a body, so that no secret
// reaches the log. Latency is real time, read from the server's real clock.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := vendorRoute(r.URL.Path)
		level := slog.LevelDebug
		if route != "" {
			level = slog.LevelInfo
		}
		ctx := r.Context()
		if !s.log.Enabled(ctx, level) {
			next.ServeHTTP(w, r)
			return
		}
		start := s.real.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		latency := s.real.Now().Sub(start)
		if route != "" {
			s.logVendorRequest(ctx, r.Method, route, sw.status, latency)
			return
		}
		s.log.LogAttrs(ctx, slog.LevelDebug, "request", slog.String("method", r.Method),
			slog.String("path", redactPath(r.URL.Path)), slog.Int("status", sw.status), slog.Duration("latency", latency))
	})
}

// logVendorRequest writes the info line of one vendor request.
func (s *Server) logVendorRequest(ctx context.Context, method, route string, status int, latency time.Duration) {
	s.log.LogAttrs(ctx, slog.LevelInfo, "vendor request", slog.String("method", method),
		slog.String("route", route), slog.Int("status", status), slog.Duration("latency", latency))
}

// vendorRoute names the vendor API route of path as faults and the journal do, or "" for a
// path outside the vendor API.
func vendorRoute(path string) string {
	rest, ok := strings.CutPrefix(path, "/api/v1/")
	switch {
	case !ok:
		return ""
	case rest == "token":
		return routeToken
	case strings.HasPrefix(rest, "students/"):
		return routeReports
	case strings.HasPrefix(rest, "files/"):
		return routePDF
	}
	return "other"
}

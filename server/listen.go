package server

import (
	"bytes"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// HTTPOptions bounds what one client may hold of a server: how long it may take to send a
// request, to read an answer or to sit idle, and how many connections it may keep open.
// The zero value means the defaults given with each field.
type HTTPOptions struct {
	// ReadHeaderTimeout bounds reading a request's headers; 0 means 10s.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, body included; 0 means 30s.
	ReadTimeout time.Duration
	// WriteTimeout bounds answering a request, from the end of its headers; 0 means 60s. A
	// fault's delay extends its own request's deadline by the delay.
	WriteTimeout time.Duration
	// IdleTimeout bounds how long a keep-alive connection waits for its next request; 0
	// means 120s.
	IdleTimeout time.Duration
	// MaxConnsPerClient bounds the open connections of one client address; 0 means 256.
	// The next one is answered 503 and closed.
	MaxConnsPerClient int
	// Logger receives net/http's own complaints (TLS handshakes, hijacked connections); nil
	// means none.
	Logger *slog.Logger
}

func (o HTTPOptions) withDefaults() HTTPOptions {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.ReadHeaderTimeout, 10*time.Second)
	def(&o.ReadTimeout, 30*time.Second)
	def(&o.WriteTimeout, defaultWriteTimeout)
	def(&o.IdleTimeout, 120*time.Second)
	if o.MaxConnsPerClient <= 0 {
		o.MaxConnsPerClient = 256
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// defaultWriteTimeout is HTTPOptions.WriteTimeout's default, and what a delayed request has
// left to write its answer once the delay is over.
const defaultWriteTimeout = 60 * time.Second

// maxHeaderBytes bounds a request's headers; more is answered 431.
const maxHeaderBytes = 64 << 10

// HTTPServer returns an http.Server for h with o's timeouts. Serve it on Listener(ln, o), so
// that net/http's own refusals are envelopes too and connections per client are capped.
func HTTPServer(h http.Handler, o HTTPOptions) *http.Server {
	o = o.withDefaults()
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: o.ReadHeaderTimeout,
		ReadTimeout:       o.ReadTimeout,
		WriteTimeout:      o.WriteTimeout,
		IdleTimeout:       o.IdleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(o.Logger.Handler(), slog.LevelWarn),
	}
}

// holdDeadlines lets a request delayed by a fault outlive the server's read and write
// timeouts: the delay is the point. The read deadline is lifted (net/http sets the next
// request's own) and the write deadline moved to the end of the delay plus the usual time
// to write. Connection deadlines are wall-clock instants by nature, hence time.Now.
func holdDeadlines(w http.ResponseWriter, delay time.Duration) {
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Time{})
	rc.SetWriteDeadline(time.Now().Add(delay + defaultWriteTimeout))
}

// Listener wraps ln for serving the mock: it caps the open connections of each client
// address at o.MaxConnsPerClient, answering the one over the cap 503 before closing it, and
// rewrites the plain-text answers net/http writes itself (431 for oversized headers, 400 for
// a malformed request line) into the error envelope.
func Listener(ln net.Listener, o HTTPOptions) net.Listener {
	o = o.withDefaults()
	return &capListener{Listener: ln, max: o.MaxConnsPerClient, open: make(map[string]int)}
}

type capListener struct {
	net.Listener
	max  int
	mu   sync.Mutex
	open map[string]int // by client IP
}

func (l *capListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		client := clientIP(c.RemoteAddr())
		l.mu.Lock()
		over := l.open[client] >= l.max
		if !over {
			l.open[client]++
		}
		l.mu.Unlock()
		if over {
			c.SetWriteDeadline(time.Now().Add(time.Second))
			c.Write(rawEnvelope(http.StatusServiceUnavailable, CodeUnavailable, "too many open connections from "+client+": close some and try again"))
			c.Close()
			continue
		}
		return &guardedConn{Conn: c, release: func() { l.release(client) }}, nil
	}
}

func (l *capListener) release(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[client]--; l.open[client] <= 0 {
		delete(l.open, client)
	}
}

func clientIP(a net.Addr) string {
	if tcp, ok := a.(*net.TCPAddr); ok {
		return tcp.IP.String()
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// guardedConn is one accepted connection: it rewrites net/http's plain-text refusals and
// gives its place back when closed.
type guardedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *guardedConn) Write(p []byte) (int, error) {
	if b, ok := rewriteRawError(p); ok {
		if _, err := c.Conn.Write(b); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return c.Conn.Write(p)
}

func (c *guardedConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}

// CloseWrite half-closes the connection, as net/http does after a 431.
func (c *guardedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// rawErrorHeaders are the headers net/http writes, after the status line, when it refuses a
// request before any handler sees it (net/http server.go, conn.serve).
const rawErrorHeaders = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"

// rewriteRawError turns one of net/http's own refusals into an envelope answer; ok is false
// for anything else. A handler's answer never matches: it has more headers (Date, the
// security headers) between its status line and its body.
func rewriteRawError(p []byte) (b []byte, ok bool) {
	const prefix = "HTTP/1.1 "
	if len(p) < len(prefix)+3 || !bytes.HasPrefix(p, []byte(prefix)) || (p[len(prefix)] != '4' && p[len(prefix)] != '5') {
		return nil, false
	}
	line, _, found := bytes.Cut(p[len(prefix):], []byte(rawErrorHeaders))
	if !found || bytes.ContainsAny(line, "\r\n") {
		return nil, false
	}
	status, err := strconv.Atoi(string(line[:3]))
	if err != nil || len(line) < 4 || line[3] != ' ' {
		return nil, false
	}
	_, detail, _ := strings.Cut(string(line[4:]), ": ") // net/http's reason, when it gives one
	msg := http.StatusText(status)
	switch status {
	case http.StatusNotImplemented: // a transfer coding net/http does not know: the request's fault
		status, detail = http.StatusBadRequest, "unsupported transfer encoding"
	case http.StatusHTTPVersionNotSupported: // the request's fault too
		status = http.StatusBadRequest
	case http.StatusRequestHeaderFieldsTooLarge:
		msg = "the request's headers are larger than " + strconv.Itoa(maxHeaderBytes>>10) + " KiB"
	}
	if status == http.StatusBadRequest {
		msg = "malformed HTTP request"
	}
	if detail != "" {
		msg += ": " + detail
	}
	return rawEnvelope(status, statusCode(status), msg), true
}

// rawEnvelope is a whole HTTP/1.1 answer carrying an error envelope, written straight to a
// connection, which it asks the client to close.
func rawEnvelope(status int, code, message string) []byte {
	body := envelopeBody(code, message)
	var b bytes.Buffer
	b.WriteString("HTTP/1.1 " + strconv.Itoa(status) + " " + http.StatusText(status) + "\r\n")
	b.WriteString("Content-Type: application/json\r\n")
	b.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\r\n")
	b.WriteString("Connection: close\r\n")
	for _, k := range sortedKeys(securityHeaders) {
		b.WriteString(k + ": " + securityHeaders[k] + "\r\n")
	}
	b.WriteString("\r\n")
	b.Write(body)
	return b.Bytes()
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortBy(keys, func(k string) string { return k })
	return keys
}

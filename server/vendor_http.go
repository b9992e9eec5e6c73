package server

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ssrmock/ssrmock/fixtures"
)

// tokenRequest is the body of POST /api/v1/token.
type tokenRequest struct {
	Username  string `json:"username"`
	SecretKey string `json:"secretKey"`
}

// tokenResponse is an issued access token.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
}

// handleToken exchanges a User Name and Secret Key for an access token.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	var req tokenRequest
	if err := decode(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	var sb *Sandbox
	real := s.real.Now() // the request's real instant, read once
	sbx, holder, known, err := s.store.Username(r.Context(), req.Username)
	if err == nil && known && req.Username != "" {
		sb, err = s.sandboxAt(r.Context(), sbx, real)
	}
	if err != nil && apiError(err) == nil {
		s.writeError(w, r, storeError(err))
		return
	}
	if sb == nil {
		// No sandbox to journal in: the name was never issued, or its sandbox is gone.
		s.writeError(w, r, Errorf(CodeInvalidCredentials, "the User Name or Secret Key is not valid"))
		return
	}
	entry := sb.entry(r, real, routeToken)
	entry.Username = req.Username
	entry.LEA, entry.School, entry.Pair = sb.journalScope(holder)
	s.vendor(w, r, sb, &entry, func(resp *response) error {
		token, state, err := sb.checkSecretAndMint(holder, req.Username, req.SecretKey)
		entry.Credential = state
		if err != nil {
			return err
		}
		resp.json(http.StatusOK, tokenResponse{AccessToken: token, TokenType: "Bearer", ExpiresIn: int(tokenLifetime / time.Second)})
		return nil
	})
}

// serveReports lists one student's released reports visible to the token's LEA.
func (s *Server) serveReports(w http.ResponseWriter, r *http.Request, ssid string) {
	t, payload, sig, err := s.bearer(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	real := s.real.Now() // the request's real instant, read once
	sb, err := s.sandboxAt(r.Context(), t.sandbox, real)
	if err != nil {
		if e := apiError(err); e == nil || e.Code != CodeUnavailable {
			err = Errorf(CodeInvalidToken, "the access token is not valid")
		}
		s.writeError(w, r, err)
		return
	}
	entry := sb.entry(r, real, routeReports)
	entry.LEA, entry.School, entry.Pair = sb.journalScope(t.lea)
	entry.SSID = ssidForJournal(ssid)
	var baseBuf [128]byte // the server's URL, which every link of the listing starts with
	base := s.appendBaseURL(baseBuf[:0], r)
	s.vendor(w, r, sb, &entry, func(resp *response) error {
		st := sb.state()
		now := clockAt(st.Clock, resp.real) // the state's clock, at the request's instant
		state, err := sb.checkToken(st, t, payload, sig, now)
		entry.TokenState = state
		entry.Username = st.Credentials[t.lea].UsernameOf(t.generation)
		if err != nil {
			return err
		}
		body, err := sb.appendListing(r.Context(), slices.Grow(resp.scratch[:0], 1024), st, now, t.lea, ssid, base)
		if err != nil {
			return err
		}
		resp.raw, resp.scratch = body, body
		resp.set("Content-Type", jsonType)
		resp.status = http.StatusOK
		return nil
	})
}

// serveFile serves one report through the signed link /api/v1/files/{sbx}/{id}.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, sbx, id string) {
	real := s.real.Now() // the request's real instant, read once
	sb, err := s.sandboxAt(r.Context(), sbx, real)
	if err != nil {
		if e := apiError(err); e == nil || e.Code != CodeUnavailable {
			err = Errorf(CodeSignatureInvalid, "the report link is not valid")
		}
		s.writeError(w, r, err)
		return
	}
	file := sb.fileRequest(r.URL, id)
	entry := sb.entryOf(r, real, routePDF, file.scan)
	s.vendor(w, r, sb, &entry, func(resp *response) error {
		if file.bad {
			return badLink()
		}
		if err := verifyLink(file.link, file.signed, resp.now); err != nil {
			return err
		}
		entry.SSID = ssidForJournal(file.ssid)
		if !file.found {
			return Errorf(CodeNotFound, "no such report")
		}
		// The link was signed by this sandbox for this version: a cached rendering is the answer.
		pdf, cached := s.pdfs.get(file.key)
		if !cached {
			v, found := sb.student(file.ssid)
			if !found {
				return Errorf(CodeNotFound, "no such report")
			}
			rep, ok := sb.findReport(v, file.reportID, file.link.version)
			if !ok || !slices.Contains(rep.Languages, file.lang) {
				return Errorf(CodeNotFound, "no such report")
			}
			var err error
			if pdf, err = s.render(sb, v, rep, file.lang, file.format); err != nil {
				return err
			}
		}
		resp.set("Etag", pdf.etag)
		resp.set("Cache-Control", privateNoCache)
		if match := requestHeader(r, headerIfNoneMatch); match != "" && etagMatches(match, pdf.etag[0]) {
			resp.status = http.StatusNotModified
			return nil
		}
		setFileHeaders(resp, file.format, pdf)
		resp.status = http.StatusOK
		resp.raw, resp.length = pdf.bytes, pdf.length
		return nil
	})
}

func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		if t = strings.TrimSpace(t); t == etag || t == "*" {
			return true
		}
	}
	return false
}

// bearer reads the Authorization header's token.
func (s *Server) bearer(r *http.Request) (accessToken, []byte, []byte, error) {
	h := requestHeader(r, headerAuthorization)
	scheme, token, found := strings.Cut(h, " ")
	if h == "" {
		return accessToken{}, nil, nil, Errorf(CodeInvalidToken, "send the access token as Authorization: Bearer <token>")
	}
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return accessToken{}, nil, nil, Errorf(CodeInvalidToken, "the Authorization header must be Bearer <token>")
	}
	t, payload, sig, ok := parseTokenVia(&s.tokens, strings.TrimSpace(token))
	if !ok {
		return accessToken{}, nil, nil, Errorf(CodeInvalidToken, "the access token is not valid")
	}
	return t, payload, sig, nil
}

// ssidForJournal keeps a well-formed SSID and marks anything else, so that a secret pasted
// into the path never reaches the journal.
func ssidForJournal(ssid string) string {
	if fixtures.ValidSSID(ssid) {
		return ssid
	}
	return "(invalid)"
}

// entry starts a journal entry for a vendor request made at the real instant real (the
// sandbox's time is reckoned from it), with its URL scanned for credential material (see
// redact.go). A report download's URL is scanned with its link (fileRequest): see entryOf.
func (sb *Sandbox) entry(r *http.Request, real time.Time, route string) JournalEntry {
	return sb.entryOf(r, real, route, sb.scanURL(r.URL))
}

// entryOf is entry with the URL scanned already.
func (sb *Sandbox) entryOf(r *http.Request, real time.Time, route string, scan urlScan) JournalEntry {
	e := JournalEntry{At: clockAt(sb.state().Clock, real), RealAt: real, Method: r.Method, Route: route, Client: clientName(r)}
	e.Path, e.QueryParams, e.SecretInURL = scan.path, scan.names, scan.secret
	return e
}

// clientName is the X-SSRMock-Client header if it is a short plain name, else "".
func clientName(r *http.Request) string {
	c := requestHeader(r, headerClient)
	if c == "" || len(c) > 40 || !clientPattern.MatchString(c) {
		return ""
	}
	return c
}

var clientPattern = regexp.MustCompile(`^[A-Za-z0-9._-]*$`)

// response is a vendor response built in memory, so that a fault can truncate it and the
// journal can record its outcome.
type response struct {
	status int
	// now is the request's sandbox time, the one the answer carries as its Date, and real the
	// real instant it is reckoned from: the answer is judged at them (a link's expiry, say,
	// or a token's by the clock of the state a handler reads).
	now, real time.Time
	// header is the answer's own headers, set with set, in fields unless there are more: a
	// map per request is what net/http's own header map already is.
	header []headerField
	fields [8]headerField
	body   bytes.Buffer
	// raw, when set, is the body instead of body: bytes made whole (a cached report, a
	// listing) served without a copy.
	raw []byte
	// length, when set, is raw's Content-Length, made with it (a cached report's).
	length []string
	code   string
	// scratch is room a handler may build raw in; it outlives release, up to maxScratch.
	scratch []byte
}

// maxScratch bounds the room a pooled response keeps for the next one: a listing of a few
// dozen reports.
const maxScratch = 32 << 10

// headerField is one header of a response, its key in canonical form.
type headerField struct {
	key   string
	value []string
}

// responses keeps released answers for reuse: one is a few hundred bytes, made per request.
var responses = sync.Pool{New: func() any { return new(response) }}

// newResponse is an empty answer with status OK, judged at sandbox time now, real time real.
func newResponse(now, real time.Time) *response {
	resp := responses.Get().(*response)
	resp.status, resp.now, resp.real = http.StatusOK, now, real
	resp.header = resp.fields[:0]
	return resp
}

// release gives resp back for reuse once it was written: nothing it holds is read after.
func (resp *response) release() {
	scratch := resp.scratch[:0]
	if cap(scratch) > maxScratch {
		scratch = nil
	}
	*resp = response{scratch: scratch}
	responses.Put(resp)
}

// set sets the header key, given in canonical form, to value, as http.Header's Set would.
func (resp *response) set(key string, value []string) {
	for i := range resp.header {
		if resp.header[i].key == key {
			resp.header[i].value = value
			return
		}
	}
	resp.header = append(resp.header, headerField{key, value})
}

// Header values shared by every answer that carries them: net/http only reads them.
var (
	jsonType       = []string{"application/json"}
	pdfType        = []string{"application/pdf"}
	privateNoCache = []string{"private, max-age=0"}
)

func (resp *response) json(status int, v any) {
	resp.body.Reset()
	enc := json.NewEncoder(&resp.body)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		resp.body.Reset()
		resp.body.WriteString(`{"error":{"code":"internal","message":"internal error"}}`)
	}
	resp.raw = nil
	resp.set("Content-Type", jsonType)
	resp.status = status
}

// vendor runs one vendor request: it applies a scheduled fault, runs handle, stamps the
// sandbox's time as the Date header, writes the answer and journals it.
func (s *Server) vendor(w http.ResponseWriter, r *http.Request, sb *Sandbox, entry *JournalEntry, handle func(*response) error) {
	now, real := entry.At, entry.RealAt // the request's times, read once
	fault, faulted, err := sb.takeFault(r.Context(), entry.Route, now)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if faulted {
		entry.FaultID = fault.ID
		entry.Delay = time.Duration(fault.Delay).Seconds()
		if fault.Delay > 0 {
			holdDeadlines(w, time.Duration(fault.Delay))
		}
		if fault.Delay > 0 && !s.wait(r.Context(), time.Duration(fault.Delay)) {
			entry.Code = "client_gone"
			if err := s.record(r.Context(), sb, entry); err != nil {
				s.answer(err, "route", entry.Route) // logged; the client is gone
			}
			return
		}
		if fault.Delay > 0 {
			// A clock that follows real time went on while the answer was held.
			real = sb.real.Now()
			now = clockAt(sb.state().Clock, real)
		}
		if fault.Drop {
			entry.Code = "connection_dropped"
			if err := s.record(r.Context(), sb, entry); err != nil {
				s.answer(err, "route", entry.Route) // logged; the connection is dropped anyway
			}
			panic(http.ErrAbortHandler)
		}
	}
	resp := newResponse(now, real)
	if faulted && fault.Status != 0 {
		if fault.RetryAfter > 0 {
			secs := int((time.Duration(fault.RetryAfter) + time.Second - 1) / time.Second)
			resp.set("Retry-After", []string{strconv.Itoa(secs)})
			entry.RetryAfter = secs
		}
		msg := "the service is temporarily unavailable"
		switch fault.Code {
		case CodeRateLimited:
			msg = "too many requests: wait for Retry-After before trying again"
		case CodeMaintenance:
			msg = "the service is down for maintenance: try again after Retry-After"
		}
		resp.json(fault.Status, errorBody{&Error{Code: fault.Code, Message: msg}})
		resp.code = fault.Code
	} else if err := handle(resp); err != nil {
		e := s.answer(err, "route", entry.Route)
		resp.json(ErrorStatus(e.Code), errorBody{e})
		resp.code = e.Code
	}
	entry.Status, entry.Code = resp.status, resp.code
	if err := s.record(r.Context(), sb, entry); err != nil {
		resp.release()
		s.writeError(w, r, err)
		return
	}

	h := w.Header()
	for _, f := range resp.header {
		h[f.key] = f.value
	}
	h["Date"] = dateHeader(now)
	body := resp.raw
	if body == nil {
		body = resp.body.Bytes()
	}
	if resp.length == nil {
		resp.length = []string{strconv.Itoa(len(body))}
	}
	h["Content-Length"] = resp.length
	w.WriteHeader(resp.status)
	if faulted && fault.Truncate {
		w.Write(body[:len(body)/2])
		http.NewResponseController(w).Flush()
		panic(http.ErrAbortHandler)
	}
	w.Write(body)
	resp.release()
}

// wait holds a faulted response back for d of real time, or until the client leaves.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

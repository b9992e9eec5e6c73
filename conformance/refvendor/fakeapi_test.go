package refvendor

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeAPI is a small stand-in for the SSR vendor API, with its own sandbox clock (sent as the
// Date header), a journal of requests and hooks that misbehave on a route.
type fakeAPI struct {
	mu       sync.Mutex
	now      time.Time
	secrets  map[string]string // valid pairs: username → secret key
	expired  map[string]bool   // usernames whose pair has expired
	tokens   map[string]string // live token → username
	tokenTTL int
	students map[string][]fakeReport // by SSID
	journal  []fakeEntry
	hooks    []fakeHook
	linkLife time.Duration
	srv      *httptest.Server
}

type fakeReport struct {
	ID, Assessment, SchoolYear, Language string
	Version                              int
}

func (r fakeReport) bytes() []byte {
	return []byte(fmt.Sprintf("%%PDF-1.7 %s v%d", r.ID, r.Version))
}

type fakeEntry struct {
	Route, Method, Path, Query, Username, Auth string
	Status                                     int
}

// fakeHook answers instead of the fake on route ("token", "reports", "pdf") while n > 0 (n < 0:
// for ever); it returns the status it answered.
type fakeHook struct {
	route string
	n     int
	do    func(w http.ResponseWriter, r *http.Request) int
}

var start = time.Date(2019, 5, 20, 16, 0, 0, 0, time.UTC)

func newFake(t *testing.T) *fakeAPI {
	t.Helper()
	f := &fakeAPI{
		now:      start,
		secrets:  map[string]string{"lea1-user": "S3CRET-KEY-AAAAAAAAA"},
		expired:  map[string]bool{},
		tokens:   map[string]string{},
		tokenTTL: 1800,
		linkLife: 30 * time.Minute,
		students: map[string][]fakeReport{
			"1000000001": {
				{ID: "r1-en", Assessment: "smarter-balanced", SchoolYear: "2017-18", Language: "en", Version: 1},
				{ID: "r1-es", Assessment: "smarter-balanced", SchoolYear: "2017-18", Language: "es", Version: 1},
			},
			"1000000002": {
				{ID: "r2-en", Assessment: "summative-elpac", SchoolYear: "2018-19", Language: "en", Version: 1},
			},
		},
	}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) base() string { return f.srv.URL + "/api/v1" }

func (f *fakeAPI) advance(d time.Duration) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
	return f.now
}

func (f *fakeAPI) hook(route string, n int, do func(w http.ResponseWriter, r *http.Request) int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hooks = append(f.hooks, fakeHook{route, n, do})
}

// with runs fn under the fake's lock.
func (f *fakeAPI) with(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn()
}

// count returns the journal entries on route.
func (f *fakeAPI) count(route string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, e := range f.journal {
		if e.Route == route {
			n++
		}
	}
	return n
}

func (f *fakeAPI) entries() []fakeEntry {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeEntry(nil), f.journal...)
}

func route(path string) string {
	switch {
	case path == "/api/v1/token":
		return "token"
	case strings.HasPrefix(path, "/api/v1/students/"):
		return "reports"
	case strings.HasPrefix(path, "/pdf/"):
		return "pdf"
	}
	return ""
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt := route(r.URL.Path)
	f.mu.Lock()
	w.Header().Set("Date", f.now.Format(http.TimeFormat))
	e := fakeEntry{Route: rt, Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Auth: r.Header.Get("Authorization")}
	var hook func(http.ResponseWriter, *http.Request) int
	for i := range f.hooks {
		if h := &f.hooks[i]; h.route == rt && h.n != 0 {
			h.n--
			hook = h.do
			break
		}
	}
	f.journal = append(f.journal, e) // journaled on arrival; the answer fills in the rest
	i := len(f.journal) - 1
	f.mu.Unlock()
	var st int
	var user string
	if hook != nil {
		st = hook(w, r)
	} else {
		st, user = f.answer(w, r, rt)
	}
	f.mu.Lock()
	f.journal[i].Status, f.journal[i].Username = st, user
	f.mu.Unlock()
}

func apiError(w http.ResponseWriter, status int, code string) int {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"code":%q,"message":"fake"}}`, code)
	return status
}

func writeJSON(w http.ResponseWriter, v any) int {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
	return 200
}

// answer is the fake's well-behaved answer.
func (f *fakeAPI) answer(w http.ResponseWriter, r *http.Request, rt string) (int, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch rt {
	case "token":
		var body struct{ Username, SecretKey string }
		if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&body) != nil {
			return apiError(w, 400, "bad_request"), ""
		}
		if s, ok := f.secrets[body.Username]; !ok || s != body.SecretKey {
			return apiError(w, 401, "invalid_credentials"), body.Username
		}
		if f.expired[body.Username] {
			return apiError(w, 401, "credentials_expired"), body.Username
		}
		tok := fmt.Sprintf("tok-%s-%d", body.Username, len(f.tokens)+len(f.journal))
		f.tokens[tok] = body.Username
		return writeJSON(w, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": f.tokenTTL}), body.Username
	case "reports":
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		user, ok := f.tokens[tok]
		if !ok {
			return apiError(w, 401, "invalid_token"), ""
		}
		ssid := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/v1/students/"), "/reports")
		if len(ssid) != 10 {
			return apiError(w, 400, "invalid_ssid"), user
		}
		reps, ok := f.students[ssid]
		if !ok {
			return apiError(w, 404, "student_not_found"), user
		}
		var out []map[string]any
		exp := f.now.Add(f.linkLife)
		for _, rp := range reps {
			out = append(out, map[string]any{
				"id": rp.ID, "program": "CAASPP", "assessment": rp.Assessment, "schoolYear": rp.SchoolYear,
				"language": rp.Language, "format": "pdf", "version": rp.Version, "releasedAt": start,
				"url":          fmt.Sprintf("%s/pdf/%s?v=%d&exp=%d&sig=x", f.srv.URL, rp.ID, rp.Version, exp.Unix()),
				"urlExpiresAt": exp,
			})
		}
		return writeJSON(w, map[string]any{"ssid": ssid, "reports": out}), user
	case "pdf":
		exp, _ := strconv.ParseInt(r.URL.Query().Get("exp"), 10, 64)
		if !f.now.Before(time.Unix(exp, 0)) {
			return apiError(w, 403, "link_expired"), ""
		}
		id := strings.TrimPrefix(r.URL.Path, "/pdf/")
		for _, reps := range f.students {
			for _, rp := range reps {
				if rp.ID == id && strconv.Itoa(rp.Version) == r.URL.Query().Get("v") {
					b := rp.bytes()
					w.Header().Set("Content-Type", "application/pdf")
					w.Header().Set("Content-Length", strconv.Itoa(len(b)))
					w.Write(b)
					return 200, ""
				}
			}
		}
		return apiError(w, 403, "signature_invalid"), ""
	}
	return apiError(w, 404, "not_found"), ""
}

// Misbehaviours for hooks.

func status(code int, errCode string, retryAfter string) func(http.ResponseWriter, *http.Request) int {
	return func(w http.ResponseWriter, r *http.Request) int {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		return apiError(w, code, errCode)
	}
}

func slow(d time.Duration) func(http.ResponseWriter, *http.Request) int {
	return func(w http.ResponseWriter, r *http.Request) int {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
		}
		return apiError(w, 503, "too_late")
	}
}

func drop(w http.ResponseWriter, r *http.Request) int {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
	return 0
}

func truncate(w http.ResponseWriter, r *http.Request) int {
	w.Header().Set("Content-Length", "1000")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(200)
	w.Write([]byte(`{"ssid":"10000`))
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush()
	}
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
	return 200
}

package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ssrmock/ssrmock/server/store"
)

// fuzzSandbox is a sandbox with one LEA's credentials, a token and a signed link: the
// credential material the URL fuzzers plant and look for.
type fuzzSandbox struct {
	sb      *Sandbox
	secret  string
	token   string
	linkSig string
	link    string // path and query of the signed link
}

func newFuzzSandbox() *fuzzSandbox {
	start := time.Date(2019, 2, 11, 16, 0, 0, 0, time.UTC)
	const secret = "Kq7ZmVx3RtP9bWc2HnYd" // 20 characters of secretAlphabet
	sb := stateSandbox("sbx-fuzz", []byte("fuzz key"), store.State{Clock: store.Clock{Now: start}, Credentials: map[string]store.Credential{
		"01100170000000": {LEA: "01100170000000", Generation: 1, SecretHash: sha256.Sum256([]byte(secret)), ExpiresAt: start.Add(time.Hour)},
	}})
	link := sb.signLink(link{sandbox: sb.ID, id: "1234567890-2019-sb.en", version: 1, expires: start.Add(linkLifetime)})
	u, _ := url.Parse(link)
	return &fuzzSandbox{
		sb: sb, secret: secret, link: link, linkSig: u.Query().Get("sig"),
		token: sb.signToken(accessToken{sandbox: sb.ID, lea: "01100170000000", generation: 1, expires: start.Add(tokenLifetime)}),
	}
}

// kept is everything the journal keeps of a scan.
func (s urlScan) kept() string { return s.path + "?" + strings.Join(s.names, "&") }

// checkKept asserts that a scan's journaled parts hold no credential material and only
// what redaction allows.
func (fs *fuzzSandbox) checkKept(t *testing.T, s urlScan) {
	t.Helper()
	for _, secret := range []string{fs.secret, fs.token, fs.linkSig} {
		if strings.Contains(s.kept(), secret) {
			t.Fatalf("the journal would keep %q: %q", secret, s.kept())
		}
	}
	for _, seg := range strings.Split(s.path, "/") {
		if seg != "" && seg != redacted && !pathWords[seg] && !issuedShape(seg) {
			t.Fatalf("path segment %q kept", seg)
		}
	}
	for _, n := range s.names {
		if n != redacted && !safeParamName(n) {
			t.Fatalf("query name %q kept", n)
		}
	}
}

// FuzzRedactURL scans arbitrary URLs: what the journal keeps is always redacted, a URL that
// carries the Secret Key or the token as sent is always flagged, and one built from the
// fuzzer's bytes alone (which cannot hold a signature) is flagged only if it does.
func FuzzRedactURL(f *testing.F) {
	fs := newFuzzSandbox()
	f.Add("/api/v1/students/1234567890/reports", "")
	f.Add("/api/v1/files/sbx-fuzz/1234567890-2019-sb.en", "v=1&expires=1550000000&sig=abc")
	f.Add("/api/v1/token", fs.secret+"=1")
	f.Add("/api/v1/students/"+fs.token+"/reports", "x=%zz"+fs.secret)
	f.Add("/", "access_token=Bearer%20"+fs.token)
	f.Add("/a%2Fb", "a=b&&c;d=%")
	f.Fuzz(func(t *testing.T, path, rawQuery string) {
		u := &url.URL{Path: path, RawQuery: rawQuery}
		s := fs.sb.scanURL(u)
		fs.checkKept(t, s)
		carries := strings.Contains(path, fs.secret) || strings.Contains(rawQuery, fs.secret) ||
			strings.Contains(path, fs.token) || strings.Contains(rawQuery, fs.token)
		if carries && !s.secret {
			t.Fatalf("%q ? %q carries credential material but is not flagged", path, rawQuery)
		}
		if s.secret && !carries && !strings.Contains(path+rawQuery, "%") && !strings.Contains(rawQuery, "+") {
			t.Fatalf("%q ? %q is flagged but carries no credential material", path, rawQuery)
		}
	})
}

// FuzzSecretInURL plants the Secret Key, the token or the link's signature at a fuzzed place
// of a fuzzed URL, glued to fuzzed text: the scan must flag it, keep none of it, and not flag
// the same URL without it. The link's signature in its own sig parameter is not flagged.
func FuzzSecretInURL(f *testing.F) {
	fs := newFuzzSandbox()
	for what := range 3 {
		for where := range 5 {
			f.Add(uint8(what), uint8(where), "", "", "/api/v1/students/1234567890/reports", "")
			f.Add(uint8(what), uint8(where), "Bearer ", "x", "/api/v1/files/sbx-fuzz/1234567890-2019-sb.en", "v=1")
		}
	}
	f.Fuzz(func(t *testing.T, what, where uint8, before, after, path, rawQuery string) {
		material := []string{fs.secret, fs.token, fs.linkSig}[int(what)%3]
		glued := before + material + after
		u := &url.URL{Path: path, RawQuery: rawQuery}
		base := fs.sb.scanURLIn(fs.sb.cur.Load(), u, fs.linkSig)
		fs.checkKept(t, base)
		if base.secret && !strings.ContainsAny(path+rawQuery, "%+") &&
			!strings.Contains(path+rawQuery, fs.secret) && !strings.Contains(path+rawQuery, fs.token) && !strings.Contains(path+rawQuery, fs.linkSig) {
			t.Fatalf("%q ? %q is flagged without credential material", path, rawQuery)
		}
		planted := &url.URL{Path: path, RawQuery: rawQuery}
		add := func(pair string) {
			if planted.RawQuery != "" {
				planted.RawQuery += "&"
			}
			planted.RawQuery += pair
		}
		switch where % 5 {
		case 0: // a path segment
			planted.Path = strings.TrimSuffix(path, "/") + "/" + glued
		case 1: // a query name
			add(url.QueryEscape(glued) + "=1")
		case 2: // a query value
			add("key=" + url.QueryEscape(glued))
		case 3: // a query value as sent, not escaped
			add("key=" + strings.NewReplacer("&", "", "#", "").Replace(glued))
		case 4: // a name with no value
			add(url.QueryEscape(glued))
		}
		s := fs.sb.scanURLIn(fs.sb.cur.Load(), planted, fs.linkSig)
		fs.checkKept(t, s)
		if !s.secret {
			t.Fatalf("%q planted in %q is not flagged", material, planted.String())
		}
	})
}

// FuzzQueryParams feeds arbitrary query strings to the parameters the control API reads
// (limit, cursor, after, at) and to the routes that read them: a value is used only within
// its bounds, and every refusal is a bad_request envelope.
func FuzzQueryParams(f *testing.F) {
	srv, err := New(Config{Seed: 3, Scale: "tiny"})
	if err != nil {
		f.Fatal(err)
	}
	sb, _ := srv.sandbox(context.Background(), DefaultSandbox)
	lea := sb.world.LEAs()[0].CDS
	first, _ := sb.world.LEAStudents(lea)
	st, _ := sb.world.Student(first)
	for _, q := range []string{"", "limit=5&cursor=10", "limit=0", "cursor=-1", "after=9007199254740993", "limit=1e3",
		"at=2019-05-15T08:00:00-07:00", "at=9999-12-31T23:59:59-23:59", "at=2019-05-15T08:00:00+24:00", "limit=%zz", "limit=+5&limit=6"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, rawQuery string) {
		r := &http.Request{URL: &url.URL{RawQuery: rawQuery}}
		for _, p := range []struct {
			name        string
			def, lo, hi int
		}{
			{"limit", 50, 1, 1000}, {"cursor", 0, 0, 1 << 40}, {"after", 0, 0, 1 << 53},
		} {
			n, err := intParam(r, p.name, p.def, p.lo, p.hi)
			if err != nil {
				if e := apiError(err); e == nil || e.Code != CodeBadRequest {
					t.Fatalf("%s: %v is not a bad_request", p.name, err)
				}
				continue
			}
			if n < p.lo || n > p.hi {
				t.Fatalf("%s=%d from %q is out of [%d, %d]", p.name, n, rawQuery, p.lo, p.hi)
			}
		}
		if at, err := timeParam(r, "at", sb.now()); err == nil {
			if _, err := at.MarshalJSON(); err != nil || at.After(latestInstant) {
				t.Fatalf("at %v from %q cannot be answered", at, rawQuery)
			}
		} else if e := apiError(err); e == nil || e.Code != CodeBadRequest {
			t.Fatalf("at: %v is not a bad_request", err)
		}
		for _, route := range []string{"/leas/" + lea + "/students", "/journal", "/students/" + st.SSID + "/reports"} {
			req := httptest.NewRequest("GET", "http://127.0.0.1/control/v1/sandboxes/default"+route, nil)
			req.URL.RawQuery = rawQuery
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			body := rec.Body.Bytes()
			if !json.Valid(body) {
				t.Fatalf("%s?%s: %d with a body that is not JSON: %.200q", route, rawQuery, rec.Code, body)
			}
			switch rec.Code {
			case http.StatusOK:
			case http.StatusBadRequest, http.StatusNotFound:
				var env errorBody
				if json.NewDecoder(bytes.NewReader(body)).Decode(&env) != nil || env.Error == nil || env.Error.Message == "" {
					t.Fatalf("%s?%s: %d without the envelope: %.200q", route, rawQuery, rec.Code, body)
				}
			default:
				t.Fatalf("%s?%s: status %d: %.200q", route, rawQuery, rec.Code, body)
			}
		}
	})
}

package server

import (
	"net/url"
	"testing"
	"time"

	"github.com/ssrmock/ssrmock/server/simclock"
)

// FuzzDecode feeds arbitrary bodies to every request decoder: each must answer with an
// *Error or succeed, never panic.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{}`, `{"seed":1,"scenario":"2018-19"}`, `{"advance":"72h"}`, `{"to":"2019-05-15T08:00:00Z"}`,
		`{"route":"pdf","status":503,"retryAfter":"10s"}`, `{"username":"a","secretKey":"b"}`, `{"lea":"01100170000000"}`, `[`, `{"a":1}{`, "\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		targets := []any{&sandboxSpec{}, &clockRequest{}, &credentialRequest{}, &tokenRequest{}, &transferRequest{}, &Fault{}}
		for _, v := range targets {
			if err := decodeBytes(body, v); err != nil && apiError(err) == nil {
				t.Fatalf("decode %T: error %v is not an API error", v, err)
			}
		}
		var flt Fault
		if decodeBytes(body, &flt) == nil {
			if err := flt.validate(); err != nil && apiError(err) == nil {
				t.Fatalf("validate: %v is not an API error", err)
			}
		}
	})
}

// FuzzParseLink feeds arbitrary link queries to the link parser and verifier.
func FuzzParseLink(f *testing.F) {
	f.Add("sbx-1", "1234567890-2019-sb.en", "v=1&expires=1550000000&sig=abc")
	f.Add("default", "x", "v=-1&expires=&sig=%%")
	sb := &Sandbox{ID: "sbx-1", key: []byte("k")}
	f.Fuzz(func(t *testing.T, sbx, id, rawQuery string) {
		q, err := url.ParseQuery(rawQuery)
		if err != nil {
			return
		}
		l, sig, err := parseLink(sbx, id, q)
		if err != nil {
			if apiError(err) == nil {
				t.Fatalf("parseLink: %v is not an API error", err)
			}
			return
		}
		if string(sig) == string(sb.mac("link", l.message())) {
			t.Fatalf("fuzzed signature %x verified", sig)
		}
		splitListingID(id)
	})
}

// FuzzParseToken feeds arbitrary bearer tokens to the token parser and checker: the only
// tokens accepted are the ones the server itself signed, byte for byte.
func FuzzParseToken(f *testing.F) {
	start := time.Date(2019, 2, 11, 16, 0, 0, 0, time.UTC)
	sb := &Sandbox{ID: "sbx-1", key: []byte("k"), clock: simclock.New(start, nil), credentials: map[string]*credential{
		"01100170000000": {lea: "01100170000000", generation: 1, expiresAt: start.Add(time.Hour)},
	}}
	f.Add(sb.signToken(accessToken{sandbox: "sbx-1", lea: "01100170000000", generation: 1, expires: start.Add(time.Minute)}))
	f.Add("a.b")
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		tk, payload, sig, ok := parseToken(token)
		if !ok {
			return
		}
		if _, err := sb.checkTokenLocked(tk, payload, sig); err == nil && sb.signToken(tk) != token {
			t.Fatalf("token %q was accepted but is not the one the server signs for %+v", token, tk)
		}
	})
}

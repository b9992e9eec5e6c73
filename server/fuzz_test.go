package server

import (
	"bytes"
	"crypto/hmac"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ssrmock/ssrmock/server/store"
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

// FuzzParseLink feeds arbitrary link queries to the link parser: a link whose signature
// verifies must carry exactly the values the server writes, and listing IDs must round-trip.
func FuzzParseLink(f *testing.F) {
	sb := &Sandbox{ID: "sbx-1", key: []byte("k")}
	signed := sb.signLink(link{sandbox: "sbx-1", id: "1234567890-2019-sb.en", version: 1, expires: time.Unix(1550000000, 0)})
	_, signedQuery, _ := strings.Cut(signed, "?")
	f.Add("sbx-1", "1234567890-2019-sb.en", signedQuery)
	f.Add("sbx-1", "1234567890-2019-sb.en", strings.Replace(signedQuery, "sig=", "sig=%0D", 1))
	f.Add("sbx-1", "1234567890-2019-sb.en", strings.Replace(signedQuery, "v=1", "v=01", 1))
	f.Add("default", "x", "v=-1&expires=&sig=%%")
	f.Fuzz(func(t *testing.T, sbx, id, rawQuery string) {
		if rep, lang, ok := splitListingID(id); ok && rep+"."+string(lang) != id {
			t.Fatalf("splitListingID(%q) = %q, %q: does not rebuild the ID", id, rep, lang)
		}
		q, err := url.ParseQuery(rawQuery)
		if err != nil {
			return
		}
		lq := readLinkQuery(rawQuery)
		l, err := parseLink(sbx, id, lq)
		if err != nil {
			if apiError(err) == nil {
				t.Fatalf("parseLink: %v is not an API error", err)
			}
			return
		}
		sig, canonical := appendCanonical(nil, lq.sig)
		signed := sb.signedLink(l, lq.sig)
		if signed != hmac.Equal(sig, sb.mac("link", l.appendMessage(nil))) || signed && !canonical {
			t.Fatalf("sig=%q: signedLink says %v; decoded (canonical %v), the signature compares %v", lq.sig, signed, canonical, !signed)
		}
		if sbx == sb.ID {
			cl, cSigned, cErr := sb.checkLink(id, lq)
			if cl != l || cSigned != signed || (cErr != nil) != (!signed && !canonical) {
				t.Fatalf("checkLink = %+v, %v, %v; parseLink %+v, signed %v, canonical %v", cl, cSigned, cErr, l, signed, canonical)
			}
		}
		if !signed {
			return
		}
		_, wantQuery, _ := strings.Cut(sb.signLink(l), "?")
		want, _ := url.ParseQuery(wantQuery)
		for _, k := range []string{"v", "expires", "sig"} {
			if q.Get(k) != want.Get(k) {
				t.Fatalf("a link with %s=%q verified; the server signs %s=%q", k, q.Get(k), k, want.Get(k))
			}
		}
	})
}

// FuzzReadLinkQuery: readLinkQuery reads what the URL's Query method would, with or
// without its shortcut.
func FuzzReadLinkQuery(f *testing.F) {
	f.Add("expires=1549902600&sig=v4sgoUlhAid_VrQ_U2SjjzvWdsWqLXZDYtl_a5I5LVI&v=1")
	f.Add("v=1&v=2&expires=&sig")
	f.Add("v=%31&expires=1;x&sig=a+b&&=&sig=")
	f.Add(strings.Repeat("v=1&", 70))
	f.Fuzz(func(t *testing.T, raw string) {
		vals, _ := url.ParseQuery(raw)
		want := linkQuery{v: vals.Get("v"), expires: vals.Get("expires"), sig: vals.Get("sig"),
			nV: len(vals["v"]), nExpires: len(vals["expires"]), nSig: len(vals["sig"])}
		if got := readLinkQuery(raw); got != want {
			t.Fatalf("readLinkQuery(%q) = %+v, the URL's query says %+v", raw, got, want)
		}
	})
}

// FuzzParseToken feeds arbitrary bearer tokens to the token parser and checker: the only
// tokens accepted are the ones the server itself signed, byte for byte.
func FuzzParseToken(f *testing.F) {
	start := time.Date(2019, 2, 11, 16, 0, 0, 0, time.UTC)
	sb := stateSandbox("sbx-1", []byte("k"), store.State{Clock: store.Clock{Now: start}, Credentials: map[string]store.Credential{
		"01100170000000": {LEA: "01100170000000", Generation: 1, ExpiresAt: start.Add(time.Hour)},
	}})
	f.Add(sb.signToken(accessToken{sandbox: "sbx-1", lea: "01100170000000", generation: 1, expires: start.Add(time.Minute)}))
	f.Add("a.b")
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		tk, payload, sig, ok := parseToken(token)
		// Through a memo, a token parses as it does without one, the first time and after.
		var m memo[parsedToken]
		for range 2 {
			mt, mp, ms, mok := parseTokenVia(&m, token)
			if mok != ok || mt != tk || !bytes.Equal(mp, payload) || !bytes.Equal(ms, sig) {
				t.Fatalf("token %q: parsed through the memo, %+v %v; without, %+v %v", token, mt, mok, tk, ok)
			}
		}
		if !ok {
			return
		}
		if _, err := sb.checkToken(sb.state(), tk, payload, sig, sb.now()); err == nil && sb.signToken(tk) != token {
			t.Fatalf("token %q was accepted but is not the one the server signs for %+v", token, tk)
		}
	})
}

// FuzzAppendCanonical holds appendCanonical to its definition: it accepts exactly the
// strings that base64url-decode to bytes whose unpadded encoding is the string itself, and
// appends those bytes after what dst held.
func FuzzAppendCanonical(f *testing.F) {
	for _, s := range []string{"", "a", "ab", "abc", "abcd", "AQ", "AR", "AQ\n", "A\rQ", "_-", "+/", "AQ==", "QUJD"} {
		f.Add("", s)
		f.Add("prefix", s)
	}
	f.Fuzz(func(t *testing.T, prefix, enc string) {
		b, ok := appendCanonical([]byte(prefix), enc)
		want, err := base64.RawURLEncoding.DecodeString(enc)
		wantOK := err == nil && base64.RawURLEncoding.EncodeToString(want) == enc
		if ok != wantOK || (ok && string(b) != prefix+string(want)) {
			t.Fatalf("appendCanonical(%q, %q) = %q, %v; the encoding's round trip says %q, %v", prefix, enc, b, ok, prefix+string(want), wantOK)
		}
	})
}

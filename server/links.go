package server

import (
	"crypto/hmac"
	"encoding/base64"
	"net/url"
	"strconv"
	"time"
)

// linkLifetime is how long a report link lives, in sandbox time.
const linkLifetime = 30 * time.Minute

// link is a signed, expiring address of one version of one report language.
type link struct {
	sandbox string
	id      string // listing ID: report ID and language
	version int
	expires time.Time
}

// linkMessage is what a link's signature covers.
func (l link) message() []byte {
	return []byte(l.sandbox + "\x00" + l.id + "\x00" + strconv.Itoa(l.version) + "\x00" + strconv.FormatInt(l.expires.Unix(), 10))
}

// signLink returns the link's path and query, relative to the server's root.
func (sb *Sandbox) signLink(l link) string {
	q := url.Values{}
	q.Set("v", strconv.Itoa(l.version))
	q.Set("expires", strconv.FormatInt(l.expires.Unix(), 10))
	q.Set("sig", base64.RawURLEncoding.EncodeToString(sb.mac("link", l.message())))
	return "/api/v1/files/" + url.PathEscape(l.sandbox) + "/" + url.PathEscape(l.id) + "?" + q.Encode()
}

// parseLink reads a link's query. It does not verify the signature: see verifyLink.
func parseLink(sandbox, id string, q url.Values) (l link, sig []byte, err error) {
	bad := Errorf(CodeSignatureInvalid, "the report link has been altered or is incomplete: ask the service for a new one")
	if len(q["v"]) != 1 || len(q["expires"]) != 1 || len(q["sig"]) != 1 {
		return l, nil, bad
	}
	version, err1 := strconv.Atoi(q.Get("v"))
	expires, err2 := strconv.ParseInt(q.Get("expires"), 10, 64)
	sig, err3 := base64.RawURLEncoding.DecodeString(q.Get("sig"))
	// Only the canonical forms the server writes: the base64 decoder would skip line breaks.
	canonical := q.Get("v") == strconv.Itoa(version) && q.Get("expires") == strconv.FormatInt(expires, 10) &&
		base64.RawURLEncoding.EncodeToString(sig) == q.Get("sig")
	if err1 != nil || err2 != nil || err3 != nil || version < 1 || !canonical {
		return l, nil, bad
	}
	return link{sandbox: sandbox, id: id, version: version, expires: time.Unix(expires, 0)}, sig, nil
}

// verifyLink checks a link's signature, then its expiry against the sandbox clock.
func (sb *Sandbox) verifyLink(l link, sig []byte) error {
	if !hmac.Equal(sig, sb.mac("link", l.message())) {
		return Errorf(CodeSignatureInvalid, "the report link has been altered: ask the service for a new one")
	}
	if !sb.now().Before(l.expires) {
		return Errorf(CodeLinkExpired, "the report link expired at %s: links live %v; list the student's reports again for a fresh one", pacificTime(l.expires), linkLifetime)
	}
	return nil
}

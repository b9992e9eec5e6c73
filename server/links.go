package server

import (
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// linkLifetime is how long a report link lives, in sandbox time.
const linkLifetime = 30 * time.Minute

// link is a signed, expiring address of one version of one report language.
type link = linkOf[string]

// linkOf is a link whose listing ID is a string or, as the listing writer makes it on its
// stack, bytes.
type linkOf[ID ~string | ~[]byte] struct {
	sandbox string
	id      ID // listing ID: report ID, language and, for a format other than PDF, format
	version int
	expires time.Time
}

// appendMessage appends what a link's signature covers to b.
func (l linkOf[ID]) appendMessage(b []byte) []byte {
	b = append(append(b, l.sandbox...), 0)
	b = append(append(b, l.id...), 0)
	b = append(strconv.AppendInt(b, int64(l.version), 10), 0)
	return strconv.AppendInt(b, l.expires.Unix(), 10)
}

// signLink returns the link's path and query, relative to the server's root.
func (sb *Sandbox) signLink(l link) string { return string(appendSignedLink(nil, sb, nil, l)) }

// appendSignedLink appends the link's address to b: base (the server's URL), the path and a
// query that is what url.Values.Encode writes for v, expires and sig (keys sorted; none of
// the values needs escaping), built directly because every listed report carries one.
func appendSignedLink[ID ~string | ~[]byte](b []byte, sb *Sandbox, base []byte, l linkOf[ID]) []byte {
	var msg [128]byte
	sig := sb.mac("link", l.appendMessage(msg[:0]))
	b = append(b, base...)
	b = append(b, "/api/v1/files/"...)
	b = appendPathSegment(b, l.sandbox)
	b = append(b, '/')
	b = appendPathSegment(b, l.id)
	b = append(b, "?expires="...)
	b = strconv.AppendInt(b, l.expires.Unix(), 10)
	b = append(b, "&sig="...)
	b = base64.RawURLEncoding.AppendEncode(b, sig)
	b = append(b, "&v="...)
	return strconv.AppendInt(b, int64(l.version), 10)
}

// appendPathSegment appends s escaped as url.PathEscape escapes it. A segment of letters,
// digits and "-._~", as every sandbox name and listing ID the server makes, is copied;
// anything else goes through url.PathEscape.
func appendPathSegment[S ~string | ~[]byte](b []byte, s S) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !unreservedByte(c) {
			return append(b, url.PathEscape(string(s))...)
		}
	}
	return append(b, s...)
}

// unreservedByte reports whether c is one of RFC 3986's unreserved characters, which no
// escaping changes.
func unreservedByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

// linkQuery is what parseLink reads of a link's query: the first value of each of its
// three parameters, and how many values each came with.
type linkQuery struct {
	v, expires, sig    string
	nV, nExpires, nSig int
}

// readLinkQuery reads a raw query as the URL's Query method does (url.ParseQuery, its error
// ignored), keeping what parseLink reads. A short query with nothing to unescape, as every
// link the server writes, is split in place, without a map; any other goes through
// url.ParseQuery, its limits on long queries included. FuzzReadLinkQuery holds the two ways
// to the same answers.
func readLinkQuery(raw string) linkQuery {
	var q linkQuery
	// Three searches for one byte each, which run many bytes at a time, are quicker than one
	// for any of the three.
	escaped := strings.IndexByte(raw, '%') >= 0 || strings.IndexByte(raw, '+') >= 0 || strings.IndexByte(raw, ';') >= 0
	if escaped || strings.Count(raw, "&") > 64 {
		vals, _ := url.ParseQuery(raw)
		for _, k := range []string{"v", "expires", "sig"} {
			for _, v := range vals[k] {
				q.add(k, v)
			}
		}
		return q
	}
	for rest := raw; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		if pair != "" {
			k, v, _ := strings.Cut(pair, "=")
			q.add(k, v)
		}
	}
	return q
}

// add counts a parameter's value, keeping the first.
func (q *linkQuery) add(k, v string) {
	var first *string
	var n *int
	switch k {
	case "v":
		first, n = &q.v, &q.nV
	case "expires":
		first, n = &q.expires, &q.nExpires
	case "sig":
		first, n = &q.sig, &q.nSig
	default:
		return
	}
	if *n == 0 {
		*first = v
	}
	*n++
}

// parseLink reads a link's query but for its signature, which checkLink and signedLink
// compare with the sandbox's.
func parseLink(sandbox, id string, q linkQuery) (l link, err error) {
	if q.nV != 1 || q.nExpires != 1 || q.nSig != 1 {
		return l, badLink()
	}
	version, err1 := strconv.Atoi(q.v)
	expires, err2 := strconv.ParseInt(q.expires, 10, 64)
	// Only the canonical forms the server writes.
	canonical := canonicalInt(int64(version), q.v) && canonicalInt(expires, q.expires)
	if err1 != nil || err2 != nil || version < 1 || !canonical {
		return l, badLink()
	}
	return link{sandbox: sandbox, id: id, version: version, expires: time.Unix(expires, 0)}, nil
}

// checkLink reads the link a file request names (parseLink) and reports whether the sandbox
// signed it. It does not check the expiry: see verifyLink. A signature that is not even
// unpadded base64url, byte for byte as the server writes one, is a query the server did not
// write, answered as a bad parameter is.
func (sb *Sandbox) checkLink(id string, q linkQuery) (l link, signed bool, err error) {
	if l, err = parseLink(sb.ID, id, q); err != nil {
		return l, false, err
	}
	if sb.signedLink(l, q.sig) {
		return l, true, nil
	}
	var buf [sha256.Size]byte
	if _, ok := appendCanonical(buf[:0], q.sig); !ok {
		return l, false, badLink()
	}
	return l, false, nil
}

// badLink is the answer to a link whose query is not one the server wrote.
func badLink() error {
	return Errorf(CodeSignatureInvalid, "the report link has been altered or is incomplete: ask the service for a new one")
}

// canonicalInt reports whether s is n as strconv writes it.
func canonicalInt(n int64, s string) bool {
	var buf [20]byte
	return string(strconv.AppendInt(buf[:0], n, 10)) == s
}

// signedLink reports whether sig, as the link's query carries it, is the sandbox's signature
// of l. The signature is encoded and compared as text: the encoding the server writes is the
// only one that matches, and encoding is cheaper than decoding.
func (sb *Sandbox) signedLink(l link, sig string) bool {
	var msg [128]byte
	var enc [64]byte // room for the 43 characters of a SHA-256 MAC
	want := base64.RawURLEncoding.AppendEncode(enc[:0], sb.mac("link", l.appendMessage(msg[:0])))
	return sameSignature(want, sig)
}

// sameSignature reports whether sig is want, in a time that does not depend on where the two
// differ, as crypto/subtle.ConstantTimeCompare compares (which would take sig as bytes,
// copied).
func sameSignature(want []byte, sig string) bool {
	if len(want) != len(sig) {
		return false
	}
	var diff byte
	for i := range want {
		diff |= want[i] ^ sig[i]
	}
	return diff == 0
}

// verifyLink checks a link's signature (signed is signedLink's answer), then its expiry at
// now, the request's sandbox time.
func verifyLink(l link, signed bool, now time.Time) error {
	if !signed {
		return Errorf(CodeSignatureInvalid, "the report link has been altered: ask the service for a new one")
	}
	if !now.Before(l.expires) {
		return Errorf(CodeLinkExpired, "the report link expired at %s: links live %v; list the student's reports again for a fresh one", pacificTime(l.expires), linkLifetime)
	}
	return nil
}

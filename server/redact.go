package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"net/url"
	"slices"
	"strings"
)

// A vendor that puts credentials in a URL leaks them into proxy and server logs and browser
// history, so the journal flags it, and never keeps what it found. What counts as credential
// material in a vendor request's URL (path segments, query parameter names and values,
// percent-decoded, and the raw query for pairs that do not decode):
//
//   - the current Secret Key of any LEA of the sandbox, also inside a longer string;
//   - an access token the sandbox signed (valid, expired or superseded alike), also inside a
//     longer string such as "Bearer <token>";
//   - on a report link, the link's own signature anywhere but its sig parameter.
//
// Anything else, however secret-looking, is not flagged: secretInUrl is evidence, not a guess.

// urlScan is what the journal keeps of a request URL.
type urlScan struct {
	path   string   // redacted path
	names  []string // query parameter names, sorted, unsafe ones redacted
	secret bool     // credential material found
}

// redacted replaces whatever the journal must not keep.
const redacted = "{redacted}"

// scanURL looks for credential material of sb in u, the URL of a request that names no
// report link (a download's URL is scanned with its link's signature: fileRequest).
func (sb *Sandbox) scanURL(u *url.URL) urlScan {
	snap := sb.cur.Load()
	var buf [320]byte
	k := appendURLKey(buf[:0], u)
	if scan, ok := snap.scans.get(k); ok {
		return scan
	}
	scan := sb.scanURLIn(snap, u, "")
	snap.scans.put(string(k), scan)
	return scan
}

// appendURLKey appends to b what the memos of request URLs key u by: its path after its
// length, then its raw query.
func appendURLKey(b []byte, u *url.URL) []byte {
	b = binary.AppendUvarint(b, uint64(len(u.Path)))
	return append(append(b, u.Path...), u.RawQuery...)
}

// scanURLIn is scanURL under the state of snap, without the memo. linkSig, when not empty,
// is the verified signature of the report link u addresses: its place is the sig parameter
// and nowhere else.
func (sb *Sandbox) scanURLIn(snap *snapshot, u *url.URL, linkSig string) urlScan {
	secrets := snap.secretHashes()
	// Nothing shorter than a Secret Key or the link's signature holds one of the three (a
	// token is longer than both).
	shortest := secretLength
	if linkSig != "" {
		shortest = min(shortest, len(linkSig))
	}
	found := func(s string) bool {
		if len(s) < shortest {
			return false
		}
		return hasSecret(s, secrets) || sb.hasToken(s) || (linkSig != "" && strings.Contains(s, linkSig))
	}
	var out urlScan

	path := u.Path
	for seg := range strings.SplitSeq(u.Path, "/") {
		if seg != "" && found(seg) {
			out.secret = true
		}
	}
	if out.secret {
		segs := strings.Split(u.Path, "/")
		for i, seg := range segs {
			if seg != "" && found(seg) {
				segs[i] = redacted
			}
		}
		path = strings.Join(segs, "/")
	}
	out.path = redactPath(path)

	if u.RawQuery != "" {
		out.names = make([]string, 0, strings.Count(u.RawQuery, "&")+1)
	}
	for pair := range strings.SplitSeq(u.RawQuery, "&") {
		if pair == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(pair, "=")
		name, value := unescapeOrRaw(rawName), unescapeOrRaw(rawValue)
		nameBad := found(name) || (rawName != name && found(rawName))
		if nameBad {
			out.secret = true
		}
		legit := linkSig != "" && name == "sig" && value == linkSig
		if !legit && (found(value) || (rawValue != value && found(rawValue))) {
			out.secret = true
		}
		if nameBad || !safeParamName(name) {
			name = redacted
		}
		out.names = append(out.names, name)
	}
	slices.Sort(out.names)
	out.names = slices.Compact(out.names)
	return out
}

// unescapeOrRaw percent-decodes a query component, or returns it as sent when it does not decode.
func unescapeOrRaw(s string) string {
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}

// safeParamName reports whether a query parameter name may be journaled as sent: short plain
// names only. A name of 20 characters or more could hold a Secret Key, which is 20 long.
func safeParamName(name string) bool {
	if len(name) == 0 || len(name) >= secretLength {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._-[]", c)) {
			return false
		}
	}
	return true
}

// secretHashes are the SHA-256 sums of the Secret Keys current in a state, drawn once.
func (snap *snapshot) secretHashes() [][sha256.Size]byte {
	snap.hashesOnce.Do(func() {
		for _, c := range snap.st.Credentials {
			snap.hashes = append(snap.hashes, c.SecretHash)
		}
	})
	return snap.hashes
}

// hasSecret reports whether s contains a string whose SHA-256 is one of hashes: a Secret Key,
// which is secretLength characters of secretAlphabet. Only windows of alphabet characters are
// hashed, so an ordinary URL costs nothing.
func hasSecret(s string, hashes [][sha256.Size]byte) bool {
	if len(hashes) == 0 || len(s) < secretLength {
		return false
	}
	run := 0 // alphabet characters ending at i
	for i := 0; i < len(s); i++ {
		if !inSecretAlphabet(s[i]) {
			run = 0
			continue
		}
		if run++; run < secretLength {
			continue
		}
		sum := sha256.Sum256([]byte(s[i+1-secretLength : i+1]))
		for _, h := range hashes {
			if subtle.ConstantTimeCompare(sum[:], h[:]) == 1 {
				return true
			}
		}
	}
	return false
}

// secretAlphabetSet holds the characters of secretAlphabet.
var secretAlphabetSet = func() (set [256]bool) {
	for i := 0; i < len(secretAlphabet); i++ {
		set[secretAlphabet[i]] = true
	}
	return set
}()

func inSecretAlphabet(c byte) bool { return secretAlphabetSet[c] }

// tokenSigChars is the length of a token's signature, base64url without padding: 32 bytes.
const tokenSigChars = 43

// maxTokenTries bounds the candidate tokens one string is checked for.
const maxTokenTries = 4096

// hasToken reports whether s contains an access token this sandbox signed. A token is
// payload.signature in base64url; every dot followed by a signature's worth of base64url is a
// candidate, with every start of the base64url run before it, so that a token glued to other
// characters is still found.
func (sb *Sandbox) hasToken(s string) bool {
	tries := 0
	for dot := strings.IndexByte(s, '.'); dot >= 0; {
		end := dot + 1 + tokenSigChars
		if end <= len(s) && allBase64URL(s[dot+1:end]) {
			start := dot
			for start > 0 && isBase64URL(s[start-1]) && dot-start < 512 {
				start--
			}
			for j := start; j < dot; j++ {
				if tries++; tries > maxTokenTries {
					return false
				}
				if sb.isOwnToken(s[j:end]) {
					return true
				}
			}
		}
		next := strings.IndexByte(s[dot+1:], '.')
		if next < 0 {
			break
		}
		dot += 1 + next
	}
	return false
}

// isOwnToken reports whether token is one this sandbox signed, whatever its state.
func (sb *Sandbox) isOwnToken(token string) bool {
	t, payload, sig, ok := parseToken(token)
	return ok && t.sandbox == sb.ID && hmac.Equal(sig, sb.mac("token", payload))
}

func allBase64URL(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isBase64URL(s[i]) {
			return false
		}
	}
	return true
}

func isBase64URL(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

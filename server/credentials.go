package server

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"hash"
	"io"
	"strings"
	"time"

	"github.com/ssrmock/ssrmock/fixtures"
	"github.com/ssrmock/ssrmock/server/store"
)

// secretLength is the length of a TOMS Secret Key.
const secretLength = 20

// secretAlphabet is what secret keys are drawn from: letters and digits, without look-alikes.
const secretAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"

// tokenLifetime is how long an access token lives, in sandbox time.
const tokenLifetime = 30 * time.Minute

// supersededKept bounds how many superseded User Names per LEA are remembered, so that the
// journal can tell a superseded pair from an unknown one without growing without bound. A
// vendor may go on sending a pair long after it was replaced, so the bound is far beyond any
// number of regenerations a test makes (about 300 KiB per LEA at the bound).
const supersededKept = 10_000

// Coordinators who may generate credentials in TOMS.
const (
	CoordinatorCAASPP = "caaspp"
	CoordinatorELPAC  = "elpac"
)

// issuedCredential is what TOMS shows the coordinator once, right after generating.
type issuedCredential struct {
	LEA         string    `json:"lea"`
	School      string    `json:"school,omitempty"`
	Username    string    `json:"username"`
	SecretKey   string    `json:"secretKey"`
	GeneratedAt time.Time `json:"generatedAt"`
	ExpiresAt   time.Time `json:"expiresAt"`
	Coordinator string    `json:"coordinator"`
	Generation  int       `json:"generation"`
}

// credentialStatus is what TOMS shows about an LEA's credentials later: never the secret.
type credentialStatus struct {
	LEA         string     `json:"lea"`
	School      string     `json:"school,omitempty"`
	Status      string     `json:"status"` // none, active, expired
	Username    string     `json:"username,omitempty"`
	GeneratedAt *time.Time `json:"generatedAt,omitempty"`
	ExpiresAt   *time.Time `json:"expiresAt,omitempty"`
	Coordinator string     `json:"coordinator,omitempty"`
	Generation  int        `json:"generation"`
	// Reminders are the instants TOMS reminds the coordinator of the coming expiry.
	Reminders []time.Time `json:"reminders,omitempty"`
}

// generateCredentials makes a new pair for lea, superseding the old one at once: when it
// returns, no request with the old pair or a token minted under it succeeds.
func (s *Server) generateCredentials(ctx context.Context, sb *Sandbox, lea, coordinator string, authorized bool) (issuedCredential, error) {
	return s.generatePair(ctx, sb, lea, "", coordinator, authorized)
}

// generatePair makes a new pair for lea, or for one of its schools when school is not "",
// superseding that holder's old pair (and no other) at once.
func (s *Server) generatePair(ctx context.Context, sb *Sandbox, lea, school, coordinator string, authorized bool) (issuedCredential, error) {
	if !authorized {
		return issuedCredential{}, Errorf(CodeAuthorizationRequired, "tick \"Authorization to Release Student Data to Vendors\" (authorizeRelease: true) before generating credentials")
	}
	if coordinator != CoordinatorCAASPP && coordinator != CoordinatorELPAC {
		return issuedCredential{}, Errorf(CodeBadRequest, "coordinator must be %q or %q", CoordinatorCAASPP, CoordinatorELPAC)
	}
	if _, ok := sb.world.LEA(lea); !ok {
		return issuedCredential{}, Errorf(CodeNotFound, "no LEA %s in this sandbox", lea)
	}
	username, err := s.newID("ssr", 12)
	if err != nil {
		return issuedCredential{}, err
	}
	secret, err := newSecret(s.random)
	if err != nil {
		return issuedCredential{}, err
	}
	now := sb.now()
	c, err := sb.store.Regenerate(ctx, sb.ID, holderKey(lea, school), store.Credential{
		LEA:         lea,
		School:      school,
		Username:    username,
		SecretHash:  sha256.Sum256([]byte(secret)),
		Coordinator: coordinator,
		GeneratedAt: now,
		ExpiresAt:   now.Add(sb.scenario.CredentialLifetime),
	}, supersededKept)
	if err == nil {
		err = sb.reload(ctx)
	}
	if err != nil {
		return issuedCredential{}, storeError(err)
	}
	return issuedCredential{
		LEA: lea, School: school, Username: username, SecretKey: secret,
		GeneratedAt: c.GeneratedAt, ExpiresAt: c.ExpiresAt,
		Coordinator: coordinator, Generation: c.Generation,
	}, nil
}

// newSecret draws a secret key from r without modulo bias.
func newSecret(r io.Reader) (string, error) {
	var b strings.Builder
	buf := make([]byte, 32)
	for b.Len() < secretLength {
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", err
		}
		for _, c := range buf {
			// 256 - 256%57 = 228: bytes at or above it would favour the first letters.
			if int(c) < 256-256%len(secretAlphabet) && b.Len() < secretLength {
				b.WriteByte(secretAlphabet[int(c)%len(secretAlphabet)])
			}
		}
	}
	return b.String(), nil
}

// credentialStatus reports the credentials of a holder (an LEA's code, or a school's for its
// own pair) as TOMS shows them.
func (sb *Sandbox) credentialStatus(holder string, reminders []time.Duration) credentialStatus {
	c, ok := sb.state().Credentials[holder]
	var st credentialStatus
	st.LEA, st.School = sb.holderScope(holder)
	st.Status = "none"
	if ok {
		st.Status = "active"
		if !sb.now().Before(c.ExpiresAt) {
			st.Status = "expired"
		}
		gen, exp := c.GeneratedAt, c.ExpiresAt
		st.Username, st.GeneratedAt, st.ExpiresAt = c.Username, &gen, &exp
		st.Coordinator, st.Generation = c.Coordinator, c.Generation
		for _, d := range reminders {
			st.Reminders = append(st.Reminders, c.ExpiresAt.Add(-d))
		}
	}
	return st
}

// Credential states, as the journal records them.
const (
	stateCurrent    = "current"
	stateValid      = "valid"
	stateSuperseded = "superseded"
	stateExpired    = "expired"
	stateUnknown    = "unknown"
)

// accessToken is what a bearer token says. Tokens are signed with the sandbox key, so the
// server keeps no table of them; one dies when its pair is superseded because its generation
// no longer matches.
type accessToken struct {
	sandbox    string
	lea        string
	generation int
	expires    time.Time
}

// checkSecretAndMint verifies username and secret against lea's current pair and, when they
// match, mints a token. It returns the credential state for the journal.
func (sb *Sandbox) checkSecretAndMint(lea, username, secret string) (token string, state string, err error) {
	st := sb.state()
	c, ok := st.Credentials[lea]
	if !ok {
		return "", stateUnknown, Errorf(CodeInvalidCredentials, "the User Name or Secret Key is not valid")
	}
	sum := sha256.Sum256([]byte(secret))
	if c.Username != username {
		// Compare anyway so that a superseded name costs the same time as a current one.
		subtle.ConstantTimeCompare(sum[:], c.SecretHash[:])
		return "", stateSuperseded, Errorf(CodeInvalidCredentials, "the User Name or Secret Key is not valid: only the most recently generated pair works")
	}
	if subtle.ConstantTimeCompare(sum[:], c.SecretHash[:]) != 1 {
		return "", stateUnknown, Errorf(CodeInvalidCredentials, "the User Name or Secret Key is not valid")
	}
	now := sb.nowIn(st.Clock)
	if !now.Before(c.ExpiresAt) {
		return "", stateExpired, Errorf(CodeCredentialsExpired, "these credentials expired on %s: the LEA coordinator must regenerate them in TOMS", c.ExpiresAt.In(fixtures.Pacific).Format("January 2, 2006"))
	}
	return sb.signToken(accessToken{sandbox: sb.ID, lea: lea, generation: c.Generation, expires: now.Add(tokenLifetime)}), stateCurrent, nil
}

// signToken encodes t as payload.signature, both base64url.
func (sb *Sandbox) signToken(t accessToken) string {
	payload := make([]byte, 0, 64)
	payload = binary.AppendVarint(payload, int64(t.generation))
	payload = binary.AppendVarint(payload, t.expires.Unix())
	payload = append(payload, t.lea...)
	payload = append(payload, 0)
	payload = append(payload, t.sandbox...)
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(sb.mac("token", payload))
}

// mac is HMAC-SHA256 under the sandbox key, separated by purpose. The result is shared:
// callers only read it.
func (sb *Sandbox) mac(purpose string, msg []byte) []byte {
	var buf [192]byte
	k := append(append(append(buf[:0], purpose...), 0), msg...)
	if sum, ok := sb.macMemo.get(k); ok {
		return sum[:]
	}
	key := string(k)
	m, _ := sb.macs.Get().(hash.Hash)
	if m == nil {
		m = hmac.New(sha256.New, sb.key)
	}
	m.Reset()
	m.Write([]byte(key))
	sum := new([sha256.Size]byte)
	m.Sum(sum[:0])
	sb.macs.Put(m)
	sb.macMemo.put(key, sum)
	return sum[:]
}

// parsedToken is what parseToken read of a token that parsed.
type parsedToken struct {
	t            accessToken
	payload, sig []byte
}

// parseTokenVia is parseToken through m, which remembers the tokens that parsed: a client
// sends the same one with every request of its hour, and what a string parses to never
// changes. The payload and signature it returns are shared: callers only read them.
func parseTokenVia(m *memo[parsedToken], token string) (accessToken, []byte, []byte, bool) {
	if p, ok := m.getString(token); ok {
		return p.t, p.payload, p.sig, true
	}
	t, payload, sig, ok := parseToken(token)
	if ok {
		m.put(token, parsedToken{t, payload, sig})
	}
	return t, payload, sig, ok
}

// parseToken decodes a token's payload without verifying it: enough to find its sandbox.
func parseToken(token string) (t accessToken, payload, sig []byte, ok bool) {
	p, s, found := strings.Cut(token, ".")
	if !found || len(token) > 512 {
		return t, nil, nil, false
	}
	// Only the canonical encoding is a token, so that no two strings are the same token.
	// Payload and signature share one buffer.
	buf := make([]byte, 0, strictRawURL.DecodedLen(len(p))+strictRawURL.DecodedLen(len(s)))
	payload, ok1 := appendCanonical(buf, p)
	sig, ok2 := appendCanonical(payload[len(payload):], s)
	if !ok1 || !ok2 {
		return t, nil, nil, false
	}
	gen, n := binary.Varint(payload)
	if n <= 0 {
		return t, nil, nil, false
	}
	exp, m := binary.Varint(payload[n:])
	if m <= 0 {
		return t, nil, nil, false
	}
	lea, sbx, found := strings.Cut(string(payload[n+m:]), "\x00")
	if !found {
		return t, nil, nil, false
	}
	return accessToken{sandbox: sbx, lea: lea, generation: int(gen), expires: time.Unix(exp, 0)}, payload, sig, true
}

// strictRawURL is unpadded base64url that refuses a last character with bits left over.
var strictRawURL = base64.RawURLEncoding.Strict()

// appendCanonical appends the bytes enc encodes to dst, only when enc is the unpadded
// base64url encoding of them, byte for byte: the decoder would skip line breaks, and
// strictRawURL refuses the leftover bits that would let two strings decode alike.
func appendCanonical(dst []byte, enc string) ([]byte, bool) {
	if strings.ContainsAny(enc, "\r\n") {
		return dst, false
	}
	b, err := strictRawURL.AppendDecode(dst, []byte(enc))
	return b, err == nil
}

// checkToken verifies a token against the sandbox state st. It returns the token's state
// for the journal.
func (sb *Sandbox) checkToken(st store.State, t accessToken, payload, sig []byte, now time.Time) (state string, err error) {
	if !hmac.Equal(sig, sb.mac("token", payload)) {
		return stateUnknown, Errorf(CodeInvalidToken, "the access token is not valid")
	}
	c, ok := st.Credentials[t.lea]
	if !ok || c.Generation != t.generation {
		return stateSuperseded, Errorf(CodeInvalidToken, "the access token was issued under credentials that have since been regenerated: request a new token with the new User Name and Secret Key")
	}
	if !now.Before(c.ExpiresAt) {
		return stateExpired, Errorf(CodeTokenExpired, "the credentials this token was issued under have expired")
	}
	if !now.Before(t.expires) {
		return stateExpired, Errorf(CodeTokenExpired, "the access token has expired: request a new one")
	}
	return stateValid, nil
}

package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ssrmock/ssrmock/server/store"
)

// TestSecretInURLOnEveryVendorRoute puts credential material in every part of the URL of
// every vendor route, through HTTP, and reads the journal: each such request is flagged and
// none of it is kept; ordinary requests, and look-alikes the sandbox never issued, are not
// flagged.
func TestSecretInURLOnEveryVendorRoute(t *testing.T) {
	e := newTestEnv(t)
	sbx := e.newSandbox(map[string]any{"seed": 11, "scale": "tiny", "clockStart": "2019-12-01T08:00:00Z"}).ID
	lea := e.firstLEA(sbx).CDS
	c := e.generate(sbx, lea)
	tok := e.token(c)
	other := e.newSandbox(map[string]any{"seed": 12, "scale": "tiny", "clockStart": "2019-12-01T08:00:00Z"}).ID
	otherTok := e.token(e.generate(other, e.firstLEA(other).CDS))
	ssid := ""
	var link string
	for _, st := range e.roster(sbx, lea, 50) {
		if l := e.list(tok, st.SSID); len(l.Reports) > 0 {
			ssid, link = st.SSID, strings.TrimPrefix(l.Reports[0].URL, e.ts.URL)
			break
		}
	}
	if link == "" {
		t.Fatal("no student with a released report")
	}
	linkURL, _ := url.Parse(link)
	sig := linkURL.Query().Get("sig")
	reports := "/api/v1/students/" + ssid + "/reports"
	auth := []string{"Authorization", "Bearer " + tok}
	tokenBody := map[string]string{"username": c.Username, "secretKey": c.SecretKey}
	esc := url.QueryEscape

	type req struct {
		name, method, path string
		flagged            bool
	}
	cases := []req{
		{"plain token request", "POST", "/api/v1/token", false},
		{"plain listing", "GET", reports, false},
		{"plain PDF link", "GET", link, false},
		{"PDF link with an unrelated parameter", "GET", link + "&utm=portal", false},
		{"listing with a made-up 20-character key", "GET", reports + "?key=Kq7ZmVx3RtP9bWc2HnYd", false},
		{"listing with another sandbox's token", "GET", reports + "?t=" + otherTok, false},
		{"listing with a sig parameter of no link", "GET", reports + "?sig=" + strings.Repeat("A", 43), false},

		{"secret as a token query value", "POST", "/api/v1/token?secretKey=" + c.SecretKey, true},
		{"secret as a token query name", "POST", "/api/v1/token?" + c.SecretKey, true},
		{"secret as a token query name with a value", "POST", "/api/v1/token?" + c.SecretKey + "=1", true},
		{"secret as a listing query value", "GET", reports + "?secretKey=" + c.SecretKey, true},
		{"secret as a listing query name", "GET", reports + "?" + c.SecretKey + "=x", true},
		{"secret inside a longer value", "GET", reports + "?auth=" + esc(c.Username+":"+c.SecretKey), true},
		{"secret glued to letters", "GET", reports + "?k=abc" + c.SecretKey + "xyz", true},
		{"secret percent-encoded", "GET", reports + "?k=" + percentEncodeAll(c.SecretKey), true},
		{"secret in a malformed pair", "GET", reports + "?k=%zz" + c.SecretKey, true},
		{"secret in the listing path", "GET", "/api/v1/students/" + c.SecretKey + "/reports", true},
		{"token as a listing query value", "GET", reports + "?access_token=" + tok, true},
		{"token as a listing query name", "GET", reports + "?" + tok, true},
		{"Bearer token in a query value", "GET", reports + "?authorization=" + esc("Bearer "+tok), true},
		{"token in the listing path", "GET", "/api/v1/students/" + tok + "/reports", true},
		{"token added to a PDF link", "GET", link + "&access_token=" + tok, true},
		{"token as a PDF link's query name", "GET", link + "&" + tok, true},
		{"secret added to a PDF link", "GET", link + "&key=" + c.SecretKey, true},
		{"token on the token route", "POST", "/api/v1/token?refresh=" + tok, true},
		{"link signature in another parameter", "GET", link + "&signature=" + sig, true},
		{"link signature in the path", "GET", strings.Replace(link, "/api/v1/files/", "/api/v1/files/"+sig+"/", 1), false /* another route: not found */},
	}
	for _, tc := range cases {
		var body any
		if tc.method == "POST" {
			body = tokenBody
		}
		e.do(tc.method, tc.path, body, auth...)
	}
	_, _, raw := e.do("GET", "/control/v1/sandboxes/"+sbx+"/journal", nil)
	for _, secret := range []string{c.SecretKey, tok, sig, esc(c.SecretKey)} {
		if strings.Contains(string(raw), secret) {
			t.Fatalf("the journal keeps %q: %s", secret, raw)
		}
	}
	var page store.JournalPage
	e.mustDo("GET", "/control/v1/sandboxes/"+sbx+"/journal", nil, http.StatusOK, &page)
	var got []JournalEntry
	for _, en := range page.Entries {
		if en.Client == "" && en.Seq > 0 {
			got = append(got, en)
		}
	}
	// The setup made one token request and up to 50 listings; the cases follow, in order,
	// except the one the router does not send to a vendor route.
	journaled := cases[:len(cases)-1]
	if len(got) < len(journaled) {
		t.Fatalf("%d journal entries, want at least %d", len(got), len(journaled))
	}
	got = got[len(got)-len(journaled):]
	for i, tc := range journaled {
		en := got[i]
		if en.SecretInURL != tc.flagged {
			t.Errorf("%s: secretInUrl = %v, want %v (entry %+v)", tc.name, en.SecretInURL, tc.flagged, en)
		}
		for _, n := range en.QueryParams {
			if n != redacted && !safeParamName(n) {
				t.Errorf("%s: query name %q kept", tc.name, n)
			}
		}
	}
	// A PDF link used as listed is served, with its signature in place.
	if status, _, _ := e.do("GET", link, nil); status != http.StatusOK {
		t.Errorf("the link itself: %d", status)
	}
}

// percentEncodeAll escapes every byte of s.
func percentEncodeAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteString("%" + itoaHex(s[i]))
	}
	return b.String()
}

func itoaHex(c byte) string {
	const hex = "0123456789ABCDEF"
	return string([]byte{hex[c>>4], hex[c&15]})
}

func TestSupersededPairsBeyondSixteenGenerations(t *testing.T) {
	e := newTestEnv(t)
	sbx := e.newSandbox(nil).ID
	lea := e.firstLEA(sbx).CDS
	first := e.generate(sbx, lea)
	for range 20 {
		e.generate(sbx, lea)
	}
	e.wantError("POST", "/api/v1/token", map[string]string{"username": first.Username, "secretKey": first.SecretKey}, http.StatusUnauthorized, CodeInvalidCredentials)
	var page store.JournalPage
	e.mustDo("GET", "/control/v1/sandboxes/"+sbx+"/journal", nil, http.StatusOK, &page)
	if n := len(page.Entries); n != 1 || page.Entries[0].Credential != stateSuperseded || page.Entries[0].Username != first.Username {
		t.Fatalf("journal after sending a pair 20 generations old: %+v, want one superseded entry", page.Entries)
	}
}

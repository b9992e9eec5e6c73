package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"
)

// reportList is a student's released reports as a vendor sees them: the shape appendListing
// writes, which the tests decode and encoding/json re-encodes.
type reportList struct {
	SSID    string        `json:"ssid"`
	Reports []reportEntry `json:"reports"`
}

// reportEntry is one format of one language of one released report.
type reportEntry struct {
	ID           string    `json:"id"`
	Program      string    `json:"program"`
	Assessment   string    `json:"assessment"`
	SchoolYear   string    `json:"schoolYear"`
	Language     string    `json:"language"`
	Format       string    `json:"format"`
	Version      int       `json:"version"`
	ReleasedAt   time.Time `json:"releasedAt"`
	URL          string    `json:"url"`
	URLExpiresAt time.Time `json:"urlExpiresAt"`
}

// encodeJSON is what a json.Encoder with HTML escaping off writes for v.
func encodeJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// TestListingIsEncodingJSON checks that real listings, written directly, are byte for byte
// what encoding/json writes for the values they decode to: an LEA's whole roster at the end
// of a year with PDF and HTML reports, in every language the students have.
func TestListingIsEncodingJSON(t *testing.T) {
	e := newTestEnv(t)
	info := e.newSandbox(map[string]any{"seed": 11, "scenario": "2025-26", "scale": "tiny"})
	sbx := info.ID
	e.advance(sbx, map[string]any{"to": "2026-12-01T08:00:00-08:00"})
	lea := e.firstLEA(sbx)
	tok := e.token(e.generate(sbx, lea.CDS))
	entries, formats, langs := 0, map[string]bool{}, map[string]bool{}
	for _, st := range e.rosterAll(sbx, lea.CDS) {
		status, _, body := e.do("GET", "/api/v1/students/"+st.SSID+"/reports", nil, "Authorization", "Bearer "+tok)
		if status != http.StatusOK {
			continue // a student of a school with its own pair, say
		}
		var l reportList
		if err := json.Unmarshal(body, &l); err != nil {
			t.Fatalf("%s: %v\n%s", st.SSID, err, body)
		}
		if want := encodeJSON(t, l); !bytes.Equal(body, want) {
			t.Errorf("%s:\n got %s\nwant %s", st.SSID, body, want)
		}
		entries += len(l.Reports)
		for _, r := range l.Reports {
			formats[r.Format], langs[r.Language] = true, true
		}
	}
	if entries == 0 || !formats[formatPDF] || !formats[formatHTML] || len(langs) < 2 {
		t.Fatalf("the roster's listings held %d entries, formats %v, languages %v: too little to say anything", entries, formats, langs)
	}
}

// TestJSONStringIsEncodingJSON checks the listing's string writers against encoding/json on
// strings that need escaping and strings that do not.
func TestJSONStringIsEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain-ascii.en", `quote " and \ backslash`, "tab\tnew\nline\r\b\f\x01\x1f", "<html>&amp;", "é 中文 \u2028\u2029", "bad \xff utf-8", "\x7f", "~"} {
		want := bytes.TrimSuffix(encodeJSON(t, s), []byte("\n"))
		if got := appendJSONString([]byte("x"), s); string(got) != "x"+string(want) {
			t.Errorf("appendJSONString(%q) = %s, want x%s", s, got, want)
		}
		if got := appendJSONString([]byte("x"), []byte(s)); string(got) != "x"+string(want) {
			t.Errorf("appendJSONString([]byte(%q)) = %s, want x%s", s, got, want)
		}
		b := append([]byte(`x"`), s...)
		if got := closeJSONString(b, 2); string(got) != "x"+string(want) {
			t.Errorf("closeJSONString(%q) = %s, want x%s", s, got, want)
		}
	}
}

// TestListingRefusesWhatEncodingJSONRefuses checks that the times a listing will not write
// are the ones encoding/json will not encode, on both sides of each bound.
func TestListingRefusesWhatEncodingJSONRefuses(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(-1, 12, 31, 23, 59, 59, 0, time.UTC), time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		want, jsonErr := json.Marshal(at)
		err := encodableTime(at)
		if (err == nil) != (jsonErr == nil) {
			t.Errorf("%v: encodableTime says %v, encoding/json %v", at, err, jsonErr)
		}
		if err == nil && string(appendJSONTime(nil, at)) != string(want) {
			t.Errorf("appendJSONTime(%v) = %s, want %s", at, appendJSONTime(nil, at), want)
		}
	}
}

// TestListingRefusesTimesEncodingJSONRefuses checks that a listing whose link would expire
// after the year 9999 is an error with nothing written, not broken JSON, and that the same
// listing half an hour earlier is written.
func TestListingRefusesTimesEncodingJSONRefuses(t *testing.T) {
	e := newTestEnv(t)
	lea := e.firstLEA("default")
	ssid := e.roster("default", lea.CDS, 1)[0].SSID
	sb, err := e.srv.sandbox(context.Background(), "default")
	if err != nil {
		t.Fatal(err)
	}
	list := func(now time.Time) ([]byte, error) {
		return sb.appendListing(context.Background(), []byte("x"), sb.state(), now, lea.CDS, ssid, []byte("http://h"))
	}
	body, err := list(time.Date(9999, 12, 31, 23, 29, 0, 0, time.UTC))
	var l reportList
	if err != nil || !bytes.HasPrefix(body, []byte("x")) || json.Unmarshal(body[1:], &l) != nil || l.SSID != ssid {
		t.Fatalf("a listing expiring in 9999: %v\n%s", err, body)
	}
	body, err = list(time.Date(9999, 12, 31, 23, 31, 0, 0, time.UTC))
	if err == nil || string(body) != "x" {
		t.Errorf("a listing expiring in 10000 = %q, %v; want nothing written and an error", body, err)
	}
}

// TestSignLinkQueryIsURLValuesEncoding checks that the link built by hand is what
// url.PathEscape and url.Values.Encode write for the same values, with the listing ID given
// as a string or as bytes.
func TestSignLinkQueryIsURLValuesEncoding(t *testing.T) {
	sb := &Sandbox{key: []byte("0123456789abcdef0123456789abcdef")}
	for _, l := range []link{
		{sandbox: "default", id: "1234567890-2019-sb.en", version: 1, expires: time.Unix(1550000000, 0)},
		{sandbox: "sbx-a b/c", id: "id with space/and?query", version: 12, expires: time.Unix(-5, 0)},
		{sandbox: "é~x", id: "%2F..\x00\"", version: 0, expires: time.Unix(0, 0)},
	} {
		q := url.Values{}
		q.Set("v", strconv.Itoa(l.version))
		q.Set("expires", strconv.FormatInt(l.expires.Unix(), 10))
		q.Set("sig", base64.RawURLEncoding.EncodeToString(sb.mac("link", l.appendMessage(nil))))
		want := "/api/v1/files/" + url.PathEscape(l.sandbox) + "/" + url.PathEscape(l.id) + "?" + q.Encode()
		if got := sb.signLink(l); got != want {
			t.Errorf("signLink(%+v)\n got %s\nwant %s", l, got, want)
		}
		asBytes := linkOf[[]byte]{sandbox: l.sandbox, id: []byte(l.id), version: l.version, expires: l.expires}
		if got := string(appendSignedLink([]byte("http://h"), sb, nil, asBytes)); got != "http://h"+want {
			t.Errorf("appendSignedLink with the ID as bytes\n got %s\nwant http://h%s", got, want)
		}
		if got, want := string(l.appendMessage([]byte("x"))), "x"+l.sandbox+"\x00"+l.id+"\x00"+strconv.Itoa(l.version)+"\x00"+strconv.FormatInt(l.expires.Unix(), 10); got != want {
			t.Errorf("appendMessage(x) = %q, want %q", got, want)
		}
	}
}

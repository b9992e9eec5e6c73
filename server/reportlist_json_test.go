package server

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strconv"
	"testing"
	"time"
)

// TestReportListJSONMatchesEncodingJSON checks that the listing's hand-written encoder writes
// exactly what encoding/json writes, for plain values and for strings that need escaping.
func TestReportListJSONMatchesEncodingJSON(t *testing.T) {
	at := time.Date(2019, 5, 15, 7, 0, 0, 0, time.UTC)
	odd := []string{"", `quote " and \ backslash`, "tab\tnew\nline\r\b\f\x01\x1f", "<html>&amp;", "é 中文 \u2028\u2029", "bad \xff utf-8", "\x7f"}
	lists := []reportList{
		{SSID: "1234567890", Reports: []reportEntry{}},
		{SSID: "1234567890"},
		{SSID: "1234567890", Reports: []reportEntry{{
			ID: "1234567890-2019-sb.en", Program: "CAASPP", Assessment: "smarter-balanced", SchoolYear: "2018-19",
			Language: "en", Format: "pdf", Version: 2, ReleasedAt: at, URL: "http://127.0.0.1:8080/api/v1/files/x?expires=1&sig=a-_b&v=2",
			URLExpiresAt: at.Add(30 * time.Minute),
		}, {
			ID: "x", Version: -3, ReleasedAt: at.Add(123456789 * time.Nanosecond).In(time.FixedZone("PDT", -7*3600)),
		}}},
	}
	for _, s := range odd {
		lists = append(lists, reportList{SSID: s, Reports: []reportEntry{{ID: s, Program: s, Assessment: s, SchoolYear: s, Language: s, Format: s, URL: s}}})
	}
	for i, l := range lists {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(l); err != nil {
			t.Fatal(err)
		}
		got, err := l.appendJSON(nil)
		if err != nil {
			t.Fatalf("list %d: %v", i, err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("list %d:\n got %s\nwant %s", i, got, want.Bytes())
		}
	}
}

// TestReportListJSONRefusesWhatEncodingJSONRefuses checks that a time encoding/json cannot
// encode is an error, not broken JSON.
func TestReportListJSONRefusesWhatEncodingJSONRefuses(t *testing.T) {
	l := reportList{SSID: "1234567890", Reports: []reportEntry{{ID: "x", ReleasedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}}
	if _, err := json.Marshal(l); err == nil {
		t.Fatal("encoding/json accepted the year 10000; the test no longer says anything")
	}
	if _, err := l.appendJSON(nil); err == nil {
		t.Error("appendJSON accepted the year 10000")
	}
}

// TestSignLinkQueryIsURLValuesEncoding checks that the link query built by hand is what
// url.Values.Encode writes for the same values.
func TestSignLinkQueryIsURLValuesEncoding(t *testing.T) {
	sb := &Sandbox{key: []byte("0123456789abcdef0123456789abcdef")}
	for _, l := range []link{
		{sandbox: "default", id: "1234567890-2019-sb.en", version: 1, expires: time.Unix(1550000000, 0)},
		{sandbox: "sbx-a b/c", id: "id with space/and?query", version: 12, expires: time.Unix(-5, 0)},
	} {
		q := url.Values{}
		q.Set("v", strconv.Itoa(l.version))
		q.Set("expires", strconv.FormatInt(l.expires.Unix(), 10))
		q.Set("sig", base64.RawURLEncoding.EncodeToString(sb.mac("link", l.appendMessage(nil))))
		want := "/api/v1/files/" + url.PathEscape(l.sandbox) + "/" + url.PathEscape(l.id) + "?" + q.Encode()
		if got := sb.signLink(l); got != want {
			t.Errorf("signLink(%+v)\n got %s\nwant %s", l, got, want)
		}
		if got, want := string(l.appendMessage([]byte("x"))), "x"+l.sandbox+"\x00"+l.id+"\x00"+strconv.Itoa(l.version)+"\x00"+strconv.FormatInt(l.expires.Unix(), 10); got != want {
			t.Errorf("appendMessage(x) = %q, want %q", got, want)
		}
	}
}

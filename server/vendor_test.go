package server

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ssrmock/ssrmock/server/store"
)

// vendorFixture is a sandbox with credentials and a student that has released reports.
type vendorFixture struct {
	*testEnv
	sbx, lea, ssid, tok string
	cred                issuedCredential
}

func newVendorFixture(t testing.TB) *vendorFixture {
	t.Helper()
	return newVendorFixtureOn(t, testStore(t))
}

// newVendorFixtureOn is newVendorFixture on the store st (nil: memory).
func newVendorFixtureOn(t testing.TB, st store.Store) *vendorFixture {
	t.Helper()
	return newVendorFixtureIn(t, newTestEnvOn(t, st))
}

// newVendorFixtureIn is newVendorFixture on the server of e.
func newVendorFixtureIn(t testing.TB, e *testEnv) *vendorFixture {
	t.Helper()
	sbx := e.newSandbox(nil).ID
	lea := e.firstLEA(sbx).CDS
	c := e.generate(sbx, lea)
	f := &vendorFixture{testEnv: e, sbx: sbx, lea: lea, cred: c, tok: e.token(c)}
	for _, st := range e.roster(sbx, lea, 200) {
		gt := e.truth(sbx, st.SSID, "")
		for _, r := range gt.Reports {
			if r.Visible {
				f.ssid = st.SSID
				return f
			}
		}
	}
	t.Fatal("no student of the tiny world has a released report at the scenario's start")
	return nil
}

func TestListMatchesGroundTruth(t *testing.T) {
	f := newVendorFixture(t)
	list := f.list(f.tok, f.ssid)
	gt := f.truth(f.sbx, f.ssid, f.lea)
	want := map[string]truthReport{}
	for _, r := range gt.Reports {
		if r.Visible {
			want[r.ID] = r
		}
	}
	if len(list.Reports) != len(want) || len(want) == 0 {
		t.Fatalf("listed %d reports, ground truth has %d visible", len(list.Reports), len(want))
	}
	for _, r := range list.Reports {
		w, ok := want[r.ID]
		if !ok {
			t.Errorf("listed %s, which ground truth does not show as visible", r.ID)
			continue
		}
		if r.Assessment != w.Assessment || r.SchoolYear != w.SchoolYear || r.Language != w.Language || r.Version != w.Version || r.Format != "pdf" {
			t.Errorf("listing %+v disagrees with ground truth %+v", r, w)
		}
		if got, want := r.URLExpiresAt.Sub(mustTime(t, gt.At.Format(time.RFC3339))), linkLifetime; got != want {
			t.Errorf("link of %s expires %v after now, want %v", r.ID, got, want)
		}
		status, h, body := f.do("GET", r.URL, nil)
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", r.URL, status, body)
		}
		sum := sha256.Sum256(body)
		if hex.EncodeToString(sum[:]) != w.SHA256 {
			t.Errorf("%s: served bytes hash to %x, ground truth says %s", r.ID, sum, w.SHA256)
		}
		if h.Get("Content-Type") != "application/pdf" || h.Get("Content-Length") != strconv.Itoa(len(body)) || h.Get("ETag") != `"`+w.SHA256+`"` {
			t.Errorf("%s: headers %v", r.ID, h)
		}
		if !strings.HasPrefix(string(body), "%PDF-") {
			t.Errorf("%s: body is not a PDF", r.ID)
		}
		status, _, _ = f.do("GET", r.URL, nil, "If-None-Match", h.Get("ETag"))
		if status != http.StatusNotModified {
			t.Errorf("%s: conditional GET answered %d, want 304", r.ID, status)
		}
	}
}

func TestListErrors(t *testing.T) {
	f := newVendorFixture(t)
	auth := []string{"Authorization", "Bearer " + f.tok}
	f.wantError("GET", "/api/v1/students/12345/reports", nil, http.StatusBadRequest, CodeInvalidSSID, auth...)
	f.wantError("GET", "/api/v1/students/abcdefghij/reports", nil, http.StatusBadRequest, CodeInvalidSSID, auth...)
	// An SSID nobody has and a student of another LEA get the same answer.
	unknown := f.wantError("GET", "/api/v1/students/0000000001/reports", nil, http.StatusNotFound, CodeStudentNotFound, auth...)
	if strings.Contains(unknown, "exist") {
		t.Errorf("the not-found message %q must not say whether the student exists", unknown)
	}
	f.wantError("POST", "/api/v1/students/"+f.ssid+"/reports", nil, http.StatusMethodNotAllowed, CodeMethodNotAllowed, auth...)
	f.wantError("GET", "/api/v1/nothing", nil, http.StatusNotFound, CodeNotFound)
}

func TestVendorDateHeaderIsSandboxTime(t *testing.T) {
	f := newVendorFixture(t)
	reply := f.advance(f.sbx, map[string]any{"advance": "48h"})
	status, h, _ := f.do("GET", "/api/v1/students/"+f.ssid+"/reports", nil, "Authorization", "Bearer "+f.tok)
	if status != http.StatusUnauthorized { // the token expired two days ago
		t.Fatalf("status %d, want 401", status)
	}
	got, err := http.ParseTime(h.Get("Date"))
	if err != nil || !got.Equal(reply.Now.Truncate(time.Second)) {
		t.Errorf("Date header %q, want sandbox time %v", h.Get("Date"), reply.Now)
	}
}

func TestLinks(t *testing.T) {
	f := newVendorFixture(t)
	r := f.list(f.tok, f.ssid).Reports[0]
	u, err := url.Parse(r.URL)
	if err != nil {
		t.Fatal(err)
	}
	tamper := func(key, val string) string {
		q := u.Query()
		q.Set(key, val)
		v := *u
		v.RawQuery = q.Encode()
		return v.String()
	}
	f.wantError("GET", tamper("v", "9"), nil, http.StatusForbidden, CodeSignatureInvalid)
	f.wantError("GET", tamper("expires", strconv.FormatInt(time.Now().Add(100*365*24*time.Hour).Unix(), 10)), nil, http.StatusForbidden, CodeSignatureInvalid)
	f.wantError("GET", tamper("sig", "AAAA"), nil, http.StatusForbidden, CodeSignatureInvalid)
	f.wantError("GET", tamper("sig", "%%%"), nil, http.StatusForbidden, CodeSignatureInvalid)
	// Only the encoding the server writes: a line break the base64 decoder would skip, or a
	// version with a leading zero, is another link.
	f.wantError("GET", tamper("sig", "\r\n"+u.Query().Get("sig")), nil, http.StatusForbidden, CodeSignatureInvalid)
	f.wantError("GET", tamper("v", "0"+u.Query().Get("v")), nil, http.StatusForbidden, CodeSignatureInvalid)
	other := strings.Replace(r.URL, r.ID, r.ID+"x", 1)
	f.wantError("GET", other, nil, http.StatusForbidden, CodeSignatureInvalid)
	f.wantError("GET", strings.Replace(r.URL, "/files/"+f.sbx+"/", "/files/nope/", 1), nil, http.StatusForbidden, CodeSignatureInvalid)

	f.advance(f.sbx, map[string]any{"advance": "29m59s"})
	f.mustDo("GET", r.URL, nil, http.StatusOK, nil)
	f.advance(f.sbx, map[string]any{"advance": "1s"})
	f.wantError("GET", r.URL, nil, http.StatusForbidden, CodeLinkExpired)
}

func TestVisibilityFollowsEnrollment(t *testing.T) {
	f := newVendorFixture(t)
	var leas struct{ LEAs []leaInfo }
	f.mustDo("GET", "/control/v1/sandboxes/"+f.sbx+"/leas", nil, http.StatusOK, &leas)
	// A tiny world has one LEA; a county one has several. Use a county sandbox for moving.
	info := f.newSandbox(map[string]any{"seed": 3, "scale": "county"})
	f.mustDo("GET", "/control/v1/sandboxes/"+info.ID+"/leas", nil, http.StatusOK, &leas)
	if len(leas.LEAs) < 2 {
		t.Fatalf("county world has %d LEAs", len(leas.LEAs))
	}
	from, to := leas.LEAs[0].CDS, leas.LEAs[1].CDS
	// September 2019: the year's Smarter Balanced reports are out.
	f.advance(info.ID, map[string]any{"to": "2019-09-01T08:00:00-07:00"})
	var ssid string
	var page rosterPage
	f.mustDo("GET", "/control/v1/sandboxes/"+info.ID+"/leas/"+from+"/students?limit=100&assessment=smarter-balanced&schoolYear=2017-18", nil, http.StatusOK, &page)
	for _, st := range page.Students {
		current, historical := false, false
		for _, r := range f.truth(info.ID, st.SSID, "").Reports {
			current = current || (r.Visible && r.LEA == from && r.SchoolYear == "2018-19")
			historical = historical || (r.Visible && r.SchoolYear != "2018-19")
		}
		if current && historical {
			ssid = st.SSID
			break
		}
	}
	if ssid == "" {
		t.Fatal("no student of the first LEA has both a released 2018-19 report tested there and a historical one")
	}
	fromTok := f.token(f.generate(info.ID, from))
	toTok := f.token(f.generate(info.ID, to))
	before := f.list(fromTok, ssid)
	f.wantError("GET", "/api/v1/students/"+ssid+"/reports", nil, http.StatusNotFound, CodeStudentNotFound, "Authorization", "Bearer "+toTok)

	var moved studentInfo
	f.mustDo("POST", "/control/v1/sandboxes/"+info.ID+"/students/"+ssid+"/transfer", map[string]string{"lea": to}, http.StatusOK, &moved)
	if moved.LEA != to {
		t.Fatalf("after transfer the student is in %s, want %s", moved.LEA, to)
	}
	after := f.list(toTok, ssid)
	if len(after.Reports) < len(before.Reports) {
		t.Errorf("the new LEA sees %d reports, the old one saw %d: the new LEA must see all", len(after.Reports), len(before.Reports))
	}
	// The old LEA keeps this administration year's reports of the tests taken there, and
	// nothing else: no earlier years, nothing tested elsewhere.
	kept := f.list(fromTok, ssid)
	gt := f.truth(info.ID, ssid, from)
	visible := 0
	for _, r := range gt.Reports {
		if r.Visible {
			visible++
			if r.LEA != from || r.SchoolYear != "2018-19" {
				t.Errorf("old LEA still sees %s (%s), tested at %s", r.ID, r.SchoolYear, r.LEA)
			}
		}
	}
	if len(kept.Reports) != visible || visible == 0 {
		t.Errorf("old LEA lists %d reports, ground truth says %d visible", len(kept.Reports), visible)
	}
	// The roster follows the move.
	found := false
	for _, st := range f.rosterAll(info.ID, to) {
		found = found || st.SSID == ssid
	}
	for _, st := range f.rosterAll(info.ID, from) {
		if st.SSID == ssid {
			t.Error("the transferred student is still on the old LEA's roster")
		}
	}
	if !found {
		t.Error("the transferred student is missing from the new LEA's roster")
	}
	f.wantError("POST", "/control/v1/sandboxes/"+info.ID+"/students/"+ssid+"/transfer", map[string]string{"lea": to}, http.StatusConflict, CodeConflict)
	f.wantError("POST", "/control/v1/sandboxes/"+info.ID+"/students/"+ssid+"/transfer", map[string]string{"lea": "12"}, http.StatusBadRequest, CodeInvalidCDS)
}

func TestAmendedReportReplacesTheOld(t *testing.T) {
	f := newVendorFixture(t)
	first := f.list(f.tok, f.ssid).Reports[0]
	oldBytes := func() []byte { _, _, b := f.do("GET", first.URL, nil); return b }()
	var amended struct {
		ReportID string `json:"reportId"`
		Version  int    `json:"version"`
	}
	f.mustDo("POST", "/control/v1/sandboxes/"+f.sbx+"/reports/"+first.ID+"/amend", nil, http.StatusOK, &amended)
	if amended.Version != 2 {
		t.Fatalf("amended version %d, want 2", amended.Version)
	}
	for _, r := range f.list(f.tok, f.ssid).Reports {
		if r.ID != first.ID {
			continue
		}
		if r.Version != 2 {
			t.Errorf("listing still shows version %d", r.Version)
		}
		_, _, b := f.do("GET", r.URL, nil)
		if string(b) == string(oldBytes) {
			t.Error("the amended report has the same bytes as the original")
		}
	}
	// A link to the old version still serves the old version while it lives.
	_, _, again := f.do("GET", first.URL, nil)
	if string(again) != string(oldBytes) {
		t.Error("an unexpired link to version 1 changed its bytes")
	}
	f.wantError("POST", "/control/v1/sandboxes/"+f.sbx+"/reports/nope/amend", nil, http.StatusNotFound, CodeNotFound)
}

// TestLinkExpiryInPacificTime checks that link_expired names the expiry in Pacific time with
// the zone in force then: PST in February, PDT in April.
func TestLinkExpiryInPacificTime(t *testing.T) {
	f := newVendorFixture(t)
	for _, tt := range []struct {
		to   string // "" keeps the scenario's start
		want string
	}{
		{"", "2019-02-11 08:30:00 PST"},
		{"2019-04-15T08:00:00-07:00", "2019-04-15 08:30:00 PDT"},
	} {
		if tt.to != "" {
			f.advance(f.sbx, map[string]any{"to": tt.to})
		}
		r := f.list(f.token(f.cred), f.ssid).Reports[0]
		f.advance(f.sbx, map[string]any{"advance": "30m"})
		msg := f.wantError("GET", r.URL, nil, http.StatusForbidden, CodeLinkExpired)
		want := "the report link expired at " + tt.want + ": links live 30m0s; list the student's reports again for a fresh one"
		if msg != want {
			t.Errorf("link_expired message %q, want %q", msg, want)
		}
	}
}

package refvendor

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ssrmock/ssrmock/conformance/driver"
)

// school1 is a school of lea1 that has its own pair on the fake.
const (
	school1       = "01611920000001"
	schoolUser    = "school1-user"
	schoolSecret  = "SCHOOL-KEY-BBBBBBBBB"
	otherSchool   = "01611920000002"
	htmlListingID = "r1-en.html"
)

func init() {
	faultCases[FaultDistrictPairForSchools] = faultCase{misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		configureSchool(t, v, f)
		mustViewSchool(t, v, school1, ssidA)
		return lastTokenUser(f) != schoolUser
	}}
	faultCases[FaultPDFOnly] = faultCase{misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		f.hook("reports", -1, listPDFAndHTML(f))
		for _, r := range mustView(t, v, ssidA).Reports {
			if r.Format == "html" {
				return false
			}
		}
		return true
	}}
}

// configureSchool gives school1 its own pair on the fake and in the vendor's settings.
func configureSchool(tb testing.TB, v *Vendor, f *fakeAPI) {
	tb.Helper()
	f.with(func() { f.secrets[schoolUser] = schoolSecret })
	if err := v.Configure(context.Background(), driver.Config{LEA: lea1, School: school1, BaseURL: f.base(), Username: schoolUser, SecretKey: schoolSecret}); err != nil {
		tb.Fatal(err)
	}
}

func mustViewSchool(tb testing.TB, v *Vendor, school, ssid string) driver.View {
	tb.Helper()
	got, err := v.ViewSchool(context.Background(), lea1, school, ssid)
	if err != nil {
		tb.Fatal(err)
	}
	return got
}

// lastTokenUser is the User Name of the last token request the fake answered.
func lastTokenUser(f *fakeAPI) string {
	user := ""
	for _, e := range f.entries() {
		if e.Route == "token" {
			user = e.Username
		}
	}
	return user
}

// listPDFAndHTML answers a listing with one report as a PDF and as an HTML page.
func listPDFAndHTML(f *fakeAPI) func(http.ResponseWriter, *http.Request) int {
	return func(w http.ResponseWriter, r *http.Request) int {
		f.mu.Lock()
		exp := f.now.Add(f.linkLife)
		f.mu.Unlock()
		var out []map[string]any
		for _, id := range []string{"r1-en", htmlListingID} {
			format := "pdf"
			if strings.HasSuffix(id, ".html") {
				format = "html"
			}
			out = append(out, map[string]any{
				"id": id, "program": "CAASPP", "assessment": "smarter-balanced", "schoolYear": "2017-18",
				"language": "en", "format": format, "version": 1, "releasedAt": start,
				"url": fmt.Sprintf("%s/pdf/%s?v=1&exp=%d&sig=x", f.srv.URL, id, exp.Unix()), "urlExpiresAt": exp,
			})
		}
		return writeJSON(w, map[string]any{"ssid": ssidA, "reports": out})
	}
}

// TestSchoolPairs checks that the vendor keeps a school's own pair apart from its LEA's: the
// school's students go through the school's pair, the others through the LEA's, and a new
// LEA pair leaves the school's in place.
func TestSchoolPairs(t *testing.T) {
	f := newFake(t)
	v := mustVendor(t, f, Options{})
	configureSchool(t, v, f)
	if got := mustViewSchool(t, v, school1, ssidA); got.Outcome != driver.OK || len(got.Reports) == 0 {
		t.Fatalf("view through the school's pair: %+v", got)
	}
	if u := lastTokenUser(f); u != schoolUser {
		t.Errorf("a student of the school was listed after a token for %q, want %q", u, schoolUser)
	}
	mustViewSchool(t, v, otherSchool, ssidB)
	if u := lastTokenUser(f); u != user1 {
		t.Errorf("a student of another school was listed after a token for %q, want the LEA's %q", u, user1)
	}
	mustConfigure(t, v, f, user1, secret)
	mustViewSchool(t, v, school1, ssidA)
	if e := lastListing(f); !strings.Contains(e.Auth, schoolUser) {
		t.Errorf("after a new LEA pair, the school's student was listed with %q, want the school's token", e.Auth)
	}
	if e := lastListing(f); e.Username == user1 {
		t.Errorf("after a new LEA pair, the school's student was listed as %q", e.Username)
	}
}

// lastListing is the last report listing the fake answered.
func lastListing(f *fakeAPI) fakeEntry {
	var last fakeEntry
	for _, e := range f.entries() {
		if e.Route == "reports" {
			last = e
		}
	}
	return last
}

package server

import "testing"

// TestScanMemoFollowsTheState: a URL carrying the current Secret Key is flagged each time it
// comes, and no longer once a regeneration has made that key a former one, although its scan
// was remembered under the state before.
func TestScanMemoFollowsTheState(t *testing.T) {
	f := newVendorFixture(t)
	path := "/api/v1/students/" + f.ssid + "/reports?key=" + f.cred.SecretKey
	last := func() JournalEntry { return f.lastEntry(f.sbx) }
	for range 2 {
		f.do("GET", path, nil, "Authorization", "Bearer "+f.tok)
		if e := last(); !e.SecretInURL || e.QueryParams[0] != "key" {
			t.Fatalf("a URL with the current Secret Key journaled as %+v", e)
		}
	}
	f.generate(f.sbx, f.lea)
	f.do("GET", path, nil, "Authorization", "Bearer "+f.tok)
	if e := last(); e.SecretInURL {
		t.Errorf("after a regeneration, the former Secret Key in a URL is still flagged: %+v", e)
	}
}

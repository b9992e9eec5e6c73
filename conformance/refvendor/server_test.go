package refvendor_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
	"github.com/ssrmock/ssrmock/conformance/driver"
	"github.com/ssrmock/ssrmock/conformance/refvendor"
	"github.com/ssrmock/ssrmock/server"
)

// TestAgainstServer drives the reference vendor against the real mock server, in-process, and
// compares what a parent would see with the server's ground truth.
func TestAgainstServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the mock server")
	}
	ctx := context.Background()
	srv, err := server.New(server.Config{Seed: 1, Scenario: "2018-19", Scale: "tiny"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	api := controlapi.New(ts.URL, "", ts.Client())

	sb, err := api.CreateSandbox(ctx, controlapi.SandboxSpec{Seed: 7, Scale: "tiny"})
	if err != nil {
		t.Fatal(err)
	}
	leas, err := api.LEAs(ctx, sb.ID)
	if err != nil || len(leas) == 0 {
		t.Fatalf("LEAs: %v, %v", leas, err)
	}
	lea := leas[0].CDS
	students, _, err := api.Roster(ctx, sb.ID, lea, controlapi.RosterFilter{SchoolYear: "2017-18"}, 5, "")
	if err != nil || len(students) == 0 {
		t.Fatalf("roster: %v, %v", students, err)
	}
	ssid := students[0].SSID
	cr, err := api.GenerateCredentials(ctx, sb.ID, lea, controlapi.CoordinatorCAASPP)
	if err != nil {
		t.Fatal(err)
	}
	cfg := driver.Config{LEA: lea, BaseURL: sb.APIBase, Username: cr.Username, SecretKey: cr.SecretKey}

	truth := func() map[string]string { // report key → sha256 of what lea may see now
		t.Helper()
		tr, err := api.Truth(ctx, sb.ID, ssid, lea, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, r := range tr.Visible() {
			out[r.SchoolYear+" "+r.Assessment+" "+r.Language] = r.SHA256
		}
		return out
	}
	shown := func(v driver.View) map[string]string {
		t.Helper()
		if v.Outcome != driver.OK {
			t.Fatalf("view: %s (%s)", v.Outcome, v.Message)
		}
		out := map[string]string{}
		for _, r := range v.Reports {
			sum := r.SHA256
			if r.URL != "" {
				sum = download(t, r.URL)
			}
			out[r.SchoolYear+" "+r.Assessment+" "+r.Language] = sum
		}
		return out
	}

	for _, serveBytes := range []bool{false, true} {
		v := refvendor.MustNew(refvendor.Options{ServeBytes: serveBytes})
		if err := v.Clock(ctx, sb.Now); err != nil {
			t.Fatal(err)
		}
		if err := v.Configure(ctx, cfg); err != nil {
			t.Fatal(err)
		}
		want := truth()
		if len(want) == 0 {
			t.Fatalf("student %s has no visible report at %s", ssid, lea)
		}
		got, err := v.View(ctx, lea, ssid)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, shown(got)); diff != "" {
			t.Errorf("serveBytes=%v: reports (-truth +shown):\n%s", serveBytes, diff)
		}
	}

	v := refvendor.MustNew(refvendor.Options{})
	v.Clock(ctx, sb.Now)
	v.Configure(ctx, cfg)
	if got, _ := v.View(ctx, lea, ssid); got.Outcome != driver.OK {
		t.Fatalf("first view: %+v", got)
	}
	ck, err := api.Advance(ctx, sb.ID, 3*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	v.Clock(ctx, ck.Now)
	got, _ := v.View(ctx, lea, ssid)
	if diff := cmp.Diff(truth(), shown(got)); diff != "" {
		t.Errorf("3 hours later: reports (-truth +shown):\n%s", diff)
	}

	if _, err := api.GenerateCredentials(ctx, sb.ID, lea, controlapi.CoordinatorELPAC); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if got, _ := v.View(ctx, lea, ssid); got.Outcome != driver.AuthError {
			t.Errorf("after regeneration: outcome %s, want auth_error", got.Outcome)
		}
	}
	j, err := api.Journal(ctx, sb.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	var superseded int
	for _, e := range j.Entries {
		if e.Route == controlapi.RouteToken && e.Credential == "superseded" {
			superseded++
		}
	}
	if superseded != 1 {
		t.Errorf("token requests with the superseded pair = %d, want 1", superseded)
	}
	if got, _ := v.View(ctx, lea, "12345"); got.Outcome != driver.Failed {
		t.Errorf("malformed SSID: outcome %s, want error", got.Outcome)
	}
}

// download follows a link as a parent's browser would and returns the SHA-256 of the bytes.
func download(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET link: %s, %v", resp.Status, err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

package refvendor

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ssrmock/ssrmock/conformance/driver"
)

const (
	lea1   = "01611920000000"
	user1  = "lea1-user"
	secret = "S3CRET-KEY-AAAAAAAAA"
	ssidA  = "1000000001"
	ssidB  = "1000000002"
)

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// mustVendor returns a vendor configured for lea1 on f, with its clock at the fake's.
func mustVendor(tb testing.TB, f *fakeAPI, o Options) *Vendor {
	tb.Helper()
	if o.Timeout == 0 {
		o.Timeout = 500 * time.Millisecond
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(testWriter{tb}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	v, err := New(o)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	v.Clock(ctx, start)
	mustConfigure(tb, v, f, user1, secret)
	return v
}

type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func mustConfigure(tb testing.TB, v *Vendor, f *fakeAPI, user, key string) {
	tb.Helper()
	if err := v.Configure(context.Background(), driver.Config{LEA: lea1, BaseURL: f.base(), Username: user, SecretKey: key}); err != nil {
		tb.Fatal(err)
	}
}

func mustView(tb testing.TB, v *Vendor, ssid string) driver.View {
	tb.Helper()
	got, err := v.View(context.Background(), lea1, ssid)
	if err != nil {
		tb.Fatalf("View: %v", err)
	}
	return got
}

func wantOutcome(tb testing.TB, got driver.View, want driver.Outcome) {
	tb.Helper()
	if got.Outcome != want {
		tb.Errorf("outcome = %s (%s), want %s", got.Outcome, got.Message, want)
	}
}

// tick moves both the fake's clock and the vendor's by d.
func tick(f *fakeAPI, v *Vendor, d time.Duration) {
	v.Clock(context.Background(), f.advance(d))
}

func TestViewLinks(t *testing.T) {
	f := newFake(t)
	v := mustVendor(t, f, Options{})
	got := mustView(t, v, ssidA)
	wantOutcome(t, got, driver.OK)
	if len(got.Reports) != 2 {
		t.Fatalf("reports = %+v, want 2", got.Reports)
	}
	for _, r := range got.Reports {
		if !strings.HasPrefix(r.URL, f.srv.URL+"/pdf/") || r.SHA256 != "" {
			t.Errorf("report %+v: want the service's link and no digest", r)
		}
	}
	if got, want := got.Reports[1].Language, "es"; got != want {
		t.Errorf("second report language = %q, want %q", got, want)
	}
}

func TestTokenCachedOnVendorClock(t *testing.T) {
	f := newFake(t)
	v := mustVendor(t, f, Options{})
	for range 3 {
		wantOutcome(t, mustView(t, v, ssidA), driver.OK)
		tick(f, v, 5*time.Minute)
	}
	if n := f.count("token"); n != 1 {
		t.Errorf("token requests over 3 views in 10 minutes = %d, want 1", n)
	}
	// 29 minutes after the token: within a minute of its 30, so a careful vendor renews it
	// before using it, without ever seeing a 401.
	tick(f, v, 14*time.Minute)
	wantOutcome(t, mustView(t, v, ssidA), driver.OK)
	if n := f.count("token"); n != 2 {
		t.Errorf("token requests after 29 minutes = %d, want 2", n)
	}
	for _, e := range f.entries() {
		if e.Status == 401 {
			t.Errorf("the vendor used an expired token: %+v", e)
		}
	}
}

func TestTokenExpiryFollowsDateHeader(t *testing.T) {
	f := newFake(t)
	v := mustVendor(t, f, Options{})
	wantOutcome(t, mustView(t, v, ssidA), driver.OK)
	// The service's clock moved 2h without the vendor being told: its answers' Date says so.
	f.advance(2 * time.Hour)
	f.with(func() { f.tokens = map[string]string{} })
	wantOutcome(t, mustView(t, v, ssidA), driver.OK) // a 401, then a renewal
	wantOutcome(t, mustView(t, v, ssidA), driver.OK)
	if n := f.count("token"); n != 2 {
		t.Errorf("token requests = %d, want 2", n)
	}
}

func TestReauthenticatesOnceOn401(t *testing.T) {
	f := newFake(t)
	v := mustVendor(t, f, Options{})
	wantOutcome(t, mustView(t, v, ssidA), driver.OK)
	f.with(func() { f.tokens = map[string]string{} }) // the service forgot every token
	wantOutcome(t, mustView(t, v, ssidA), driver.OK)
	if got, want := f.count("token"), 2; got != want {
		t.Errorf("token requests = %d, want %d", got, want)
	}
	f.hook("reports", -1, status(401, "token_expired", ""))
	before := f.count("token")
	got := mustView(t, v, ssidA)
	wantOutcome(t, got, driver.AuthError)
	if n := f.count("token") - before; n != 1 {
		t.Errorf("token requests after a second 401 = %d, want 1 (re-authenticate once, then give up)", n)
	}
}

func TestRejectedPair(t *testing.T) {
	for _, code := range []string{"invalid_credentials", "credentials_expired"} {
		t.Run(code, func(t *testing.T) {
			f := newFake(t)
			if code == "credentials_expired" {
				f.expired[user1] = true
			}
			v := mustVendor(t, f, Options{})
			if code == "invalid_credentials" {
				mustConfigure(t, v, f, user1, "WRONG-KEY-XXXXXXXXXX")
			}
			got := mustView(t, v, ssidA)
			wantOutcome(t, got, driver.AuthError)
			if !strings.Contains(got.Message, "TOMS") {
				t.Errorf("message %q does not tell the LEA to generate new credentials in TOMS", got.Message)
			}
			tick(f, v, time.Hour)
			wantOutcome(t, mustView(t, v, ssidA), driver.AuthError)
			if n := f.count("token"); n != 1 {
				t.Errorf("token requests over two views = %d, want 1 (the rejected pair is not sent again)", n)
			}
			f.with(func() { f.secrets["lea1-new"] = "NEW-KEY-BBBBBBBBBBBB" })
			mustConfigure(t, v, f, "lea1-new", "NEW-KEY-BBBBBBBBBBBB")
			wantOutcome(t, mustView(t, v, ssidA), driver.OK)
		})
	}
}

func TestWrongSecretNotRetried(t *testing.T) {
	f := newFake(t)
	v := mustVendor(t, f, Options{})
	mustConfigure(t, v, f, user1, "WRONG-KEY-XXXXXXXXXX")
	wantOutcome(t, mustView(t, v, ssidA), driver.AuthError)
	if n := f.count("token"); n != 1 {
		t.Errorf("token requests = %d, want 1", n)
	}
}

func TestConfigureSwitchesCredentials(t *testing.T) {
	f := newFake(t)
	v := mustVendor(t, f, Options{})
	wantOutcome(t, mustView(t, v, ssidA), driver.OK)
	// Regeneration: only the new pair is valid, and tokens of the old one die with it.
	f.with(func() {
		f.secrets = map[string]string{"lea1-regen": "REGEN-KEY-CCCCCCCCCC"}
		f.tokens = map[string]string{}
	})
	mark := len(f.entries())
	mustConfigure(t, v, f, "lea1-regen", "REGEN-KEY-CCCCCCCCCC")
	wantOutcome(t, mustView(t, v, ssidA), driver.OK)
	after := f.entries()[mark:]
	if len(after) == 0 || after[0].Route != "token" || after[0].Username != "lea1-regen" {
		t.Errorf("first request after configure = %+v, want a token request with the new pair", after)
	}
	for _, e := range after {
		if e.Status == 401 {
			t.Errorf("after configure the vendor still used the old pair or token: %+v", e)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	t.Run("short wait is waited out", func(t *testing.T) {
		f := newFake(t)
		v := mustVendor(t, f, Options{})
		f.hook("reports", 1, status(429, "rate_limited", "1"))
		began := time.Now()
		wantOutcome(t, mustView(t, v, ssidA), driver.OK)
		if el := time.Since(began); el < time.Second {
			t.Errorf("retried after %v, want at least the Retry-After of 1s", el)
		}
		if n := f.count("reports"); n != 2 {
			t.Errorf("report requests = %d, want 2", n)
		}
	})
	for _, st := range []int{429, 503} {
		t.Run("long wait is unavailable/"+http.StatusText(st), func(t *testing.T) {
			f := newFake(t)
			v := mustVendor(t, f, Options{})
			f.hook("reports", -1, status(st, "maintenance", "120"))
			wantOutcome(t, mustView(t, v, ssidA), driver.Unavailable)
			wantOutcome(t, mustView(t, v, ssidA), driver.Unavailable)
			if n := f.count("reports"); n != 1 {
				t.Errorf("report requests within Retry-After = %d, want 1", n)
			}
			f.with(func() { f.hooks = nil })
			tick(f, v, 2*time.Minute)
			wantOutcome(t, mustView(t, v, ssidA), driver.OK)
		})
	}
}

func TestServerErrorsRetriedBounded(t *testing.T) {
	f := newFake(t)
	v := mustVendor(t, f, Options{})
	f.hook("reports", -1, status(500, "internal", ""))
	wantOutcome(t, mustView(t, v, ssidA), driver.Unavailable)
	if n := f.count("reports"); n != 3 {
		t.Errorf("report requests for a lasting 500 = %d, want 3 (2 retries)", n)
	}
	f.with(func() { f.hooks = nil })
	f.hook("reports", 2, status(502, "bad_gateway", ""))
	wantOutcome(t, mustView(t, v, ssidA), driver.OK)
}

func TestBrokenAnswers(t *testing.T) {
	// Go's transport resends a request once, on a new connection, when a reused connection
	// drops before any answer: hence two drops in a row and up to two requests.
	tests := []struct {
		name    string
		do      func(http.ResponseWriter, *http.Request) int
		n, reqs int
	}{
		{"slow", slow(2 * time.Second), 1, 1},
		{"dropped connection", drop, 2, 2},
		{"truncated body", truncate, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			v := mustVendor(t, f, Options{Timeout: 200 * time.Millisecond})
			f.hook("reports", tt.n, tt.do)
			began := time.Now()
			wantOutcome(t, mustView(t, v, ssidA), driver.Unavailable)
			if el := time.Since(began); el > time.Second {
				t.Errorf("took %v to give up, want about the 200ms timeout", el)
			}
			if n := f.count("reports"); n != tt.reqs {
				t.Errorf("report requests = %d, want %d", n, tt.reqs)
			}
			wantOutcome(t, mustView(t, v, ssidA), driver.OK)
		})
	}
}

func TestNotFoundAndBadSSID(t *testing.T) {
	f := newFake(t)
	v := mustVendor(t, f, Options{})
	wantOutcome(t, mustView(t, v, "1999999999"), driver.NotFound)
	for _, ssid := range []string{"123", "12345678901", "12345abcde", "", "../../token"} {
		wantOutcome(t, mustView(t, v, ssid), driver.Failed)
	}
	if n := f.count("reports"); n != 1 {
		t.Errorf("report requests = %d, want 1 (malformed SSIDs never reach the service)", n)
	}
	f.hook("reports", 1, status(400, "invalid_ssid", ""))
	wantOutcome(t, mustView(t, v, ssidA), driver.Failed)
	got, _ := v.View(context.Background(), "99999999999999", ssidA)
	wantOutcome(t, got, driver.AuthError) // no pair for that LEA
}

func TestFreshLinks(t *testing.T) {
	f := newFake(t)
	v := mustVendor(t, f, Options{})
	first := mustView(t, v, ssidA)
	tick(f, v, 31*time.Minute)
	second := mustView(t, v, ssidA)
	if n := f.count("reports"); n != 2 {
		t.Errorf("report requests = %d, want 2", n)
	}
	if first.Reports[0].URL == second.Reports[0].URL {
		t.Errorf("handed out the same link 31 minutes later: %s", first.Reports[0].URL)
	}
	resp, err := http.Get(second.Reports[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("following the link: %s", resp.Status)
	}

	// A service handing out links that are already expired: one more listing, then unavailable.
	f.with(func() { f.linkLife = 0 })
	wantOutcome(t, mustView(t, v, ssidA), driver.Unavailable)
	if n := f.count("reports"); n != 4 {
		t.Errorf("report requests = %d, want 4 (one relisting)", n)
	}
}

func TestServeBytes(t *testing.T) {
	f := newFake(t)
	v := mustVendor(t, f, Options{ServeBytes: true})
	got := mustView(t, v, ssidA)
	wantOutcome(t, got, driver.OK)
	var want []driver.ViewReport
	for _, r := range f.students[ssidA] {
		sum := sha256.Sum256(r.bytes())
		want = append(want, driver.ViewReport{SchoolYear: r.SchoolYear, Assessment: r.Assessment, Language: r.Language, Format: "pdf", SHA256: hex.EncodeToString(sum[:])})
	}
	if diff := cmp.Diff(want, got.Reports); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}

	f.hook("pdf", 1, truncate)
	wantOutcome(t, mustView(t, v, ssidA), driver.Unavailable)

	f.hook("pdf", 1, func(w http.ResponseWriter, r *http.Request) int { // no Content-Length
		w.Header().Set("Content-Type", "application/pdf")
		w.(http.Flusher).Flush()
		w.Write([]byte("%PDF-1.7 partial"))
		return 200
	})
	wantOutcome(t, mustView(t, v, ssidA), driver.Unavailable)

	f.hook("pdf", 1, status(403, "link_expired", ""))
	before := f.count("reports")
	wantOutcome(t, mustView(t, v, ssidA), driver.OK)
	if n := f.count("reports") - before; n != 2 {
		t.Errorf("listings after a link_expired download = %d, want 2 (one relisting)", n)
	}
}

func TestSync(t *testing.T) {
	f := newFake(t)
	var logs syncBuffer
	v := mustVendor(t, f, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	wantOutcome(t, mustView(t, v, ssidB), driver.OK)
	f.with(func() {
		f.students[ssidB] = append(f.students[ssidB], fakeReport{ID: "r2-cast", Assessment: "cast", SchoolYear: "2018-19", Language: "en", Version: 1})
	})
	if err := v.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "new reports released") {
		t.Errorf("sync did not notice the release; log:\n%s", logs.String())
	}
}

func TestResetForgets(t *testing.T) {
	f := newFake(t)
	v := mustVendor(t, f, Options{})
	wantOutcome(t, mustView(t, v, ssidA), driver.OK)
	if err := v.Reset(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantOutcome(t, mustView(t, v, ssidA), driver.AuthError)
}

func TestNoSecretsInURLsOrLogs(t *testing.T) {
	f := newFake(t)
	var logs syncBuffer
	v := mustVendor(t, f, Options{ServeBytes: true, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	mustView(t, v, ssidA)
	f.with(func() { f.tokens = map[string]string{} })
	mustView(t, v, ssidA)
	f.hook("reports", 1, drop)
	mustView(t, v, ssidA)
	mustConfigure(t, v, f, user1, "WRONG-KEY-XXXXXXXXXX")
	mustView(t, v, ssidA)
	var tokens []string
	for _, e := range f.entries() {
		if strings.Contains(e.Query, secret) || strings.Contains(e.Query, "tok-") {
			t.Errorf("secret or token in a URL: %+v", e)
		}
		if e.Route == "pdf" && e.Auth != "" {
			t.Errorf("sent the token with a PDF link: %+v", e)
		}
		if tok := strings.TrimPrefix(e.Auth, "Bearer "); tok != "" {
			tokens = append(tokens, tok)
		}
	}
	for _, s := range append(tokens, secret, "WRONG-KEY", "sig=") {
		if strings.Contains(logs.String(), s) {
			t.Errorf("log contains %q:\n%s", s, logs.String())
		}
	}
}

func TestNewUnknownFault(t *testing.T) {
	if _, err := New(Options{Fault: "typo"}); err == nil {
		t.Error("New accepted an unknown fault")
	}
	if got := len(Faults()); got < 12 {
		t.Errorf("%d faults, want at least 12", got)
	}
	for _, f := range Faults() {
		if f.Description == "" || strings.ContainsAny(f.Name+f.Description, "\t\n") {
			t.Errorf("fault %+v: want a name and a one-line description", f)
		}
	}
}

package server

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ssrmock/ssrmock/server/store"
)

func TestGenerateCredentials(t *testing.T) {
	e := newTestEnv(t)
	sbx := e.newSandbox(nil).ID
	lea := e.firstLEA(sbx).CDS
	base := "/control/v1/sandboxes/" + sbx + "/leas/" + lea + "/credentials"

	e.wantError("POST", base, map[string]any{"coordinator": "caaspp"}, http.StatusBadRequest, CodeAuthorizationRequired)
	e.wantError("POST", base, map[string]any{"authorizeRelease": true, "coordinator": "principal"}, http.StatusBadRequest, CodeBadRequest)
	e.wantError("POST", base, map[string]any{"authorizeRelease": true, "coordinator": "caaspp", "extra": 1}, http.StatusBadRequest, CodeBadRequest)
	e.wantError("POST", "/control/v1/sandboxes/"+sbx+"/leas/123/credentials", map[string]any{"authorizeRelease": true, "coordinator": "caaspp"}, http.StatusBadRequest, CodeInvalidCDS)
	e.wantError("POST", "/control/v1/sandboxes/"+sbx+"/leas/99999990000000/credentials", map[string]any{"authorizeRelease": true, "coordinator": "caaspp"}, http.StatusNotFound, CodeNotFound)

	var st credentialStatus
	e.mustDo("GET", base, nil, http.StatusOK, &st)
	if st.Status != "none" {
		t.Errorf("status before generating = %q, want none", st.Status)
	}

	c := e.generate(sbx, lea)
	if len(c.SecretKey) != secretLength {
		t.Errorf("secret key has %d characters, want %d", len(c.SecretKey), secretLength)
	}
	if got, want := c.ExpiresAt.Sub(c.GeneratedAt), 90*24*time.Hour; got != want {
		t.Errorf("2018-19 credentials live %v, want %v", got, want)
	}
	if c.Generation != 1 || c.Coordinator != "caaspp" {
		t.Errorf("generation %d coordinator %q, want 1 caaspp", c.Generation, c.Coordinator)
	}

	status, _, raw := e.do("GET", base, nil)
	if status != http.StatusOK || strings.Contains(string(raw), c.SecretKey) {
		t.Errorf("status page: %d %s: must answer without the secret", status, raw)
	}
	e.mustDo("GET", base, nil, http.StatusOK, &st)
	if st.Status != "active" || st.Username != c.Username || st.Generation != 1 || len(st.Reminders) != 4 {
		t.Errorf("status = %+v, want active, %s, generation 1, 4 reminders", st, c.Username)
	}

	var c2 issuedCredential
	e.mustDo("POST", base, map[string]any{"authorizeRelease": true, "coordinator": "elpac"}, http.StatusCreated, &c2)
	if c2.Username == c.Username || c2.SecretKey == c.SecretKey || c2.Generation != 2 || c2.Coordinator != "elpac" {
		t.Errorf("regenerated pair %+v must differ from the first and be generation 2 by elpac", c2)
	}
}

func TestTokenRules(t *testing.T) {
	e := newTestEnv(t)
	sbx := e.newSandbox(nil).ID
	lea := e.firstLEA(sbx).CDS
	old := e.generate(sbx, lea)
	oldToken := e.token(old)
	ssid := e.roster(sbx, lea, 1)[0].SSID
	e.list(oldToken, ssid)

	e.wantError("POST", "/api/v1/token", map[string]string{"username": old.Username, "secretKey": "wrong"}, http.StatusUnauthorized, CodeInvalidCredentials)
	e.wantError("POST", "/api/v1/token", map[string]string{"username": "nobody", "secretKey": old.SecretKey}, http.StatusUnauthorized, CodeInvalidCredentials)
	e.wantError("POST", "/api/v1/token", `{"username":`, http.StatusBadRequest, CodeBadRequest)
	e.wantError("POST", "/api/v1/token", `{"username":"a","secretKey":"b","x":1}`, http.StatusBadRequest, CodeBadRequest)
	e.wantError("POST", "/api/v1/token", strings.Repeat(" ", maxBodyBytes+1), http.StatusRequestEntityTooLarge, CodePayloadTooLarge)

	fresh := e.generate(sbx, lea)
	e.wantError("POST", "/api/v1/token", map[string]string{"username": old.Username, "secretKey": old.SecretKey}, http.StatusUnauthorized, CodeInvalidCredentials)
	msg := e.wantError("GET", "/api/v1/students/"+ssid+"/reports", nil, http.StatusUnauthorized, CodeInvalidToken, "Authorization", "Bearer "+oldToken)
	if !strings.Contains(msg, "regenerated") {
		t.Errorf("a superseded token's message %q should say the credentials were regenerated", msg)
	}
	newToken := e.token(fresh)
	e.list(newToken, ssid)

	// Tokens live 30 minutes of sandbox time.
	e.advance(sbx, map[string]any{"advance": "29m"})
	e.list(newToken, ssid)
	e.advance(sbx, map[string]any{"advance": "1m"})
	e.wantError("GET", "/api/v1/students/"+ssid+"/reports", nil, http.StatusUnauthorized, CodeTokenExpired, "Authorization", "Bearer "+newToken)

	// Credentials live 90 days in 2018-19.
	e.advance(sbx, map[string]any{"to": fresh.ExpiresAt.Format(time.RFC3339)})
	e.wantError("POST", "/api/v1/token", map[string]string{"username": fresh.Username, "secretKey": fresh.SecretKey}, http.StatusUnauthorized, CodeCredentialsExpired)
	var st credentialStatus
	e.mustDo("GET", "/control/v1/sandboxes/"+sbx+"/leas/"+lea+"/credentials", nil, http.StatusOK, &st)
	if st.Status != "expired" {
		t.Errorf("status after expiry = %q, want expired", st.Status)
	}

	for _, h := range []string{"", "Basic abc", "Bearer", "Bearer x.y", "Bearer " + strings.Repeat("a", 600)} {
		e.wantError("GET", "/api/v1/students/"+ssid+"/reports", nil, http.StatusUnauthorized, CodeInvalidToken, "Authorization", h)
	}
}

// TestRegenerationIsLinearizable hammers the token endpoint with a pair while it is
// regenerated: once the regeneration has returned, no request sent with the old pair or a
// token minted under it may succeed.
func TestRegenerationIsLinearizable(t *testing.T) {
	e := newTestEnv(t)
	sbx := e.newSandbox(nil).ID
	lea := e.firstLEA(sbx).CDS
	ssid := e.roster(sbx, lea, 1)[0].SSID
	sb, err := e.srv.sandbox(context.Background(), sbx)
	if err != nil {
		t.Fatal(err)
	}
	for round := range 5 {
		old := e.generate(sbx, lea)
		oldToken := e.token(old)
		var superseded atomic.Bool
		var lateSuccess atomic.Int64
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					after := superseded.Load()
					var ok bool
					if w%2 == 0 {
						_, _, err := sb.checkSecretAndMint(lea, old.Username, old.SecretKey)
						ok = err == nil
					} else {
						tk, payload, sig, _ := parseToken(oldToken)
						_, err := sb.checkToken(sb.state(), tk, payload, sig, sb.now())
						ok = err == nil
					}
					if after && ok {
						lateSuccess.Add(1)
					}
				}
			}()
		}
		time.Sleep(time.Millisecond) // let the workers run with the old pair first
		if _, err := e.srv.generateCredentials(context.Background(), sb, lea, CoordinatorELPAC, true); err != nil {
			t.Fatal(err)
		}
		superseded.Store(true)
		// Also through HTTP, from another goroutine than the one that regenerated.
		e.wantError("POST", "/api/v1/token", map[string]string{"username": old.Username, "secretKey": old.SecretKey}, http.StatusUnauthorized, CodeInvalidCredentials)
		e.wantError("GET", "/api/v1/students/"+ssid+"/reports", nil, http.StatusUnauthorized, CodeInvalidToken, "Authorization", "Bearer "+oldToken)
		close(stop)
		wg.Wait()
		if n := lateSuccess.Load(); n > 0 {
			t.Fatalf("round %d: %d checks with the superseded pair succeeded after regeneration returned", round, n)
		}
	}
}

func TestSecretsStayOutOfJournalAndLogs(t *testing.T) {
	e := newTestEnv(t)
	sbx := e.newSandbox(nil).ID
	lea := e.firstLEA(sbx).CDS
	c := e.generate(sbx, lea)
	tok := e.token(c)
	e.do("POST", "/api/v1/token?secretKey="+c.SecretKey, map[string]string{"username": c.Username, "secretKey": c.SecretKey})
	e.do("GET", "/api/v1/students/0000000000/reports?access_token="+tok, nil, "Authorization", "Bearer "+tok)
	_, _, raw := e.do("GET", "/control/v1/sandboxes/"+sbx+"/journal", nil)
	if strings.Contains(string(raw), c.SecretKey) || strings.Contains(string(raw), tok) {
		t.Fatalf("the journal holds a secret: %s", raw)
	}
	var page store.JournalPage
	e.mustDo("GET", "/control/v1/sandboxes/"+sbx+"/journal", nil, http.StatusOK, &page)
	flagged := 0
	for _, en := range page.Entries {
		if en.SecretInURL {
			flagged++
		}
	}
	if flagged != 2 {
		t.Errorf("%d journal entries flag a secret in the URL, want 2: %+v", flagged, page.Entries)
	}
}

func TestJournalNamesTheUsernameOfEachToken(t *testing.T) {
	f := newVendorFixture(t)
	f.list(f.tok, f.ssid)
	second := f.generate(f.sbx, f.lea)
	f.do("GET", "/api/v1/students/"+f.ssid+"/reports", nil, "Authorization", "Bearer "+f.tok, "X-SSRMock-Client", "suite")
	f.list(f.token(second), f.ssid)
	var page store.JournalPage
	f.mustDo("GET", "/control/v1/sandboxes/"+f.sbx+"/journal", nil, http.StatusOK, &page)
	var got []string
	for _, e := range page.Entries {
		if e.Route == routeReports {
			got = append(got, e.Username+"/"+e.TokenState+"/"+e.Client)
			if e.RealAt.IsZero() {
				t.Errorf("entry %d has no real time", e.Seq)
			}
		}
	}
	want := []string{f.cred.Username + "/valid/", f.cred.Username + "/superseded/suite", second.Username + "/valid/"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("report entries (username/token/client) = %v, want %v", got, want)
	}
}

package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ssrmock/ssrmock/internal/pgtest"
	"github.com/ssrmock/ssrmock/server/simclock"
	"github.com/ssrmock/ssrmock/server/store"
)

// testEnv is a server behind httptest with a tiny default sandbox.
type testEnv struct {
	t   testing.TB
	srv *Server
	ts  *httptest.Server
}

func newTestEnv(tb testing.TB) *testEnv {
	tb.Helper()
	return newTestEnvOn(tb, testStore(tb))
}

// newTestEnvOn is newTestEnv on the store st (nil: memory).
func newTestEnvOn(tb testing.TB, st store.Store) *testEnv {
	tb.Helper()
	srv, err := New(Config{Seed: 7, Scenario: "2018-19", Scale: "tiny", Store: st})
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	tb.Cleanup(func() { ts.Close(); srv.Close() })
	return &testEnv{t: tb, srv: srv, ts: ts}
}

// do sends a request and returns the status, headers and body.
func (e *testEnv) do(method, path string, body any, header ...string) (int, http.Header, []byte) {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	url := path
	if strings.HasPrefix(path, "/") {
		url = e.ts.URL + path
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := e.ts.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return resp.StatusCode, resp.Header, raw
}

// mustDo sends a request, checks its status and decodes the JSON answer into out (if not nil).
func (e *testEnv) mustDo(method, path string, body any, wantStatus int, out any, header ...string) http.Header {
	e.t.Helper()
	status, h, raw := e.do(method, path, body, header...)
	if status != wantStatus {
		e.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, status, wantStatus, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			e.t.Fatalf("%s %s: decoding %s: %v", method, path, raw, err)
		}
	}
	return h
}

// wantError sends a request and checks that it fails with status and code in the envelope.
func (e *testEnv) wantError(method, path string, body any, wantStatus int, wantCode string, header ...string) string {
	e.t.Helper()
	status, _, raw := e.do(method, path, body, header...)
	var env struct {
		Error *Error `json:"error"`
	}
	if err := json.Unmarshal(raw, &env); err != nil || env.Error == nil {
		e.t.Fatalf("%s %s: status %d, body %.200q is not the error envelope", method, path, status, raw)
	}
	if status != wantStatus || env.Error.Code != wantCode {
		e.t.Fatalf("%s %s: got %d %s (%s), want %d %s", method, path, status, env.Error.Code, env.Error.Message, wantStatus, wantCode)
	}
	if env.Error.Message == "" {
		e.t.Errorf("%s %s: error %s has no message", method, path, wantCode)
	}
	return env.Error.Message
}

// newSandbox makes a tiny sandbox and returns its ID.
func (e *testEnv) newSandbox(spec map[string]any) sandboxInfo {
	e.t.Helper()
	if spec == nil {
		spec = map[string]any{"seed": 11, "scale": "tiny"}
	}
	var info sandboxInfo
	e.mustDo("POST", "/control/v1/sandboxes", spec, http.StatusCreated, &info)
	return info
}

// firstLEA returns the sandbox's first LEA.
func (e *testEnv) firstLEA(sbx string) leaInfo {
	e.t.Helper()
	var out struct{ LEAs []leaInfo }
	e.mustDo("GET", "/control/v1/sandboxes/"+sbx+"/leas", nil, http.StatusOK, &out)
	if len(out.LEAs) == 0 {
		e.t.Fatal("sandbox has no LEAs")
	}
	return out.LEAs[0]
}

// generate makes credentials for lea.
func (e *testEnv) generate(sbx, lea string) issuedCredential {
	e.t.Helper()
	var c issuedCredential
	e.mustDo("POST", "/control/v1/sandboxes/"+sbx+"/leas/"+lea+"/credentials",
		map[string]any{"authorizeRelease": true, "coordinator": "caaspp"}, http.StatusCreated, &c)
	return c
}

// token exchanges credentials for an access token.
func (e *testEnv) token(c issuedCredential) string {
	e.t.Helper()
	var tok tokenResponse
	e.mustDo("POST", "/api/v1/token", map[string]string{"username": c.Username, "secretKey": c.SecretKey}, http.StatusOK, &tok)
	return tok.AccessToken
}

// roster returns the first students of lea.
func (e *testEnv) roster(sbx, lea string, limit int) []studentInfo {
	e.t.Helper()
	var page rosterPage
	e.mustDo("GET", "/control/v1/sandboxes/"+sbx+"/leas/"+lea+"/students?limit="+itoa(limit), nil, http.StatusOK, &page)
	return page.Students
}

// rosterAll pages through an LEA's whole roster.
func (e *testEnv) rosterAll(sbx, lea string) []studentInfo {
	e.t.Helper()
	var all []studentInfo
	cursor := ""
	for {
		var page rosterPage
		e.mustDo("GET", "/control/v1/sandboxes/"+sbx+"/leas/"+lea+"/students?limit=1000&cursor="+cursor, nil, http.StatusOK, &page)
		all = append(all, page.Students...)
		if page.NextCursor == "" {
			return all
		}
		cursor = page.NextCursor
	}
}

// truth returns a student's ground truth for lea (empty: current LEA) at the sandbox's now.
func (e *testEnv) truth(sbx, ssid, lea string) groundTruth {
	e.t.Helper()
	var gt groundTruth
	path := "/control/v1/sandboxes/" + sbx + "/students/" + ssid + "/reports"
	if lea != "" {
		path += "?lea=" + lea
	}
	e.mustDo("GET", path, nil, http.StatusOK, &gt)
	return gt
}

// list lists a student's reports with a token.
func (e *testEnv) list(token, ssid string) reportList {
	e.t.Helper()
	var l reportList
	e.mustDo("GET", "/api/v1/students/"+ssid+"/reports", nil, http.StatusOK, &l, "Authorization", "Bearer "+token)
	return l
}

// advance moves a sandbox's clock.
func (e *testEnv) advance(sbx string, body map[string]any) clockReply {
	e.t.Helper()
	var c clockReply
	e.mustDo("POST", "/control/v1/sandboxes/"+sbx+"/clock", body, http.StatusOK, &c)
	return c
}

func mustTime(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func newHTTPTestServer(tb testing.TB, h http.Handler) *httptest.Server {
	ts := httptest.NewServer(h)
	tb.Cleanup(ts.Close)
	return ts
}

// stateSandbox is a sandbox with no world, holding st: enough for the token and URL code.
func stateSandbox(id string, key []byte, st store.State) *Sandbox {
	sb := &Sandbox{ID: id, key: key, real: simclock.Real{}, store: store.NewMemory(store.Options{})}
	sb.cur.Store(&snapshot{st: st, version: 1})
	return sb
}

// testStoreEnv names the store the package's tests run on: unset for memory, "sqlite" or
// "postgres", so that CI runs the same tests on each.
const testStoreEnv = "SSRMOCK_TEST_STORE"

// testStore is a new, empty store of the kind testStoreEnv names; nil means memory.
func testStore(tb testing.TB) store.Store {
	tb.Helper()
	return storeOf(tb, os.Getenv(testStoreEnv))
}

// storeOf is a new, empty store of the given kind; nil means memory.
func storeOf(tb testing.TB, kind string) store.Store {
	tb.Helper()
	var st store.Store
	var err error
	switch kind {
	case "", "memory":
		return nil
	case "sqlite":
		st, err = store.OpenSQLite(filepath.Join(tb.TempDir(), "state.db"), store.Options{})
	case "postgres":
		st, err = store.OpenPostgres(context.Background(), pgtest.Start(tb), store.Options{})
	default:
		tb.Fatalf("%s=%s: give memory, sqlite or postgres", testStoreEnv, kind)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

// lastEntry is the newest entry of the journal of sandbox sbx.
func (e *testEnv) lastEntry(sbx string) JournalEntry {
	e.t.Helper()
	var j struct {
		Entries []JournalEntry `json:"entries"`
	}
	e.mustDo("GET", "/control/v1/sandboxes/"+sbx+"/journal?limit=1000", nil, http.StatusOK, &j)
	if len(j.Entries) == 0 {
		e.t.Fatalf("the journal of %s is empty", sbx)
	}
	return j.Entries[len(j.Entries)-1]
}

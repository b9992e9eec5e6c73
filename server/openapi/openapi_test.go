package openapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	liberrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/ssrmock/ssrmock/server"
	"github.com/ssrmock/ssrmock/server/openapi"
	"go.yaml.in/yaml/v3"
)

// exampleHost replaces the test server's address in captured examples.
const exampleHost = "127.0.0.1:8080"

// controlToken is the control token of the server under test, so that the unauthorized
// answer is exercised too.
const controlToken = "docs-control-token"

// document is the document under test: the embedded one, or with -update the one about to be
// generated from openapi.yaml.
func document(t testing.TB) []byte {
	t.Helper()
	if !*update {
		return openapi.Document()
	}
	doc, err := generate(examples{})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func newValidator(t testing.TB) validator.Validator {
	t.Helper()
	doc, err := libopenapi.NewDocument(document(t))
	if err != nil {
		t.Fatalf("parse the document: %v", err)
	}
	v, errs := validator.NewValidator(doc, config.WithFormatAssertions())
	if len(errs) > 0 {
		t.Fatalf("build the validator: %v", errs)
	}
	return v
}

// TestDocumentValid checks the document against the OpenAPI 3.1 schema.
func TestDocumentValid(t *testing.T) {
	v := newValidator(t)
	if ok, errs := v.ValidateDocument(); !ok {
		for _, e := range errs {
			t.Errorf("%s: %s (%s)", e.Message, e.Reason, e.HowToFix)
		}
	}
}

// exchange is the state of the scripted session with a live server.
type exchange struct {
	t        *testing.T
	srv      *httptest.Server
	v        validator.Validator
	capture  bool
	examples examples
	// covered counts the successful answers of each operation; codes, the error codes seen.
	covered map[string]int
	codes   map[string]bool
}

// call describes one request of the script.
type call struct {
	op     string // operation ID in the document
	method string
	path   string // path and query, relative to the server
	body   string
	// contentType defaults to application/json when there is a body.
	contentType string
	header      http.Header
	noToken     bool // send no control token
	status      int  // the status the server must answer
	// malformed marks a request that breaks the document on purpose: only the response is
	// validated.
	malformed bool
	// undocumented marks an exchange outside the document (a wrong method): nothing is validated.
	undocumented bool
}

// do runs c against the server, validates request and response and returns the body.
func (x *exchange) do(c call) []byte {
	x.t.Helper()
	url := x.srv.URL + c.path
	if strings.HasPrefix(c.path, "http") {
		url = c.path
	}
	newReq := func() *http.Request {
		var body io.Reader
		if c.body != "" {
			body = strings.NewReader(c.body)
		}
		req, err := http.NewRequest(c.method, url, body)
		if err != nil {
			x.t.Fatal(err)
		}
		if c.body != "" {
			ct := c.contentType
			if ct == "" {
				ct = "application/json"
			}
			req.Header.Set("Content-Type", ct)
		}
		for k, v := range c.header {
			req.Header[k] = v
		}
		if strings.Contains(req.URL.Path, "/control/") && !c.noToken {
			req.Header.Set("Authorization", "Bearer "+controlToken)
		}
		return req
	}
	req := newReq()
	resp, err := x.srv.Client().Do(req)
	if err != nil {
		x.t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		x.t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	if resp.StatusCode != c.status {
		x.t.Fatalf("%s %s: status %d, want %d\n%s", c.method, c.path, resp.StatusCode, c.status, body)
	}
	code := ""
	if resp.StatusCode >= 400 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		var e struct {
			Error struct{ Code string } `json:"error"`
		}
		if err := json.Unmarshal(body, &e); err != nil || e.Error.Code == "" {
			x.t.Errorf("%s %s: error answer without the envelope: %s", c.method, c.path, body)
		}
		code = e.Error.Code
		x.codes[code] = true
	}
	if c.undocumented {
		return body
	}
	// Validate against the document with a fresh request (the first one's body is spent)
	// and the response as received.
	vreq := newReq()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.Request = vreq
	var errs []string
	if c.malformed {
		if ok, verrs := x.v.ValidateHttpResponse(vreq, resp); !ok {
			for _, e := range verrs {
				errs = append(errs, describe(e.Message, e.Reason, e.SchemaValidationErrors))
			}
		}
	} else if ok, verrs := x.v.ValidateHttpRequestResponse(vreq, resp); !ok {
		for _, e := range verrs {
			errs = append(errs, describe(e.Message, e.Reason, e.SchemaValidationErrors))
		}
	}
	for _, e := range errs {
		x.t.Errorf("%s %s (%d %s) breaks the document: %s\nbody: %.500s", c.method, c.path, resp.StatusCode, code, e, body)
	}
	if resp.StatusCode < 400 {
		x.covered[c.op]++
	}
	if x.capture && c.op != "getOpenAPI" && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		x.keep(c, resp.StatusCode, body)
	}
	return body
}

func describe(msg, reason string, schemaErrs []*liberrors.SchemaValidationFailure) string {
	s := msg + ": " + reason
	for _, e := range schemaErrs {
		s += fmt.Sprintf("\n\t%s: %s", e.FieldPath, e.Reason)
	}
	return s
}

// keep records the first exchange of each operation and status as its example.
func (x *exchange) keep(c call, status int, body []byte) {
	oe := x.examples[c.op]
	if oe == nil {
		oe = &operationExamples{Responses: map[string]json.RawMessage{}}
		x.examples[c.op] = oe
	}
	if oe.Request == nil && c.body != "" && !c.malformed && status < 400 {
		oe.Request = json.RawMessage(c.body)
	}
	key := strconv.Itoa(status)
	if _, ok := oe.Responses[key]; ok {
		return
	}
	// Decode keeping the server's key order, cut long arrays, and encode again.
	var n yaml.Node
	if err := yaml.Unmarshal(body, &n); err != nil {
		x.t.Fatal(err)
	}
	trim(n.Content[0])
	var buf bytes.Buffer
	if err := writeJSON(&buf, n.Content[0]); err != nil {
		x.t.Fatal(err)
	}
	b := buf.Bytes()
	host := strings.TrimPrefix(x.srv.URL, "http://")
	oe.Responses[key] = json.RawMessage(strings.ReplaceAll(string(b), host, exampleHost))
}

// trim keeps examples short: arrays are cut to three items.
func trim(n *yaml.Node) {
	if n.Kind == yaml.SequenceNode && len(n.Content) > 3 {
		n.Content = n.Content[:3]
	}
	for _, c := range n.Content {
		trim(c)
	}
}

func decodeJSON[T any](t testing.TB, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return v
}

// TestLiveServer drives every route of a live server through its main answers, validating
// each request and response against the document. With -update it also captures the
// examples and regenerates openapi.json.
func TestLiveServer(t *testing.T) {
	srv, err := server.New(server.Config{
		Seed: 1, Scenario: "2018-19", Scale: "tiny", ControlToken: controlToken,
		// Few faults, so that the script meets the limit.
		MaxFaults: 4,
		// A fixed source of secrets makes the captured examples the same on every -update.
		Random: rand.NewChaCha8([32]byte{'s', 's', 'r', 'm', 'o', 'c', 'k'}),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hs := httptest.NewUnstartedServer(srv)
	hs.Config = server.HTTPServer(srv, server.HTTPOptions{})
	hs.Listener = server.Listener(hs.Listener, server.HTTPOptions{})
	hs.Start()
	defer hs.Close()
	x := &exchange{t: t, srv: hs, v: newValidator(t), capture: *update, examples: examples{},
		covered: map[string]int{}, codes: map[string]bool{}}
	script(t, x)

	for _, op := range documentOperations(t) {
		if x.covered[op] == 0 {
			t.Errorf("operation %s was never answered successfully by the script", op)
		}
	}
	wantCodes := errorCodes(t)
	var missing []string
	for _, c := range wantCodes {
		if !x.codes[c] && c != "internal" {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		t.Errorf("error codes never exercised: %v", missing)
	}
	if *update && !t.Failed() {
		writeGenerated(t, x.examples)
		t.Logf("wrote %s and %s", examplesFile, documentFile)
	}
}

// script is the session: a sandbox, credentials, a token, a listing, a PDF, faults, the
// journal, clock moves, transfers, amendments and each error on the way.
func script(t *testing.T, x *exchange) {
	x.do(call{op: "getOpenAPI", method: "GET", path: "/openapi.json", status: 200})
	scriptToday(t, x)
	x.do(call{op: "getHealthz", method: "GET", path: "/healthz", status: 200})
	x.do(call{op: "getReadyz", method: "GET", path: "/readyz", status: 200})

	const sbxs = "/control/v1/sandboxes"
	sbx := decodeJSON[struct{ ID string }](t, x.do(call{op: "createSandbox", method: "POST", path: sbxs,
		body: `{"seed":1,"scenario":"2018-19","scale":"tiny"}`, status: 201})).ID
	base := sbxs + "/" + sbx
	x.do(call{op: "createSandbox", method: "POST", path: sbxs, body: `{"scale":"huge"}`, status: 400, malformed: true})
	x.do(call{op: "createSandbox", method: "POST", path: sbxs, body: `{"seed":"one"}`, status: 400, malformed: true})
	x.do(call{op: "createSandbox", method: "POST", path: sbxs, body: `seed=1`, contentType: "text/plain", status: 415, malformed: true})
	x.do(call{op: "createSandbox", method: "POST", path: sbxs, body: `{}`, noToken: true, status: 401, malformed: true})
	x.do(call{op: "listSandboxes", method: "GET", path: sbxs, status: 200})
	x.do(call{op: "getSandbox", method: "GET", path: base, status: 200})
	x.do(call{op: "getSandbox", method: "GET", path: sbxs + "/sbx-none", status: 404})
	x.do(call{op: "getClock", method: "GET", path: base + "/clock", status: 200})

	leas := decodeJSON[struct{ LEAs []struct{ CDS string } }](t, x.do(call{op: "listLEAs", method: "GET", path: base + "/leas", status: 200}))
	lea := leas.LEAs[0].CDS
	creds := base + "/leas/" + lea + "/credentials"
	x.do(call{op: "getCredentialStatus", method: "GET", path: creds, status: 200})
	x.do(call{op: "generateCredentials", method: "POST", path: creds, body: `{"authorizeRelease":false,"coordinator":"caaspp"}`, status: 400})
	x.do(call{op: "generateCredentials", method: "POST", path: base + "/leas/123/credentials", body: `{"authorizeRelease":true,"coordinator":"caaspp"}`, status: 400, malformed: true})
	x.do(call{op: "generateCredentials", method: "POST", path: base + "/leas/99999990000000/credentials", body: `{"authorizeRelease":true,"coordinator":"caaspp"}`, status: 404})
	type issued struct{ Username, SecretKey string }
	pair := decodeJSON[issued](t, x.do(call{op: "generateCredentials", method: "POST", path: creds, body: `{"authorizeRelease":true,"coordinator":"caaspp"}`, status: 201}))
	x.do(call{op: "getCredentialStatus", method: "GET", path: creds, status: 200})

	roster := base + "/leas/" + lea + "/students"
	x.do(call{op: "listRoster", method: "GET", path: roster + "?limit=3", status: 200})
	x.do(call{op: "listRoster", method: "GET", path: roster + "?limit=3&assessment=summative-elpac&schoolYear=2018-19", status: 200})
	x.do(call{op: "listRoster", method: "GET", path: roster + "?limit=0", status: 400, malformed: true})

	// A student with a report this LEA sees now: historical CAASPP reports are out at the start.
	page := decodeJSON[struct{ Students []struct{ SSID string } }](t, x.do(call{op: "listRoster", method: "GET", path: roster + "?limit=100&assessment=smarter-balanced&schoolYear=2017-18", status: 200}))
	if len(page.Students) == 0 {
		t.Fatal("no student with a 2017-18 Smarter Balanced report")
	}
	ssid := page.Students[0].SSID
	x.do(call{op: "getStudent", method: "GET", path: base + "/students/" + ssid, status: 200})
	x.do(call{op: "getStudent", method: "GET", path: base + "/students/12345", status: 400, malformed: true})
	x.do(call{op: "getStudent", method: "GET", path: base + "/students/0000000000", status: 404})
	truth := decodeJSON[struct {
		Reports []struct {
			ID, ReportID string
			Visible      bool
		}
	}](t, x.do(call{op: "getGroundTruth", method: "GET", path: base + "/students/" + ssid + "/reports?lea=" + lea + "&at=2019-02-11T09:00:00-08:00", status: 200}))
	x.do(call{op: "getGroundTruth", method: "GET", path: base + "/students/" + ssid + "/reports?at=yesterday", status: 400, malformed: true})

	// The vendor's side.
	tokenBody := func(p issued) string {
		b, _ := json.Marshal(map[string]string{"username": p.Username, "secretKey": p.SecretKey})
		return string(b)
	}
	tok := decodeJSON[struct {
		AccessToken string `json:"access_token"`
	}](t, x.do(call{op: "createToken", method: "POST", path: "/api/v1/token", body: tokenBody(pair), status: 200})).AccessToken
	x.do(call{op: "createToken", method: "POST", path: "/api/v1/token", body: tokenBody(issued{pair.Username, "not-the-secret-key!!"}), status: 401})
	x.do(call{op: "createToken", method: "POST", path: "/api/v1/token", body: `{"username":"x","password":"y"}`, status: 400, malformed: true})
	x.do(call{op: "createToken", method: "POST", path: "/api/v1/token", body: `{"username":"` + strings.Repeat("x", 70<<10) + `"}`, status: 413, malformed: true})
	x.do(call{op: "createToken", method: "PUT", path: "/api/v1/token", body: tokenBody(pair), status: 405, undocumented: true})
	// The guard (docs/api.md, Security) answers before any route: outside the document.
	x.do(call{op: "createSandbox", method: "POST", path: sbxs, body: `{}`, header: http.Header{"Origin": {"http://evil.example"}}, status: 403, undocumented: true})
	x.srv.Client().CloseIdleConnections() // net/http checks the header limit on a fresh connection
	x.do(call{op: "createToken", method: "POST", path: "/api/v1/token", body: tokenBody(pair), header: http.Header{"X-Big": {strings.Repeat("x", 70<<10)}}, status: 431, undocumented: true})

	bearer := func(token string) http.Header { return http.Header{"Authorization": {"Bearer " + token}} }
	reports := "/api/v1/students/" + ssid + "/reports"
	list := decodeJSON[struct {
		Reports []struct{ ID, URL string }
	}](t, x.do(call{op: "listReports", method: "GET", path: reports, header: bearer(tok), status: 200}))
	if len(list.Reports) == 0 {
		t.Fatalf("student %s lists no report", ssid)
	}
	x.do(call{op: "listReports", method: "GET", path: reports, status: 401, malformed: true})
	x.do(call{op: "listReports", method: "GET", path: reports, header: bearer("forged.token"), status: 401})
	x.do(call{op: "listReports", method: "GET", path: "/api/v1/students/12345/reports", header: bearer(tok), status: 400, malformed: true})
	x.do(call{op: "listReports", method: "GET", path: "/api/v1/students/0000000000/reports", header: bearer(tok), status: 404})

	link := list.Reports[0].URL
	pdfResp := x.do(call{op: "getReportPDF", method: "GET", path: link, status: 200})
	if !bytes.HasPrefix(pdfResp, []byte("%PDF-")) {
		t.Errorf("the link served %.20q, not a PDF", pdfResp)
	}
	x.do(call{op: "headReportPDF", method: "HEAD", path: link, status: 200})
	x.do(call{op: "getReportPDF", method: "GET", path: link, header: http.Header{"If-None-Match": {etagOf(t, hsGet(t, x, link))}}, status: 304})
	tampered := regexp.MustCompile(`sig=[^&]+`).ReplaceAllString(link, "sig=AAAA")
	x.do(call{op: "getReportPDF", method: "GET", path: tampered, status: 403})

	// Faults and the journal.
	faults := base + "/faults"
	x.do(call{op: "addFault", method: "POST", path: faults, body: `{"route":"reports","status":429,"retryAfter":"30s","count":1}`, status: 201})
	x.do(call{op: "listReports", method: "GET", path: reports, header: bearer(tok), status: 429})
	x.do(call{op: "addFault", method: "POST", path: faults, body: `{"route":"token","code":"maintenance","retryAfter":120,"count":1}`, status: 201})
	x.do(call{op: "createToken", method: "POST", path: "/api/v1/token", body: tokenBody(pair), status: 503})
	x.do(call{op: "addFault", method: "POST", path: faults, body: `{"route":"pdf","status":502,"count":1}`, status: 201})
	x.do(call{op: "getReportPDF", method: "GET", path: link, status: 502})
	x.do(call{op: "addFault", method: "POST", path: faults, body: `{"route":"reports","status":200}`, status: 400, malformed: true})
	f := decodeJSON[struct{ ID string }](t, x.do(call{op: "addFault", method: "POST", path: faults, body: `{"route":"*","delay":"2s","from":"2030-01-01T00:00:00Z"}`, status: 201}))
	x.do(call{op: "addFault", method: "POST", path: faults, body: `{"route":"token","status":500}`, status: 409})
	x.do(call{op: "listFaults", method: "GET", path: faults, status: 200})
	x.do(call{op: "deleteFault", method: "DELETE", path: faults + "/" + f.ID, status: 204})
	x.do(call{op: "deleteFault", method: "DELETE", path: faults + "/flt-none", status: 404})
	x.do(call{op: "clearFaults", method: "DELETE", path: faults, status: 204})
	x.do(call{op: "readJournal", method: "GET", path: base + "/journal?after=0&limit=5", status: 200})
	x.do(call{op: "readJournal", method: "GET", path: base + "/journal?limit=0", status: 400, malformed: true})

	// Time passes: links and tokens expire.
	x.do(call{op: "moveClock", method: "POST", path: base + "/clock", body: `{"advance":"31m"}`, status: 200})
	x.do(call{op: "moveClock", method: "POST", path: base + "/clock", body: `{"advance":"1h","to":"2019-06-01T00:00:00-07:00"}`, status: 400})
	x.do(call{op: "moveClock", method: "POST", path: base + "/clock", body: `{"to":"2019-01-01T00:00:00-08:00"}`, status: 400})
	x.do(call{op: "getReportPDF", method: "GET", path: link, status: 403})
	x.do(call{op: "listReports", method: "GET", path: reports, header: bearer(tok), status: 401})

	// Rescoring, transfers, regeneration, expiry.
	var reportID string
	for _, r := range truth.Reports {
		if r.Visible {
			reportID = r.ReportID
			break
		}
	}
	x.do(call{op: "amendReport", method: "POST", path: base + "/reports/" + reportID + "/amend", status: 200})
	x.do(call{op: "amendReport", method: "POST", path: base + "/reports/nothing-here/amend", status: 404})
	x.do(call{op: "transferStudent", method: "POST", path: base + "/students/" + ssid + "/transfer", body: `{"lea":"` + lea + `"}`, status: 409})
	x.do(call{op: "transferStudent", method: "POST", path: base + "/students/" + ssid + "/transfer", body: `{"lea":"00000000000000"}`, status: 404})
	x.do(call{op: "transferStudent", method: "POST", path: base + "/students/" + ssid + "/transfer", body: `{"lea":"12"}`, status: 400, malformed: true})

	county := decodeJSON[struct{ ID string }](t, x.do(call{op: "createSandbox", method: "POST", path: sbxs, body: `{"seed":1,"scenario":"2025-26","scale":"county"}`, status: 201})).ID
	cleas := decodeJSON[struct{ LEAs []struct{ CDS string } }](t, x.do(call{op: "listLEAs", method: "GET", path: sbxs + "/" + county + "/leas", status: 200})).LEAs
	if len(cleas) < 2 {
		t.Fatalf("a county sandbox has %d LEAs, want two or more", len(cleas))
	}
	cstudent := decodeJSON[struct{ Students []struct{ SSID string } }](t, x.do(call{op: "listRoster", method: "GET", path: sbxs + "/" + county + "/leas/" + cleas[0].CDS + "/students?limit=1", status: 200})).Students[0].SSID
	x.do(call{op: "transferStudent", method: "POST", path: sbxs + "/" + county + "/students/" + cstudent + "/transfer", body: `{"lea":"` + cleas[1].CDS + `"}`, status: 200})
	x.do(call{op: "deleteSandbox", method: "DELETE", path: sbxs + "/" + county, status: 204})
	x.do(call{op: "deleteSandbox", method: "DELETE", path: sbxs + "/" + county, status: 404})

	newPair := decodeJSON[issued](t, x.do(call{op: "generateCredentials", method: "POST", path: creds, body: `{"authorizeRelease":true,"coordinator":"elpac"}`, status: 201}))
	x.do(call{op: "createToken", method: "POST", path: "/api/v1/token", body: tokenBody(pair), status: 401})
	x.do(call{op: "moveClock", method: "POST", path: base + "/clock", body: `{"advance":"2160h"}`, status: 200})
	x.do(call{op: "createToken", method: "POST", path: "/api/v1/token", body: tokenBody(newPair), status: 401})
	x.do(call{op: "getCredentialStatus", method: "GET", path: creds, status: 200})
	x.do(call{op: "readJournal", method: "GET", path: base + "/journal?after=3&limit=3", status: 200})
	x.do(call{op: "listFindings", method: "GET", path: base + "/findings?limit=2", status: 200})
	x.do(call{op: "listFindings", method: "GET", path: base + "/findings?limit=0", status: 400, malformed: true})

	// A sandbox of declared LEAs.
	declared := decodeJSON[struct{ ID string }](t, x.do(call{op: "createSandbox", method: "POST", path: sbxs,
		body: `{"seed":1,"scenario":"2025-26","leas":[{"cds":"19647330000000","name":"Our Unified School District","students":40}]}`, status: 201})).ID
	x.do(call{op: "listLEAs", method: "GET", path: sbxs + "/" + declared + "/leas", status: 200})
	x.do(call{op: "createSandbox", method: "POST", path: sbxs, body: `{"leas":[{"cds":"19647336000000","name":"A school","students":40}]}`, status: 400, malformed: true})
}

// hsGet fetches url without validation: a helper request of the script.
func hsGet(t *testing.T, x *exchange, url string) *http.Response {
	t.Helper()
	resp, err := x.srv.Client().Get(url)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func etagOf(t *testing.T, resp *http.Response) string {
	t.Helper()
	etag := resp.Header.Get("ETag")
	if etag == "" {
		t.Fatal("the PDF came without an ETag")
	}
	return etag
}

// documentOperations lists the document's operation IDs.
func documentOperations(t *testing.T) []string {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(document(t), &doc); err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, item := range doc.Paths {
		for method, raw := range item {
			if method == "parameters" {
				continue
			}
			var op struct {
				OperationID string `json:"operationId"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s: %v", method, err)
			}
			if op.OperationID != "" {
				ops = append(ops, op.OperationID)
			}
		}
	}
	sort.Strings(ops)
	return ops
}

// TestEveryRouteDocumented reads the server's route table from its source and checks that the
// document describes exactly those routes and methods.
func TestEveryRouteDocumented(t *testing.T) {
	src, err := os.ReadFile("../routes.go")
	if err != nil {
		t.Fatal(err)
	}
	fnPrefix := map[string]string{"registerVendorRoutes": "/api/v1", "registerControlRoutes": "/control/v1"}
	var code []routeLine
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "../routes.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		prefix := fnPrefix[fn.Name.Name]
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			// r.HandleFunc("/path", h).Methods(m...) and r.Handle("/path", h).Methods(m...)
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Methods" {
				return true
			}
			inner, ok := sel.X.(*ast.CallExpr)
			if !ok {
				return true
			}
			isel, ok := inner.Fun.(*ast.SelectorExpr)
			if !ok || (isel.Sel.Name != "HandleFunc" && isel.Sel.Name != "Handle") || len(inner.Args) == 0 {
				return true
			}
			lit, ok := inner.Args[0].(*ast.BasicLit)
			if !ok {
				return true
			}
			path, _ := strconv.Unquote(lit.Value)
			for _, m := range call.Args {
				msel, ok := m.(*ast.SelectorExpr)
				if !ok {
					continue
				}
				method := strings.ToUpper(strings.TrimPrefix(msel.Sel.Name, "Method"))
				if method == "HEAD" && path == "/openapi.json" {
					continue // served as GET; HEAD comes with it
				}
				code = append(code, routeLine{method, prefix + path})
			}
			return true
		})
	}
	if len(code) < 10 {
		t.Fatalf("found only %d routes in routes.go: has its shape changed?", len(code))
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(document(t), &doc); err != nil {
		t.Fatal(err)
	}
	var documented []routeLine
	for path, item := range doc.Paths {
		for method := range item {
			switch method {
			case "get", "post", "put", "delete", "head", "patch":
				documented = append(documented, routeLine{strings.ToUpper(method), normalize(path)})
			}
		}
	}
	for i := range code {
		code[i].path = normalize(code[i].path)
	}
	sortRoutes(code)
	sortRoutes(documented)
	if !slices.Equal(code, documented) {
		t.Errorf("routes.go and the document differ:\nin the code only: %v\nin the document only: %v", minus(code, documented), minus(documented, code))
	}
}

type routeLine struct{ method, path string }

func (r routeLine) String() string { return r.method + " " + r.path }

// normalize names every path parameter {}.
func normalize(p string) string { return regexp.MustCompile(`\{[^}]*\}`).ReplaceAllString(p, "{}") }

func sortRoutes(rs []routeLine) {
	slices.SortFunc(rs, func(a, b routeLine) int { return strings.Compare(a.String(), b.String()) })
}

func minus(a, b []routeLine) []string {
	var out []string
	for _, r := range a {
		if !slices.Contains(b, r) {
			out = append(out, r.String())
		}
	}
	return out
}

// errorCodes reads the error codes the server defines from its source.
func errorCodes(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "../errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if !strings.HasPrefix(name.Name, "Code") || i >= len(vs.Values) {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok {
					s, _ := strconv.Unquote(lit.Value)
					codes = append(codes, s)
				}
			}
		}
	}
	sort.Strings(codes)
	return codes
}

// TestErrorCodesDocumented checks that the ErrorCode enum is exactly the server's codes and
// that each one's status is what the document's reference says.
func TestErrorCodesDocumented(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas struct {
				ErrorCode struct {
					Enum []string `json:"enum"`
				}
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(document(t), &doc); err != nil {
		t.Fatal(err)
	}
	got := slices.Clone(doc.Components.Schemas.ErrorCode.Enum)
	sort.Strings(got)
	want := errorCodes(t)
	if !slices.Equal(got, want) {
		t.Errorf("ErrorCode enum %v, want the server's codes %v", got, want)
	}
	for _, c := range want {
		if server.ErrorStatus(c) == http.StatusInternalServerError && c != "internal" {
			t.Errorf("code %s has no status of its own", c)
		}
	}
}

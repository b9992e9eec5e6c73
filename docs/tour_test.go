package docs_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The tour's instants: the 2018-19 scenario's start, half an hour and a minute later, and the
// jump to July.
const (
	tourStart = "2019-02-11T08:00:00-08:00"
	tourLater = "2019-02-11T08:31:00-08:00"
	tourJuly  = "2019-07-15T08:00:00-07:00"
)

// tourRun is the output of the README's tour, block by block, and the shell variables the
// tour set.
type tourRun struct {
	blocks []string
	vars   map[string]string
	dir    string // where the tour ran: credentials.json, report.pdf, reports/
}

// runTour runs the README's tour blocks as one script against the server at addr, marking
// where each block's output starts, and prints the tour's variables at the end.
func runTour(t *testing.T, addr string) tourRun {
	t.Helper()
	blocks := tourBlocks(t)
	var script strings.Builder
	script.WriteString("set -euo pipefail\n")
	for i, b := range blocks {
		fmt.Fprintf(&script, "echo '@@block %d@@'\n%s\n", i, b)
	}
	script.WriteString("echo \"@@vars@@ LEA=$LEA SSID=$SSID EL=$EL\"\n")
	src := strings.ReplaceAll(script.String(), "127.0.0.1:8080", addr)
	const build = "go build -o ssrmock ./cmd/ssrmock"
	if !strings.Contains(src, build) {
		t.Fatalf("the tour does not build the binary with %q", build)
	}
	src = strings.ReplaceAll(src, build, fmt.Sprintf("cp %q ssrmock", ssrmock(t)))
	cmd := runWithTimeout(t, 3*time.Minute, "bash", "-c", src)
	cmd.Dir = t.TempDir()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if strings.Contains(out.String(), placeholder) {
		t.Skipf("a command of the tour is still a placeholder: %s", out.String())
	}
	if err != nil {
		t.Fatalf("the tour failed: %v\nscript:\n%s\noutput:\n%s", err, src, out.String())
	}
	run := tourRun{vars: map[string]string{}, dir: cmd.Dir}
	text, vars, ok := strings.Cut(out.String(), "@@vars@@")
	if !ok {
		t.Fatalf("the tour did not reach its end:\n%s", out.String())
	}
	for _, kv := range strings.Fields(vars) {
		k, v, _ := strings.Cut(kv, "=")
		run.vars[k] = v
	}
	parts := regexp.MustCompile(`(?m)^@@block \d+@@\n`).Split(text, -1)
	run.blocks = parts[1:]
	if len(run.blocks) != len(blocks) {
		t.Fatalf("found the output of %d tour blocks, want %d:\n%s", len(run.blocks), len(blocks), text)
	}
	return run
}

// jsonValues decodes the JSON values a block printed, one after another.
func jsonValues(t *testing.T, block int, out string) []map[string]any {
	t.Helper()
	var vals []map[string]any
	dec := json.NewDecoder(strings.NewReader(out))
	for {
		var v map[string]any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return vals
		}
		if err != nil {
			t.Fatalf("tour block %d printed something other than JSON objects: %v\n%s", block, err, out)
		}
		if path := nullIn(v, ""); path != "" {
			t.Errorf("tour block %d prints null at %s (a field name the server does not use?): %s", block, path, out)
		}
		vals = append(vals, v)
	}
}

// nullIn returns the path of a null inside v, or "".
func nullIn(v any, path string) string {
	switch x := v.(type) {
	case nil:
		return path
	case map[string]any:
		for k, e := range x {
			if p := nullIn(e, path+"."+k); p != "" {
				return p
			}
		}
	case []any:
		for i, e := range x {
			if p := nullIn(e, fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	}
	return ""
}

// getJSON asks the test server's control API and decodes the answer.
func getJSON(t *testing.T, url string, out any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %s %s", url, resp.Status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// groundTruth is the control API's view of a student's reports for an LEA at an instant.
type groundTruth struct {
	Reports []struct {
		ID         string `json:"id"`
		Assessment string `json:"assessment"`
		SchoolYear string `json:"schoolYear"`
		Language   string `json:"language"`
		ReleasedAt string `json:"releasedAt"`
		Released   bool   `json:"released"`
		Visible    bool   `json:"visible"`
		SHA256     string `json:"sha256"`
	} `json:"reports"`
}

func truthAt(t *testing.T, base, lea, ssid, at string) groundTruth {
	t.Helper()
	var g groundTruth
	getJSON(t, fmt.Sprintf("%s/control/v1/sandboxes/default/students/%s/reports?lea=%s&at=%s", base, ssid, lea, strings.ReplaceAll(at, "+", "%2B")), &g)
	return g
}

// strs returns v's string fields named keys, for comparing printed lines.
func strs(v map[string]any, keys ...string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprint(v[k])
	}
	return out
}

func sortLines(l [][]string) [][]string {
	slices.SortFunc(l, func(a, b []string) int { return strings.Compare(strings.Join(a, "\x00"), strings.Join(b, "\x00")) })
	return l
}

// TestReadmeTour runs the README's five-minute tour, as written, against a live server (the
// README's address replaced by the test server's, building the binary by copying the one this
// test built), and compares what each block prints with the server's own answers.
func TestReadmeTour(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole suite at its end")
	}
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the tour needs %s", tool)
		}
	}
	t.Parallel()
	addr := startServer(t)
	base := "http://" + addr
	run := runTour(t, addr)
	if len(run.blocks) != 7 {
		t.Fatalf("the tour has %d blocks; this test checks the output of each of the 7 it knows: update it with the tour", len(run.blocks))
	}
	lea, ssid, el := run.vars["LEA"], run.vars["SSID"], run.vars["EL"]
	for k, v := range run.vars {
		if v == "" || v == "null" {
			t.Fatalf("the tour's $%s is %q", k, v)
		}
	}

	// 1. The LEA's new credentials: the pair the first token requests sent, good for 90 days.
	creds := jsonValues(t, 1, run.blocks[0])
	if len(creds) != 1 {
		t.Fatalf("block 1 printed %d JSON values, want the credentials", len(creds))
	}
	var journal struct {
		Entries []map[string]any `json:"entries"`
	}
	getJSON(t, base+"/control/v1/sandboxes/default/journal", &journal)
	if len(journal.Entries) == 0 {
		t.Fatal("the journal is empty after the tour")
	}
	if got, want := creds[0]["username"], journal.Entries[0]["username"]; got != want {
		t.Errorf("block 1 printed User Name %v; the first token request sent %v", got, want)
	}
	if key, _ := creds[0]["secretKey"].(string); len(key) != 20 {
		t.Errorf("block 1 printed Secret Key %q, want 20 characters", key)
	}
	gen, err1 := time.Parse(time.RFC3339, fmt.Sprint(creds[0]["generatedAt"]))
	exp, err2 := time.Parse(time.RFC3339, fmt.Sprint(creds[0]["expiresAt"]))
	if err1 != nil || err2 != nil || exp.Sub(gen) != 90*24*time.Hour || !gen.Equal(mustTime(t, tourStart)) {
		t.Errorf("block 1 printed generatedAt %v, expiresAt %v; want %s and 90 days later", creds[0]["generatedAt"], creds[0]["expiresAt"], tourStart)
	}

	// 2. The student's reports at the start: exactly those the ground truth shows the LEA,
	// with links that expire 30 minutes later.
	listed := jsonValues(t, 2, run.blocks[1])
	var got, want [][]string
	for _, r := range listed {
		got = append(got, strs(r, "id", "schoolYear", "language", "urlExpiresAt"))
	}
	truth := truthAt(t, base, lea, ssid, tourStart)
	sha := map[string]string{}
	for _, r := range truth.Reports {
		if r.Released && r.Visible {
			want = append(want, []string{r.ID, r.SchoolYear, r.Language, "2019-02-11T08:30:00-08:00"})
			sha[r.ID] = r.SHA256
		}
	}
	if len(want) == 0 {
		t.Fatalf("the ground truth shows student %s no report at %s", ssid, tourStart)
	}
	if diff := cmp.Diff(sortLines(want), sortLines(got)); diff != "" {
		t.Errorf("block 2's report list differs from the ground truth (-truth +printed):\n%s", diff)
	}

	// 3. The first report's PDF: its size as printed, its bytes the ground truth's.
	pdf, err := os.ReadFile(filepath.Join(run.dir, "report.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.TrimSpace(run.blocks[2]), fmt.Sprintf("200 application/pdf %d bytes", len(pdf)); got != want {
		t.Errorf("block 3 printed %q, want %q", got, want)
	}
	sum := sha256.Sum256(pdf)
	if len(listed) > 0 {
		if id := fmt.Sprint(listed[0]["id"]); hex.EncodeToString(sum[:]) != sha[id] {
			t.Errorf("report.pdf has SHA-256 %x; the ground truth of %s says %s", sum, id, sha[id])
		}
	}

	// 4. 31 minutes later: the clock, then the expired link and token.
	later := jsonValues(t, 4, run.blocks[3])
	if len(later) != 3 {
		t.Fatalf("block 4 printed %d JSON values, want the clock and two errors:\n%s", len(later), run.blocks[3])
	}
	if !mustTime(t, fmt.Sprint(later[0]["now"])).Equal(mustTime(t, tourLater)) {
		t.Errorf("block 4's clock says %v, want %s", later[0]["now"], tourLater)
	}
	for i, code := range []string{"link_expired", "token_expired"} {
		if got := errorCode(later[i+1]); got != code {
			t.Errorf("block 4's answer %d has code %q, want %q", i+2, got, code)
		}
	}

	// 5. July: the milestones passed since, the expired pair, and the English learner's
	// reports as the ground truth has them.
	july := jsonValues(t, 5, run.blocks[4])
	if len(july) < 2 {
		t.Fatalf("block 5 printed %d JSON values:\n%s", len(july), run.blocks[4])
	}
	if !mustTime(t, fmt.Sprint(july[0]["now"])).Equal(mustTime(t, tourJuly)) {
		t.Errorf("block 5's clock says %v, want %s", july[0]["now"], tourJuly)
	}
	var clock struct {
		Milestones []struct {
			Name string `json:"name"`
			At   string `json:"at"`
		} `json:"milestones"`
	}
	getJSON(t, base+"/control/v1/sandboxes/default/clock", &clock)
	var passed []any
	for _, m := range clock.Milestones {
		if at := mustTime(t, m.At); at.After(mustTime(t, tourLater)) && !at.After(mustTime(t, tourJuly)) {
			passed = append(passed, m.Name)
		}
	}
	if diff := cmp.Diff(passed, july[0]["milestones"]); diff != "" || len(passed) == 0 {
		t.Errorf("block 5's milestones differ from the clock's between %s and %s (-clock +printed):\n%s", tourLater, tourJuly, diff)
	}
	if got := errorCode(july[1]); got != "credentials_expired" {
		t.Errorf("block 5's token request with the old pair answered %q, want credentials_expired", got)
	}
	got, want = nil, nil
	for _, r := range july[2:] {
		got = append(got, strs(r, "assessment", "schoolYear", "language", "releasedAt"))
	}
	for _, r := range truthAt(t, base, lea, el, tourJuly).Reports {
		if r.Released && r.Visible {
			want = append(want, []string{r.Assessment, r.SchoolYear, r.Language, r.ReleasedAt})
		}
	}
	if !slices.ContainsFunc(got, func(l []string) bool { return l[0] == "summative-elpac" }) {
		t.Errorf("block 5 lists no summative-elpac report for %s", el)
	}
	if diff := cmp.Diff(sortLines(want), sortLines(got)); diff != "" {
		t.Errorf("block 5's report list differs from the ground truth (-truth +printed):\n%s", diff)
	}

	// 6. The journal, as the server has it.
	printed := jsonValues(t, 6, run.blocks[5])
	var fromServer []map[string]any
	for _, e := range journal.Entries {
		line := map[string]any{}
		for _, k := range []string{"seq", "route", "status", "code", "credential", "tokenState"} {
			if v, ok := e[k]; ok && v != nil {
				line[k] = v
			}
		}
		fromServer = append(fromServer, line)
	}
	if diff := cmp.Diff(fromServer, printed); diff != "" {
		t.Errorf("block 6's journal differs from the server's (-server +printed):\n%s", diff)
	}

	// 7. The suite's verdict, as its JSON report has it.
	var summary struct {
		Passed bool `json:"passed"`
		Ran    int  `json:"ran"`
	}
	data, err := os.ReadFile(filepath.Join(run.dir, "reports", "conformance.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &summary); err != nil {
		t.Fatal(err)
	}
	if !summary.Passed || summary.Ran == 0 {
		t.Errorf("conformance.json: passed %v after %d specs", summary.Passed, summary.Ran)
	}
	if !strings.Contains(run.blocks[6], "ssrmock conformance: CONFORMS") {
		t.Errorf("block 7 printed no verdict:\n%s", run.blocks[6])
	}
	if m := regexp.MustCompile(`(\d+) specs, (\d+) ran`).FindStringSubmatch(run.blocks[6]); m == nil || m[2] != fmt.Sprint(summary.Ran) {
		t.Errorf("block 7 printed %q; conformance.json says %d ran", m, summary.Ran)
	}
}

func errorCode(v map[string]any) string {
	e, _ := v["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("not a time: %q", s)
	}
	return tm
}

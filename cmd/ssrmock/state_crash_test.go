package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"
)

// TestStateSurvivesKill runs `serve --state FILE` as a child under load, kills it with
// SIGKILL at a random moment, restarts it on the same file and checks that every write the
// child acknowledged before it died is there: the newest pair (which still mints tokens),
// the clock, the faults, the journal, and that tokens and report links from before the kill
// still work. Rounds repeat on the one file, so each restart also resumes a resumed state.
func TestStateSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it")
	}
	bin := filepath.Join(t.TempDir(), "ssrmock")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	state := filepath.Join(t.TempDir(), "ssrmock.db")
	rng := rand.New(rand.NewPCG(13, 1))
	var acked ackedWrites
	var lea, ssid string
	for round := range 6 {
		child := startChild(t, bin, state)
		c := &crashClient{t: t, base: child.base, lea: lea, ssid: ssid}
		if round == 0 {
			c.findStudent()
			lea, ssid = c.lea, c.ssid
		}
		if round > 0 {
			acked.check(t, c, round)
		}
		stop := c.load(&acked, round)
		time.Sleep(time.Duration(100+rng.IntN(400)) * time.Millisecond)
		child.kill(t)
		stop()
	}
	child := startChild(t, bin, state)
	acked.check(t, &crashClient{t: t, base: child.base, lea: lea, ssid: ssid}, 6)
	child.kill(t)
}

// ackedWrites is what the children answered before they were killed.
type ackedWrites struct {
	mu sync.Mutex
	// pair is the newest pair generated, and inFlight whether a regeneration was sent and not
	// answered when the child died (it may or may not have landed).
	pair     issued
	inFlight bool
	clock    time.Time // the clock after the last acknowledged move
	faults   []string  // fault IDs
	clients  []string  // X-SSRMock-Client names of acknowledged vendor requests
	tokens   []string  // tokens minted under pair
	link     string    // a report link listed under pair
}

type issued struct {
	Username   string `json:"username"`
	SecretKey  string `json:"secretKey"`
	Generation int    `json:"generation"`
}

// findStudent picks the LEA whose pair the test regenerates, the first of the child's
// world, and a student of its roster.
func (c *crashClient) findStudent() {
	var leas struct {
		LEAs []struct {
			CDS string `json:"cds"`
		} `json:"leas"`
	}
	c.get("/control/v1/sandboxes/default/leas", &leas)
	if len(leas.LEAs) == 0 {
		c.t.Fatal("the default sandbox has no LEA")
	}
	c.lea = leas.LEAs[0].CDS
	var roster struct {
		Students []struct {
			SSID string `json:"ssid"`
		} `json:"students"`
	}
	c.get("/control/v1/sandboxes/default/leas/"+c.lea+"/students?limit=1", &roster)
	if len(roster.Students) == 0 {
		c.t.Fatal("empty roster")
	}
	c.ssid = roster.Students[0].SSID
}

// check compares a restarted child with what was acknowledged.
func (a *ackedWrites) check(t *testing.T, c *crashClient, round int) {
	t.Helper()
	var status struct {
		Username   string `json:"username"`
		Generation int    `json:"generation"`
	}
	c.get("/control/v1/sandboxes/default/leas/"+c.lea+"/credentials", &status)
	newest := status.Username == a.pair.Username && status.Generation == a.pair.Generation
	if !newest && !(a.inFlight && status.Generation == a.pair.Generation+1) {
		t.Fatalf("round %d: the pair is generation %d (%s), but generation %d (%s) was acknowledged last",
			round, status.Generation, status.Username, a.pair.Generation, a.pair.Username)
	}
	if newest {
		if code := c.token(a.pair, ""); code != http.StatusOK {
			t.Errorf("round %d: the newest acknowledged pair answers %d after the restart", round, code)
		}
		for _, tok := range a.tokens {
			if code := c.list(tok); code != http.StatusOK {
				t.Errorf("round %d: a token minted before the kill answers %d", round, code)
				break
			}
		}
		if a.link != "" {
			if code := c.fetch(a.link); code != http.StatusOK {
				t.Errorf("round %d: a report link listed before the kill answers %d", round, code)
			}
		}
	}
	var clock struct {
		Now time.Time `json:"now"`
	}
	c.get("/control/v1/sandboxes/default/clock", &clock)
	if clock.Now.Before(a.clock) {
		t.Errorf("round %d: the clock reads %v, before the acknowledged %v", round, clock.Now, a.clock)
	}
	var faults struct {
		Faults []struct {
			ID string `json:"id"`
		} `json:"faults"`
	}
	c.get("/control/v1/sandboxes/default/faults", &faults)
	kept := map[string]bool{}
	for _, f := range faults.Faults {
		kept[f.ID] = true
	}
	for _, id := range a.faults {
		if !kept[id] {
			t.Errorf("round %d: acknowledged fault %s is gone", round, id)
		}
	}
	journaled := map[string]bool{}
	for after := 0; ; {
		var page struct {
			Entries []struct {
				Seq    int    `json:"seq"`
				Client string `json:"client"`
			} `json:"entries"`
			Next int `json:"next"`
		}
		c.get(fmt.Sprintf("/control/v1/sandboxes/default/journal?after=%d&limit=1000", after), &page)
		for _, e := range page.Entries {
			journaled[e.Client] = true
		}
		if len(page.Entries) == 0 {
			break
		}
		after = page.Next
	}
	missing := 0
	for _, name := range a.clients {
		if !journaled[name] {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("round %d: %d of %d acknowledged vendor requests are missing from the journal", round, missing, len(a.clients))
	}
	t.Logf("round %d: generation %d (the newest acknowledged: %v), clock %v, %d faults, %d journaled requests all there",
		round, status.Generation, newest, clock.Now, len(a.faults), len(a.clients))
}

// load sends writes of every kind from several goroutines, recording what was
// acknowledged, until the stop it returns is called (after the kill).
func (c *crashClient) load(a *ackedWrites, round int) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	worker := func(fn func(i int)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				fn(i)
			}
		}()
	}
	worker(func(int) { // regenerations, one at a time
		time.Sleep(5 * time.Millisecond)
		a.mu.Lock()
		a.inFlight = true
		a.mu.Unlock()
		var p issued
		if c.post("/control/v1/sandboxes/default/leas/"+c.lea+"/credentials", `{"coordinator":"caaspp","authorizeRelease":true}`, &p) {
			a.mu.Lock()
			a.pair, a.inFlight, a.tokens, a.link = p, false, nil, ""
			a.mu.Unlock()
		}
	})
	worker(func(int) { // clock moves, a second at a time so that tokens and links stay fresh
		time.Sleep(5 * time.Millisecond)
		var clock struct {
			Now time.Time `json:"now"`
		}
		if c.post("/control/v1/sandboxes/default/clock", `{"advance":"1s"}`, &clock) {
			a.mu.Lock()
			if clock.Now.After(a.clock) {
				a.clock = clock.Now
			}
			a.mu.Unlock()
		}
	})
	worker(func(int) { // faults that never apply: they start in 2090
		time.Sleep(20 * time.Millisecond)
		var f struct {
			ID string `json:"id"`
		}
		if c.post("/control/v1/sandboxes/default/faults", `{"route":"pdf","status":503,"from":"2090-01-01T00:00:00Z"}`, &f) {
			a.mu.Lock()
			a.faults = append(a.faults, f.ID)
			a.mu.Unlock()
		}
	})
	for w := range 2 { // vendor requests, each journaled under its own client name
		worker(func(i int) {
			a.mu.Lock()
			pair := a.pair
			a.mu.Unlock()
			if pair.Username == "" {
				// Before the first pair there is no sandbox to journal in.
				time.Sleep(time.Millisecond)
				return
			}
			name := fmt.Sprintf("r%d-w%d-%d", round, w, i)
			tok, code := c.tokenOf(pair, name)
			if code == 0 {
				return
			}
			a.mu.Lock()
			a.clients = append(a.clients, name)
			if tok != "" && pair == a.pair && len(a.tokens) < 5 {
				a.tokens = append(a.tokens, tok)
				if a.link == "" {
					a.link = c.firstLink(tok)
				}
			}
			a.mu.Unlock()
		})
	}
	return func() { close(done); wg.Wait() }
}

// crashClient talks to one child; lea and ssid are the LEA and student the test uses.
type crashClient struct {
	t         *testing.T
	base      string
	lea, ssid string
}

var crashHTTP = &http.Client{Timeout: 5 * time.Second}

// post sends a control request and decodes its answer; false means no answer (the child
// died) or an error answer.
func (c *crashClient) post(path, body string, out any) bool {
	resp, err := crashHTTP.Post(c.base+path, "application/json", bytes.NewReader([]byte(body)))
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode/100 != 2 {
		return false
	}
	return json.Unmarshal(b, out) == nil
}

func (c *crashClient) get(path string, out any) {
	c.t.Helper()
	resp, err := crashHTTP.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
}

// tokenOf asks for a token with pair; code 0 means no answer.
func (c *crashClient) tokenOf(pair issued, client string) (string, int) {
	body, _ := json.Marshal(map[string]string{"username": pair.Username, "secretKey": pair.SecretKey})
	req, _ := http.NewRequest("POST", c.base+"/api/v1/token", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-SSRMock-Client", client)
	resp, err := crashHTTP.Do(req)
	if err != nil {
		return "", 0
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", 0
	}
	json.Unmarshal(b, &tok)
	return tok.AccessToken, resp.StatusCode
}

func (c *crashClient) token(pair issued, client string) int {
	_, code := c.tokenOf(pair, client)
	return code
}

func (c *crashClient) listing(tok string) (*http.Response, error) {
	req, _ := http.NewRequest("GET", c.base+"/api/v1/students/"+c.ssid+"/reports", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	return crashHTTP.Do(req)
}

func (c *crashClient) list(tok string) int {
	resp, err := c.listing(tok)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// firstLink is the URL of the first report listed with tok, or "".
func (c *crashClient) firstLink(tok string) string {
	resp, err := c.listing(tok)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var l struct {
		Reports []struct {
			URL string `json:"url"`
		} `json:"reports"`
	}
	if json.NewDecoder(resp.Body).Decode(&l) != nil || len(l.Reports) == 0 {
		return ""
	}
	return l.Reports[0].URL
}

func (c *crashClient) fetch(url string) int {
	resp, err := crashHTTP.Get(url)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// child is a running `ssrmock serve`.
type child struct {
	cmd  *exec.Cmd
	base string
}

func startChild(t *testing.T, bin, state string) *child {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--scale", "tiny", "--seed", "1", "--state", state, "--log-level", "warn")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	select {
	case line, ok := <-lines:
		if base := addr.FindString(line); ok && base != "" {
			go func() {
				for range lines {
				}
			}()
			return &child{cmd: cmd, base: base}
		}
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("serve --state said %q; stderr %s", line, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("serve --state did not start; stderr %s", stderr.String())
	}
	return nil
}

// kill ends the child with SIGKILL: no shutdown, no flush.
func (c *child) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	c.cmd.Wait()
}

package conformance

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"slices"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
	"github.com/ssrmock/ssrmock/conformance/driver"
	"github.com/ssrmock/ssrmock/conformance/pacific"
)

// world is one spec's sandbox and the vendor's integration connected to it.
type world struct {
	ctx      context.Context
	h        *harness
	scenario string
	scale    string
	seed     int64
	sb       controlapi.Sandbox
	now      time.Time
	// creds holds the pair each LEA's admin last pasted into the vendor's settings.
	creds map[string]controlapi.Credentials
	// secrets are every Secret Key generated in the spec, current or superseded: none may
	// appear in a URL.
	secrets []string
	// syncGap, when not zero, runs the vendor's scheduled job only once that much sandbox time
	// has passed since it last ran (a nightly job); zero runs it after every clock move.
	syncGap  time.Duration
	lastSync time.Time
}

// newWorld builds a fresh tiny sandbox (one LEA) of scenario for the running spec, with a seed
// fixed by the spec's id, resets the driver and removes the sandbox when the spec ends.
func newWorld(ctx SpecContext, scenario string) *world { return newScaledWorld(ctx, scenario, "tiny") }

// newCountyWorld is newWorld with a county sandbox: several LEAs.
func newCountyWorld(ctx SpecContext, scenario string) *world {
	return newScaledWorld(ctx, scenario, "county")
}

func newScaledWorld(ctx SpecContext, scenario, scale string) *world {
	if suite == nil {
		Fail(harnessMark + "the suite setup did not finish")
	}
	h := fnv.New32a()
	id := CurrentSpecReport().LeafNodeText
	if m := textPattern.FindStringSubmatch(id); m != nil {
		id = m[1]
	}
	h.Write([]byte(id))
	w := &world{ctx: ctx, h: suite, scenario: scenario, scale: scale, seed: int64(h.Sum32()%100000) + 1, creds: map[string]controlapi.Credentials{}}
	w.createSandbox()
	w.driverErr(w.h.drv.Reset(ctx), "reset")
	return w
}

func (w *world) createSandbox() {
	sb, err := w.h.api.CreateSandbox(w.ctx, controlapi.SandboxSpec{Seed: w.seed, Scenario: w.scenario, Scale: w.scale})
	w.controlErr(err, "creating a sandbox")
	w.sb, w.now = sb, sb.Now
	id := sb.ID
	DeferCleanup(func(ctx SpecContext) { _ = w.h.api.DeleteSandbox(ctx, id) })
	// Cleanups run last first: the journal is judged before the sandbox goes.
	DeferCleanup(func(ctx SpecContext) { w.expectNoCredentialInURLs(ctx, id) })
	w.tellClock()
}

// controlErr stops the spec when the control API failed: the harness, not the vendor, broke.
func (w *world) controlErr(err error, doing string) {
	if err != nil {
		if controlapi.IsUnreachable(err) {
			noteHarnessError(fmt.Errorf("the mock server went away: %w", err))
		}
		Fail(fmt.Sprintf("%s%s: %v", harnessMark, doing, err), 1)
	}
}

// driverErr stops the spec when a driver operation failed. A protocol failure is the harness's;
// a driver that answered ok:false failed the operation it was asked to do.
func (w *world) driverErr(err error, op string) {
	if err == nil {
		return
	}
	var he *driver.HarnessError
	if errors.As(err, &he) {
		noteHarnessError(err)
		Fail(harnessMark+err.Error(), 1)
	}
	failCheck(fmt.Sprintf("Your integration could not perform %q: %v\nIt should have: carried out the operation (the driver answered ok:false).", op, err))
}

// tellClock tells a driver with the "clock" capability the sandbox's time, and runs a driver
// with the "sync" capability's scheduled job.
func (w *world) tellClock() {
	if w.h.has(driver.CapClock) {
		w.driverErr(w.h.drv.Clock(w.ctx, w.now), "clock")
	}
	if w.h.has(driver.CapSync) && (w.syncGap == 0 || w.now.Sub(w.lastSync) >= w.syncGap) {
		w.lastSync = w.now
		w.driverErr(w.h.drv.Sync(w.ctx), "sync")
	}
}

func (h *harness) has(capability string) bool {
	return slices.Contains(h.hello.Capabilities, capability)
}

// advance moves sandbox time forward by d and lets the vendor know.
func (w *world) advance(d time.Duration) {
	ck, err := w.h.api.Advance(w.ctx, w.sb.ID, d)
	w.controlErr(err, "advancing the clock by "+d.String())
	w.now = ck.Now
	w.tellClock()
}

// advanceTo moves sandbox time forward to t and lets the vendor know.
func (w *world) advanceTo(t time.Time) {
	if !t.After(w.now) {
		return
	}
	ck, err := w.h.api.AdvanceTo(w.ctx, w.sb.ID, t)
	w.controlErr(err, "advancing the clock to "+pacific.Seconds(t))
	w.now = ck.Now
	w.tellClock()
}

// generate has lea's coordinator generate (or regenerate) its pair in TOMS.
func (w *world) generate(lea, coordinator string) controlapi.Credentials {
	cr, err := w.h.api.GenerateCredentials(w.ctx, w.sb.ID, lea, coordinator)
	w.controlErr(err, "generating credentials for LEA "+lea)
	w.secrets = append(w.secrets, cr.SecretKey)
	return cr
}

// configure pastes cr into the vendor's settings for lea, as the LEA's admin would.
func (w *world) configure(lea string, cr controlapi.Credentials) {
	w.creds[lea] = cr
	err := w.h.drv.Configure(w.ctx, driver.Config{LEA: lea, BaseURL: w.sb.APIBase, Username: cr.Username, SecretKey: cr.SecretKey})
	w.driverErr(err, "configure")
}

// connect generates lea's pair as the CAASPP coordinator and configures the vendor with it.
func (w *world) connect(lea string) controlapi.Credentials {
	cr := w.generate(lea, controlapi.CoordinatorCAASPP)
	w.configure(lea, cr)
	return cr
}

// view asks the vendor what a parent sees on ssid's score-report page at lea. Every link the
// vendor hands the parent is checked for credential material.
func (w *world) view(lea, ssid string) driver.View {
	v, err := w.h.drv.View(w.ctx, lea, ssid)
	w.driverErr(err, "view")
	w.expectNoCredentialInLinks(v)
	return v
}

// truth reads the ground truth of ssid's reports for lea now.
func (w *world) truth(lea, ssid string) controlapi.Truth {
	t, err := w.h.api.Truth(w.ctx, w.sb.ID, ssid, lea, time.Time{})
	w.controlErr(err, "reading the ground truth of student "+ssid)
	return t
}

// student reads ssid's record: enrollments and languages.
func (w *world) student(ssid string) controlapi.Student {
	st, err := w.h.api.Student(w.ctx, w.sb.ID, ssid)
	w.controlErr(err, "reading student "+ssid)
	return st
}

// cursor returns the journal position now: entries after it happen later.
func (w *world) cursor() int64 {
	_, next, _, err := w.h.api.JournalSince(w.ctx, w.sb.ID, 0)
	w.controlErr(err, "reading the journal")
	return next
}

// journal returns the vendor API requests after cursor after, without the suite's own
// downloads of the links the vendor handed out.
func (w *world) journal(after int64) []controlapi.Entry {
	entries, _, dropped, err := w.h.api.JournalSince(w.ctx, w.sb.ID, after)
	w.controlErr(err, "reading the journal")
	if dropped > 0 {
		Fail(fmt.Sprintf("%sthe journal overflowed (%d entries lost): the suite cannot judge this spec", harnessMark, dropped), 1)
	}
	return slices.DeleteFunc(entries, func(e controlapi.Entry) bool {
		return e.Route == controlapi.RoutePDF || e.Client == controlapi.SuiteClient
	})
}

// download is what a parent's browser got from a link.
type download struct {
	status      int
	code        string
	contentType string
	sha256      string
	err         error
}

// fetch follows a link the vendor handed out, at once, as the parent's browser would.
func (w *world) fetch(url string) download {
	req, err := http.NewRequestWithContext(w.ctx, http.MethodGet, url, nil)
	if err != nil {
		return download{err: err}
	}
	req.Header.Set("X-SSRMock-Client", controlapi.SuiteClient)
	resp, err := w.h.pdf.Do(req)
	if err != nil {
		return download{err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	d := download{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), err: err}
	if resp.StatusCode != http.StatusOK {
		d.code = errorCode(body)
		return d
	}
	sum := sha256.Sum256(body)
	d.sha256 = hex.EncodeToString(sum[:])
	return d
}

// errorCode pulls the code out of an error envelope, or returns "".
func errorCode(body []byte) string {
	var env struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	_ = json.Unmarshal(body, &env)
	return env.Error.Code
}

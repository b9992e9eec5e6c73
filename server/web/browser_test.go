package web_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

var screenshots = flag.String("screenshots", "", "directory for the browser tests' screenshots (default: a temporary directory)")

// chromium finds the browser, or skips the test; under CI a missing browser fails it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("Chromium is missing: .ci/setup installs it")
	}
	t.Skip("Chromium is not installed")
	return ""
}

// browser is one headless Chromium tab on the server at origin, with what it saw.
type browser struct {
	t      *testing.T
	ctx    context.Context
	origin string
	dir    string
	shots  int

	mu       sync.Mutex
	problems []string // script errors and requests that left the origin
}

// newBrowser starts Chromium with no network beyond loopback and a fresh profile.
func newBrowser(t *testing.T, origin string) *browser {
	t.Helper()
	exe := chromium(t)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	// The first run starts the browser, and it lives as long as ctx: no timeout on it.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	b := &browser{t: t, origin: origin, dir: *screenshots}
	if b.dir == "" {
		b.dir = t.TempDir()
	} else if err := os.MkdirAll(b.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			b.problem("script error: %s %s", ev.ExceptionDetails.Text, exceptionDescription(ev.ExceptionDetails))
		case *runtime.EventConsoleAPICalled:
			if ev.Type == "error" {
				b.problem("console.error: %s", consoleArgs(ev.Args))
			}
		case *cdplog.EventEntryAdded:
			// Failed requests are the demo's business (a 401 after a regeneration); a refused
			// script, style or frame (the page's Content-Security-Policy) is a bug.
			if e := ev.Entry; e.Level == cdplog.EntryLevelError && e.Source != cdplog.EntrySourceNetwork {
				b.problem("browser log (%s): %s %s", e.Source, e.Text, e.URL)
			}
		case *network.EventRequestWillBeSent:
			u := ev.Request.URL
			if !strings.HasPrefix(u, origin+"/") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") &&
				!strings.HasPrefix(u, "about:") && !strings.HasPrefix(u, "chrome-extension:") && !strings.HasPrefix(u, "chrome:") {
				b.problem("request outside the page's origin: %s", u)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancel)
	b.ctx = ctx
	t.Cleanup(func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, p := range b.problems {
			t.Error(p)
		}
	})
	return b
}

func exceptionDescription(d *runtime.ExceptionDetails) string {
	if d.Exception != nil {
		return d.Exception.Description
	}
	return ""
}

func consoleArgs(args []*runtime.RemoteObject) string {
	var parts []string
	for _, a := range args {
		switch {
		case a.Description != "":
			parts = append(parts, a.Description)
		case a.Value != nil:
			parts = append(parts, string(a.Value))
		}
	}
	return strings.Join(parts, " ")
}

func (b *browser) problem(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, fmt.Sprintf(format, args...))
}

// do runs steps, and on failure saves a screenshot and stops the test.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	began := time.Now()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.shot("failed")
		b.t.Fatalf("%s: %v", what, err)
	}
	b.t.Logf("%s: %v", what, time.Since(began).Round(time.Millisecond))
}

// eval returns the value of a JavaScript expression, awaiting a promise.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// waitText waits until the element's text contains want.
func waitText(sel, want string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](
		fmt.Sprintf(`(document.querySelector(%s)?.textContent || '').includes(%s)`, jsString(sel), jsString(want)),
		chromedp.WithPollingTimeout(15*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))
}

// waitFor waits until a JavaScript condition holds.
func waitFor(cond string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(15*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))
}

func click(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }

// fill replaces an input's text as a person pasting would: focus, select all, paste.
func fill(sel, text string) chromedp.Action[chromedp.Void] {
	focus := fmt.Sprintf(`(() => { const e = document.querySelector(%s); e.focus(); e.select(); })()`, jsString(sel))
	return chromedp.Steps(
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](focus),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
			return err
		}),
	)
}

// view opens one of the page's views through its navigation link.
func view(name string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(click(`nav a[data-view="`+name+`"]`), chromedp.WaitVisible(chromedp.ID("view-"+name)))
}

// shot saves a full-page PNG named after the step.
func (b *browser) shot(name string) {
	b.t.Helper()
	b.shots++
	began := time.Now()
	defer func() { b.t.Logf("shot %s: %v", name, time.Since(began).Round(time.Millisecond)) }()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(b.dir, fmt.Sprintf("%s-%02d-%s.png", b.t.Name(), b.shots, name))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", path)
}

// waitPDFPaint gives Chromium's PDF viewer time to paint the framed report before a
// screenshot that someone asked for with -screenshots. The viewer runs in its own frame
// target, out of the page's reach, so the test waits for that target and then a moment for
// the paint; without -screenshots nobody looks, and the test does not wait.
func (b *browser) waitPDFPaint() {
	if *screenshots == "" {
		return
	}
	for range 50 {
		ts, _ := chromedp.Targets(b.ctx)
		for _, x := range ts {
			if x.Type == "iframe" && strings.HasPrefix(x.URL, "chrome-extension://") {
				time.Sleep(2500 * time.Millisecond)
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// getJSON reads a control API answer.
func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	getJSONAs(t, url, "", v)
}

// getJSONAs reads a control API answer with a control token.
func getJSONAs(t *testing.T, url, token string, v any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

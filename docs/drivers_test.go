package docs_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// needTool finds a program the example drivers need. Outside CI a missing one skips the test;
// in CI (CI set, as .ci/run runs) it fails it, since .ci/setup installs them all.
func needTool(t *testing.T, name, hint string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if _, err := os.Stat(name); err == nil {
		return name
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed (%s): bash .ci/setup installs it", name, hint)
	}
	t.Skipf("%s is not installed (%s; bash .ci/setup installs it)", name, hint)
	return ""
}

// syncBuffer is a bytes.Buffer a running process may write to while a test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// slowStart is the bound on each driver operation in these tests: a driver may take several
// seconds to start and answer hello while the other packages' tests load both cores, which
// the default 10s does not always allow. The suite's own time rules (a page view within 4
// seconds) are judged apart from it.
const slowStart = "30s"

// javaFlags make a short-lived JVM start in about a second on a busy 2-core machine: one
// garbage-collector thread and the quick compiler only.
const javaFlags = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1"

// exampleDriver is one example driver: how to build it into a folder, and the command that
// runs it from there.
type exampleDriver struct {
	name  string
	build func(t *testing.T, out string)
	cmd   func(out string) string
	// args are extra arguments of `ssrmock conform`.
	args []string
}

var exampleDrivers = []exampleDriver{
	{
		name: "typescript",
		args: []string{"--timeout", slowStart},
		build: func(t *testing.T, out string) {
			needTool(t, "node", "Debian's nodejs")
			dir := filepath.Join(root, "docs/examples/typescript")
			tsc := needTool(t, filepath.Join(dir, "node_modules/typescript/bin/tsc"), "npm ci in docs/examples/typescript")
			mustRun(t, exec.Command("node", tsc, "-p", dir, "--outDir", out))
		},
		cmd: func(out string) string { return "node " + filepath.Join(out, "portal_driver.js") },
	},
	{
		name: "java",
		build: func(t *testing.T, out string) {
			needTool(t, "java", "Debian's openjdk-17-jdk-headless")
			needTool(t, "javac", "Debian's openjdk-17-jdk-headless")
			mustRun(t, exec.Command("javac", "-Xlint:all", "-Werror", "-d", out, filepath.Join(root, "docs/examples/java/PortalDriver.java")))
		},
		cmd:  func(out string) string { return "java " + javaFlags + " -cp " + out + " PortalDriver" },
		args: []string{"--timeout", slowStart},
	},
}

func mustRun(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	cmd.Env = hermeticEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
	}
}

// absDir is t.TempDir as an absolute path without characters a shell would split.
func absDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(dir, " \t'\"\\$`") {
		t.Skipf("the temporary folder %q needs quoting in a driver command", dir)
	}
	return dir
}

// TestExampleDriversConform runs the whole suite against the Java and TypeScript example
// drivers over stdin/stdout, as docs/driver-protocol.md tells a vendor to.
func TestExampleDriversConform(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole suite")
	}
	for _, d := range exampleDrivers {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			out := absDir(t)
			d.build(t, out)
			r := runConform(t, append([]string{"--driver-cmd", d.cmd(out)}, d.args...)...)
			if r.code != 0 {
				t.Fatalf("the %s example does not conform: exit %d\n%s", d.name, r.code, r.output)
			}
			checkReports(t, r)
		})
	}
}

// TestExampleDriversOverHTTP runs part of the suite against the same drivers served over HTTP.
func TestExampleDriversOverHTTP(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite")
	}
	for _, d := range exampleDrivers {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			out := absDir(t)
			d.build(t, out)
			words := strings.Fields(d.cmd(out))
			addr, stderr := startHTTPDriver(t, d.name, words[0], words[1:]...)
			args := append([]string{"--driver-url", "http://" + addr, "--label-filter", "authentication || links"}, d.args...)
			r := runConform(t, args...)
			if r.code != 0 {
				t.Fatalf("over HTTP: exit %d\n%s\ndriver:\n%s", r.code, r.output, stderr.String())
			}
			checkReports(t, r)
		})
	}
}

// startHTTPDriver starts an example driver serving the protocol over HTTP on a free
// loopback address, waits until it answers hello as the example's portal, and returns the
// address and the driver's standard error. The driver is killed when the test ends.
func startHTTPDriver(t *testing.T, name, prog string, args ...string) (string, *syncBuffer) {
	t.Helper()
	addr := freeAddr(t)
	drv := runWithTimeout(t, 2*time.Minute, prog, append(args, "--listen", addr)...)
	stderr := &syncBuffer{}
	drv.Stderr = stderr
	if err := drv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		drv.Process.Kill()
		drv.Wait()
	})
	waitForHello(t, addr, name, stderr)
	return addr, stderr
}

// waitForHello polls the driver's hello over HTTP until it answers as the example's portal.
func waitForHello(t *testing.T, addr, name string, stderr *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Post("http://"+addr+"/hello", "application/json", strings.NewReader("{}"))
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var hello struct {
				OK   bool   `json:"ok"`
				Name string `json:"name"`
			}
			if err := json.Unmarshal(body, &hello); err != nil || !hello.OK || !strings.Contains(strings.ToLower(hello.Name), name) {
				t.Fatalf("hello over HTTP answered %s", body)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the driver did not listen on %s: %v\n%s", addr, err, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

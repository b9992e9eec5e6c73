package docs_test

import (
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// composeService is the part of a docker-compose service the checks read.
type composeService struct {
	Build       any               `yaml:"build"`
	Image       string            `yaml:"image"`
	PullPolicy  string            `yaml:"pull_policy"`
	Command     []string          `yaml:"command"`
	Environment map[string]string `yaml:"environment"`
	Ports       []string          `yaml:"ports"`
	Healthcheck struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
	DependsOn map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Volumes []string `yaml:"volumes"`
}

// listenPort is the port a service's command listens on: --addr for serve, --listen for
// vendor (or their SSRMOCK_* variables).
func listenPort(t *testing.T, name string, s composeService, flags map[string]string) string {
	t.Helper()
	addr := flags["addr"] + flags["listen"]
	if addr == "" {
		addr = s.Environment["SSRMOCK_SERVE_ADDR"] + s.Environment["SSRMOCK_VENDOR_LISTEN"]
	}
	if addr == "" {
		return ""
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Errorf("service %s listens on %q: %v", name, addr, err)
	}
	return port
}

// requiredVar is a compose value taken from the environment with no default: compose refuses
// to start without it.
var requiredVar = regexp.MustCompile(`^\$\{[A-Z0-9_]+:\?[^}]+\}$`)

// TestComposeMatchesBinary checks every service of docker-compose.yml against the binary: its
// command and flags, its SSRMOCK_* variables, its ports and the URLs that join the services.
func TestComposeMatchesBinary(t *testing.T) {
	var file struct {
		Services map[string]composeService `yaml:"services"`
	}
	if err := yaml.Unmarshal([]byte(readFile(t, "docker-compose.yml")), &file); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	for _, want := range []string{"ssrmock", "vendor", "conformance"} {
		if _, ok := file.Services[want]; !ok {
			t.Errorf("docker-compose.yml has no %s service", want)
		}
	}
	// One service builds the image from the repository's Dockerfile; the others run that image
	// and never try to pull it.
	image := file.Services["ssrmock"].Image
	if b := file.Services["ssrmock"].Build; b != "." || image == "" {
		t.Errorf("service ssrmock: build %v, image %q; want the repository's Dockerfile (.) tagged with an image name", b, image)
	}
	ports := map[string]string{} // service → port it listens on
	given := map[string]map[string]string{}
	for name, s := range file.Services {
		if name != "ssrmock" && (s.Build != nil || s.Image != image || s.PullPolicy != "never") {
			t.Errorf("service %s: build %v, image %q, pull_policy %q; want no build, image %q (built by ssrmock), pull_policy never", name, s.Build, s.Image, s.PullPolicy, image)
		}
		for k, v := range s.Environment {
			if strings.Contains(k, "TOKEN") && !requiredVar.MatchString(v) {
				t.Errorf("service %s: %s is %q; want it required from the environment, ${VARIABLE:?message}, with no default", name, k, v)
			}
		}
		if len(s.Ports) > 0 && name != "ssrmock" {
			t.Errorf("service %s publishes %v; only the mock's web UI and APIs need to reach the host", name, s.Ports)
		}
		for _, p := range s.Ports {
			if host, _, _ := strings.Cut(p, ":"); host != "127.0.0.1" {
				t.Errorf("service %s publishes %q on all the host's interfaces; bind it to 127.0.0.1", name, p)
			}
		}
		flags := checkArgs(t, "docker-compose.yml service "+name, s.Command)
		given[name] = flags
		for k := range s.Environment {
			f, ok := envFlag(s.Command[0], k)
			if !ok {
				t.Errorf("service %s: variable %s is not an SSRMOCK_%s_* flag variable", name, k, strings.ToUpper(s.Command[0]))
				continue
			}
			if _, ok := flagsOf(t, s.Command[0])[f]; !ok {
				t.Errorf("service %s: %s names no flag of ssrmock %s (--%s)", name, k, s.Command[0], f)
			}
		}
		port := listenPort(t, name, s, flags)
		ports[name] = port
		for _, p := range s.Ports {
			parts := strings.Split(p, ":")
			if container := parts[len(parts)-1]; container != port {
				t.Errorf("service %s publishes container port %s but listens on %q", name, container, port)
			}
		}
		for _, w := range s.Healthcheck.Test {
			if u, err := url.Parse(w); err == nil && u.Scheme == "http" && u.Port() != port {
				t.Errorf("service %s: health check %s, but it listens on port %q", name, w, port)
			}
		}
		if len(s.Healthcheck.Test) > 1 && s.Healthcheck.Test[1] != "/bin/wget" {
			t.Errorf("service %s: health check runs %s; the image has /bin/wget only", name, s.Healthcheck.Test[1])
		}
		if s.Command[0] == "serve" {
			addr := flags["addr"]
			host, _, _ := net.SplitHostPort(addr)
			if ip := net.ParseIP(host); (ip == nil || !ip.IsLoopback()) && flags["control-token"] == "" && s.Environment["SSRMOCK_SERVE_CONTROL_TOKEN"] == "" {
				t.Errorf("service %s serves on %s without a control token: ssrmock refuses to start", name, addr)
			}
		}
	}
	// The conformance service reaches the others by service name and port.
	conf := given["conformance"]
	for _, f := range []string{"server", "driver-url"} {
		u, err := url.Parse(conf[f])
		if err != nil || u.Host == "" {
			t.Errorf("conformance --%s %q is not a URL", f, conf[f])
			continue
		}
		svc, ok := file.Services[u.Hostname()]
		if !ok {
			t.Errorf("conformance --%s %s: no service %s", f, conf[f], u.Hostname())
			continue
		}
		if ports[u.Hostname()] != u.Port() {
			t.Errorf("conformance --%s %s: service %s listens on %q", f, conf[f], u.Hostname(), ports[u.Hostname()])
		}
		if svc.Healthcheck.Test == nil {
			t.Errorf("service %s has no health check for conformance to wait on", u.Hostname())
		}
	}
	if conf["report-dir"] == "" || !slices.ContainsFunc(file.Services["conformance"].Volumes, func(v string) bool { return strings.HasSuffix(v, ":"+conf["report-dir"]) }) {
		t.Errorf("conformance writes reports to %q, which is not a mounted folder", conf["report-dir"])
	}
	if a, b := file.Services["ssrmock"].Environment["SSRMOCK_SERVE_CONTROL_TOKEN"], file.Services["conformance"].Environment["SSRMOCK_CONFORM_CONTROL_TOKEN"]; a != b {
		t.Errorf("the server's control token %q and the suite's %q differ", a, b)
	}
}

// dockerfileLines returns the Dockerfile's instructions, continuation lines joined.
func dockerfileLines(src string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(src, "\n") {
		trimmed := strings.TrimSpace(line)
		if cur.Len() == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if strings.HasSuffix(trimmed, "\\") {
			cur.WriteString(strings.TrimSuffix(trimmed, "\\") + " ")
			continue
		}
		cur.WriteString(trimmed)
		out = append(out, cur.String())
		cur.Reset()
	}
	return out
}

// TestDockerfileMatchesModule checks the Dockerfile's build against the module: the Go version,
// the package it builds, the files it copies and the command it runs.
func TestDockerfileMatchesModule(t *testing.T) {
	gomod := readFile(t, "go.mod")
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindStringSubmatch(gomod)
	if m == nil {
		t.Fatal("go.mod has no go directive")
	}
	goVersion := m[1]
	if tc := regexp.MustCompile(`(?m)^toolchain go(\S+)$`).FindStringSubmatch(gomod); tc != nil {
		goVersion = tc[1]
	}

	lines := dockerfileLines(readFile(t, "Dockerfile"))
	stages := map[string]bool{}
	var built, final, entrypoint string
	var cmd []string
	sawGoVersion, sawStatic := false, false
	for _, l := range lines {
		instr, rest, _ := strings.Cut(l, " ")
		words := strings.Fields(rest)
		switch strings.ToUpper(instr) {
		case "ARG":
			if v, ok := strings.CutPrefix(rest, "GO_VERSION="); ok {
				sawGoVersion = true
				if v != goVersion {
					t.Errorf("Dockerfile builds with Go %s; go.mod says %s", v, goVersion)
				}
			}
		case "FROM":
			if len(words) == 3 && strings.EqualFold(words[1], "AS") {
				stages[words[2]] = true
			}
			final = words[0]
			if strings.HasPrefix(words[0], "golang:") && !strings.Contains(words[0], "${GO_VERSION}") {
				t.Errorf("the build stage %s does not use ARG GO_VERSION", words[0])
			}
		case "COPY":
			var from string
			var srcs []string
			for _, w := range words {
				switch {
				case strings.HasPrefix(w, "--from="):
					from = strings.TrimPrefix(w, "--from=")
				case strings.HasPrefix(w, "--"):
				default:
					srcs = append(srcs, w)
				}
			}
			srcs = srcs[:len(srcs)-1] // the last is the destination
			if from != "" {
				if !stages[from] {
					t.Errorf("COPY --from=%s: no such stage", from)
				}
				for _, s := range srcs {
					if from == "build" && strings.HasPrefix(s, "/out/ssrmock") && built == "" {
						t.Errorf("COPY %s before anything was built", s)
					}
				}
				continue
			}
			for _, s := range srcs {
				if _, err := os.Stat(filepath.Join(root, s)); err != nil {
					t.Errorf("COPY %s: %v", s, err)
				}
			}
		case "RUN":
			if !strings.Contains(rest, "go build") {
				continue
			}
			if strings.Contains(rest, "CGO_ENABLED=0") {
				sawStatic = true
			}
			bm := regexp.MustCompile(`-o (\S+) (\./\S+)`).FindStringSubmatch(rest)
			if bm == nil {
				t.Errorf("RUN %s: cannot find -o OUT ./PKG", rest)
				continue
			}
			built = bm[1]
			if _, err := os.Stat(filepath.Join(root, bm[2], "main.go")); err != nil {
				t.Errorf("the Dockerfile builds %s, which has no main.go: %v", bm[2], err)
			}
		case "USER":
			if u := strings.Split(rest, ":")[0]; u == "0" || u == "root" {
				t.Errorf("the image runs as %s", rest)
			}
		case "ENTRYPOINT":
			entrypoint = strings.Trim(strings.Fields(strings.Trim(rest, "[]"))[0], `",`)
		case "CMD":
			for _, w := range strings.Split(strings.Trim(rest, "[] "), ",") {
				cmd = append(cmd, strings.Trim(strings.TrimSpace(w), `"`))
			}
		}
	}
	if !sawGoVersion {
		t.Error("the Dockerfile has no ARG GO_VERSION")
	}
	if !sawStatic {
		t.Error("the Dockerfile does not build with CGO_ENABLED=0: the binary would not run on scratch")
	}
	if final != "scratch" && !strings.Contains(final, "distroless") {
		t.Errorf("the final stage is %s; want scratch or distroless", final)
	}
	if built == "" || filepath.Base(built) != filepath.Base(entrypoint) {
		t.Errorf("the entry point %s is not the binary built (%s)", entrypoint, built)
	}
	checkArgs(t, "Dockerfile CMD", cmd)

	for _, l := range strings.Split(readFile(t, ".dockerignore"), "\n") {
		l = strings.TrimSpace(l)
		for _, needed := range []string{"go.mod", "go.sum", "cmd", "server", "fixtures", "conformance", "*", "**"} {
			if l == needed || l == needed+"/" {
				t.Errorf(".dockerignore leaves out %s, which the build needs", l)
			}
		}
	}
}

// TestCIWorkflow checks the GitHub Actions recipe: valid YAML, ssrmock commands with real
// flags, and a JUnit report published from where the suite writes it.
func TestCIWorkflow(t *testing.T) {
	src := readFile(t, "docs/ci/github-actions.yml")
	var wf struct {
		On   any `yaml:"on"`
		Jobs map[string]struct {
			RunsOn string `yaml:"runs-on"`
			Steps  []struct {
				Name string            `yaml:"name"`
				Uses string            `yaml:"uses"`
				Run  string            `yaml:"run"`
				With map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(src), &wf); err != nil {
		t.Fatalf("github-actions.yml: %v", err)
	}
	if wf.On == nil || len(wf.Jobs) == 0 {
		t.Fatal("github-actions.yml has no trigger or no job")
	}
	var reportDir string
	var junit []string
	conform, installs := 0, 0
	for _, job := range wf.Jobs {
		if job.RunsOn == "" {
			t.Error("a job has no runs-on")
		}
		for _, step := range job.Steps {
			if step.Uses == "" && step.Run == "" {
				t.Errorf("step %q neither uses an action nor runs a command", step.Name)
			}
			if strings.Contains(step.Run, "go install") {
				installs++
				if !strings.Contains(step.Run, "github.com/ssrmock/ssrmock/cmd/ssrmock@") {
					t.Errorf("step %q installs %q, not the module's command", step.Name, step.Run)
				}
				if !regexp.MustCompile(`cmd/ssrmock@v\d+\.\d+\.\d+\b`).MatchString(step.Run) {
					t.Errorf("step %q installs %q: pin a release (@vX.Y.Z), so that results change only when the vendor moves to a new one", step.Name, step.Run)
				}
			}
			for _, args := range invocations(step.Run) {
				flags := checkArgs(t, "github-actions.yml step "+step.Name, args)
				if args[0] == "conform" {
					conform++
					reportDir = flags["report-dir"]
				}
			}
			for _, v := range step.With {
				if strings.HasSuffix(v, "junit.xml") {
					junit = append(junit, v)
				}
			}
		}
	}
	if installs == 0 || conform == 0 {
		t.Errorf("the workflow installs ssrmock %d times and runs the suite %d times; want both", installs, conform)
	}
	if reportDir == "" || !slices.Contains(junit, reportDir+"/junit.xml") {
		t.Errorf("the suite writes reports to %q, but the workflow publishes %v", reportDir, junit)
	}
}

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

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// composeFile is the part of docker-compose.yml the checks read.
type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

// composeService is the part of a docker-compose service the checks read.
type composeService struct {
	Build       any               `yaml:"build"`
	Image       string            `yaml:"image"`
	PullPolicy  string            `yaml:"pull_policy"`
	Profiles    []string          `yaml:"profiles"`
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

// runsMock reports whether a service runs the mock's binary (a command of it), rather than
// another image's own program (PostgreSQL, the proxy).
func (s composeService) runsMock() bool { return s.Command != nil }

// readCompose parses docker-compose.yml.
func readCompose(t *testing.T) composeFile {
	t.Helper()
	var file composeFile
	if err := yaml.Unmarshal([]byte(readFile(t, "docker-compose.yml")), &file); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	return file
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

// pinnedImage is an image named with a version tag (name:MAJOR.MINOR[.PATCH][-variant]), so
// that the file runs the same program wherever it is used.
var pinnedImage = regexp.MustCompile(`^[a-z0-9][a-z0-9./_-]*:\d+\.\d+(\.\d+)?(-[a-z0-9.]+)?$`)

// publishers are the services that may publish a port on the host: the mock, and the proxy in
// front of its replicas.
var publishers = []string{"ssrmock", "ssrmock-lb"}

// flagValue returns the value of --name in an ssrmock command's arguments.
func flagValue(args []string, name string) (string, bool) {
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v, true
		}
		if a == "--"+name && i+1 < len(args) {
			return args[i+1], true
		}
	}
	return "", false
}

// withoutFlag returns args without --name and its value.
func withoutFlag(args []string, name string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		switch {
		case strings.HasPrefix(args[i], "--"+name+"="):
		case args[i] == "--"+name:
			i++
		default:
			out = append(out, args[i])
		}
	}
	return out
}

// landedArgs is a service's command less flags the file uses ahead of the binary: serve
// --state (a SQLite file or a postgres:// URL), which the replicas need. Until serve has it,
// the flag is left out of the check against the binary, and said so; once it has it, the
// flag is checked like any other. TestComposeReplicas checks its value either way.
func landedArgs(t *testing.T, name string, args []string) []string {
	t.Helper()
	if len(args) == 0 || args[0] != "serve" || flagsOf(t, "serve")["state"] {
		return args
	}
	if _, ok := flagValue(args, "state"); !ok {
		return args
	}
	t.Logf("service %s: ssrmock serve has no --state flag yet; the check against the binary leaves it out until it has", name)
	return withoutFlag(args, "state")
}

// TestComposeMatchesBinary checks every service of docker-compose.yml against the binary: its
// command and flags, its SSRMOCK_* variables, its ports and the URLs that join the services.
// Services of other images (PostgreSQL and the proxy of the replicas profile) are checked for
// a pinned image, a profile and a health check.
func TestComposeMatchesBinary(t *testing.T) {
	file := readCompose(t)
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
		for k, v := range s.Environment {
			if strings.Contains(k, "TOKEN") && !requiredVar.MatchString(v) {
				t.Errorf("service %s: %s is %q; want it required from the environment, ${VARIABLE:?message}, with no default", name, k, v)
			}
		}
		if len(s.Ports) > 0 && !slices.Contains(publishers, name) {
			t.Errorf("service %s publishes %v; only the mock's web UI and APIs (%v) need to reach the host", name, s.Ports, publishers)
		}
		for _, p := range s.Ports {
			if host, _, _ := strings.Cut(p, ":"); host != "127.0.0.1" {
				t.Errorf("service %s publishes %q on all the host's interfaces; bind it to 127.0.0.1", name, p)
			}
		}
		if !s.runsMock() {
			// Another image's program: a pinned release, pulled only by those who ask for its
			// profile (the default `up` builds everything it runs), with a health check.
			if s.Build != nil || !pinnedImage.MatchString(s.Image) {
				t.Errorf("service %s: build %v, image %q; want a released image with a pinned version tag", name, s.Build, s.Image)
			}
			if len(s.Profiles) == 0 {
				t.Errorf("service %s runs %s but belongs to no profile: a plain docker compose up would pull it", name, s.Image)
			}
			if len(s.Healthcheck.Test) < 2 {
				t.Errorf("service %s has no health check", name)
			}
			continue
		}
		if name != "ssrmock" && (s.Build != nil || s.Image != image || s.PullPolicy != "never") {
			t.Errorf("service %s: build %v, image %q, pull_policy %q; want no build, image %q (built by ssrmock), pull_policy never", name, s.Build, s.Image, s.PullPolicy, image)
		}
		flags := checkArgs(t, "docker-compose.yml service "+name, landedArgs(t, name, s.Command))
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

// composeVar is a variable in a compose value: ${NAME:-default} or ${NAME:?message}.
var composeVar = regexp.MustCompile(`\$\{([A-Za-z0-9_]+):?([-?])([^}]*)\}`)

// interpolate expands compose variables as compose would in this environment; a required
// variable that is unset reads as "<NAME>".
func interpolate(v string) string {
	return composeVar.ReplaceAllStringFunc(v, func(m string) string {
		g := composeVar.FindStringSubmatch(m)
		if val := os.Getenv(g[1]); val != "" {
			return val
		}
		if g[2] == "-" {
			return g[3]
		}
		return "<" + g[1] + ">"
	})
}

// nginxConf is what the replicas' proxy configuration says.
type nginxConf struct {
	listen   string   // the port it listens on
	servers  []string // upstream host:port, in order
	passHost bool     // passes the client's Host header on
	proxies  []string // upstream names proxy_pass sends to
	upstream []string // upstream names defined
}

// readNginxConf reads the few directives of an nginx configuration the checks need.
func readNginxConf(t *testing.T, path string) nginxConf {
	t.Helper()
	var c nginxConf
	for _, line := range strings.Split(readFile(t, path), "\n") {
		line, _, _ = strings.Cut(line, "#")
		f := strings.Fields(strings.TrimSuffix(strings.TrimSpace(line), ";"))
		switch {
		case len(f) == 2 && f[0] == "listen":
			c.listen = f[1]
		case len(f) >= 2 && f[0] == "server" && f[1] != "{": // an upstream server, not a server block
			c.servers = append(c.servers, f[1])
		case len(f) == 3 && f[0] == "upstream" && f[2] == "{":
			c.upstream = append(c.upstream, f[1])
		case len(f) == 2 && f[0] == "proxy_pass":
			c.proxies = append(c.proxies, strings.TrimPrefix(f[1], "http://"))
		case len(f) == 3 && f[0] == "proxy_set_header" && f[1] == "Host" && f[2] == "$http_host":
			c.passHost = true
		}
	}
	return c
}

// TestComposeReplicas checks the replicas profile: PostgreSQL, mock replicas identical but
// for their name, each keeping its state in that PostgreSQL (serve --state postgres://…), and
// a proxy spreading requests over exactly those replicas.
func TestComposeReplicas(t *testing.T) {
	file := readCompose(t)
	db, ok := file.Services["postgres"]
	if !ok {
		t.Fatal("docker-compose.yml has no postgres service")
	}
	lb, ok := file.Services["ssrmock-lb"]
	if !ok {
		t.Fatal("docker-compose.yml has no ssrmock-lb service (the replicas' proxy)")
	}
	var replicas []string
	for name, s := range file.Services {
		inProfile := slices.Contains(s.Profiles, "replicas")
		if s.runsMock() && inProfile {
			replicas = append(replicas, name)
		}
		for dep := range s.DependsOn {
			if !inProfile && slices.Contains(file.Services[dep].Profiles, "replicas") {
				t.Errorf("service %s, outside the replicas profile, depends on %s, inside it", name, dep)
			}
		}
	}
	slices.Sort(replicas)
	if len(replicas) < 2 {
		t.Fatalf("the replicas profile runs the mock %d times (%v); want at least 2", len(replicas), replicas)
	}
	for name, s := range map[string]composeService{"postgres": db, "ssrmock-lb": lb} {
		if !slices.Equal(s.Profiles, []string{"replicas"}) {
			t.Errorf("service %s has profiles %v; want [replicas]", name, s.Profiles)
		}
	}

	// The database: the state URL names its service, port, user, password and database.
	if !strings.HasPrefix(db.Image, "postgres:") {
		t.Errorf("service postgres runs %s; want the official postgres image", db.Image)
	}
	dbVolume := false
	for _, v := range db.Volumes {
		src, dst, _ := strings.Cut(v, ":")
		if dst == "/var/lib/postgresql/data" {
			_, declared := file.Volumes[src]
			dbVolume = declared
		}
	}
	if !dbVolume {
		t.Errorf("service postgres keeps its data in %v; want a named volume, declared, at /var/lib/postgresql/data (the image's PGDATA)", db.Volumes)
	}

	first := file.Services[replicas[0]]
	for _, name := range replicas {
		s := file.Services[name]
		if d := cmp.Diff(first, s); d != "" {
			t.Errorf("replicas %s and %s differ (-%s +%s):\n%s", replicas[0], name, replicas[0], name, d)
		}
		raw, ok := flagValue(s.Command, "state")
		if !ok {
			t.Errorf("replica %s has no --state: it would keep its state to itself", name)
			continue
		}
		u, err := url.Parse(interpolate(raw))
		if err != nil {
			t.Errorf("replica %s: --state %s: %v", name, raw, err)
			continue
		}
		pw, _ := u.User.Password()
		for _, c := range []struct{ what, got, want string }{
			{"scheme", u.Scheme, "postgres"},
			{"host", u.Hostname(), "postgres"},
			{"port", u.Port(), "5432"}, // the image's
			{"user", u.User.Username(), interpolate(db.Environment["POSTGRES_USER"])},
			{"password", pw, interpolate(db.Environment["POSTGRES_PASSWORD"])},
			{"database", strings.TrimPrefix(u.Path, "/"), interpolate(db.Environment["POSTGRES_DB"])},
		} {
			if c.got != c.want || c.want == "" {
				t.Errorf("replica %s: --state %s: %s %q; the postgres service has %q", name, raw, c.what, c.got, c.want)
			}
		}
		if s.DependsOn["postgres"].Condition != "service_healthy" {
			t.Errorf("replica %s does not wait for the postgres service to be healthy", name)
		}
		if a, b := file.Services["ssrmock"].Environment["SSRMOCK_SERVE_CONTROL_TOKEN"], s.Environment["SSRMOCK_SERVE_CONTROL_TOKEN"]; a != b {
			t.Errorf("replica %s: control token %q; the ssrmock service's is %q", name, b, a)
		}
		if hosts := strings.Split(s.Environment["SSRMOCK_SERVE_ALLOW_HOST"], ","); !slices.Contains(hosts, "ssrmock-lb") {
			t.Errorf("replica %s allows hosts %v: requests through the proxy by its service name, ssrmock-lb, would be refused", name, hosts)
		}
	}

	// The proxy: its configuration is mounted, listens where the port is published and the
	// health check looks, and spreads requests over exactly the replicas.
	var conf nginxConf
	mounted := false
	for _, v := range lb.Volumes {
		src, dst, _ := strings.Cut(v, ":")
		if strings.HasPrefix(dst, "/etc/nginx/conf.d/") {
			mounted = true
			conf = readNginxConf(t, filepath.Clean(src))
		}
	}
	if !mounted {
		t.Fatalf("service ssrmock-lb mounts %v; want its configuration in /etc/nginx/conf.d/", lb.Volumes)
	}
	for _, p := range lb.Ports {
		parts := strings.Split(p, ":")
		if container := parts[len(parts)-1]; container != conf.listen {
			t.Errorf("service ssrmock-lb publishes container port %s but listens on %q", container, conf.listen)
		}
	}
	if len(lb.Ports) != 1 {
		t.Errorf("service ssrmock-lb publishes %v; want one port on 127.0.0.1", lb.Ports)
	}
	for _, w := range lb.Healthcheck.Test {
		if u, err := url.Parse(w); err == nil && u.Scheme == "http" && u.Port() != conf.listen {
			t.Errorf("service ssrmock-lb: health check %s, but it listens on port %q", w, conf.listen)
		}
	}
	var want []string
	for _, name := range replicas {
		addr, _ := flagValue(file.Services[name].Command, "addr")
		_, port, _ := net.SplitHostPort(addr)
		want = append(want, name+":"+port)
		if lb.DependsOn[name].Condition != "service_healthy" {
			t.Errorf("service ssrmock-lb does not wait for replica %s to be healthy", name)
		}
	}
	if got := slices.Sorted(slices.Values(conf.servers)); !slices.Equal(got, want) {
		t.Errorf("the proxy's upstream servers are %v; want the replicas %v", got, want)
	}
	if len(conf.upstream) != 1 || !slices.Equal(conf.proxies, conf.upstream) {
		t.Errorf("the proxy defines upstreams %v and sends to %v; want one upstream, the one it sends to", conf.upstream, conf.proxies)
	}
	if !conf.passHost {
		t.Error("the proxy does not pass the client's Host on (proxy_set_header Host $http_host): the replicas check it and build links from it")
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

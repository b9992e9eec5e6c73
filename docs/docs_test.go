package docs_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// root is the repository's root, from this package's directory.
const root = ".."

var (
	binDir   string
	binOnce  sync.Once
	binPath  string
	binErr   error
	flagMu   sync.Mutex
	flagSets = map[string]map[string]bool{} // subcommand → flag name → is boolean
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ssrmock-docs-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// ssrmock builds the command once and returns the binary's path.
func ssrmock(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		binPath = filepath.Join(binDir, "ssrmock")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/ssrmock")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build ./cmd/ssrmock: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// subcommands are the commands of the ssrmock binary that take flags.
var subcommands = []string{"serve", "roster", "vendor", "conform", "audit"}

// flagLine is one flag in the flag package's usage: "  -name type" or "  -name" (boolean).
var flagLine = regexp.MustCompile(`^  -[a-zA-Z0-9-]+( \S+)?\s*$`)

// flagsOf runs `ssrmock sub -h` and returns its flags, each marked boolean or not.
func flagsOf(t testing.TB, sub string) map[string]bool {
	t.Helper()
	flagMu.Lock()
	defer flagMu.Unlock()
	if fs, ok := flagSets[sub]; ok {
		return fs
	}
	cmd := exec.Command(ssrmock(t), sub, "-h")
	cmd.Env = hermeticEnv()
	out, _ := cmd.CombinedOutput() // -h exits 0; a placeholder command may not
	fs := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		// "  -name type\tusage", or "  -name\tusage" for a boolean; the usage may also
		// start on the next line.
		head, _, _ := strings.Cut(sc.Text(), "\t")
		if !flagLine.MatchString(head) {
			continue
		}
		f := strings.Fields(head)
		fs[strings.TrimPrefix(f[0], "-")] = len(f) == 1
	}
	if len(fs) == 0 {
		t.Fatalf("ssrmock %s -h lists no flags:\n%s", sub, out)
	}
	flagSets[sub] = fs
	return fs
}

// hermeticEnv is the environment without SSRMOCK_* variables, which would set flags.
func hermeticEnv() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "SSRMOCK_") })
}

// envFlag is the flag of command an SSRMOCK_<COMMAND>_* variable sets: SSRMOCK_CONFORM_DRIVER_CMD
// sets conform's driver-cmd.
func envFlag(command, name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, "SSRMOCK_"+strings.ToUpper(command)+"_")
	if !ok {
		return "", false
	}
	return strings.ToLower(strings.ReplaceAll(rest, "_", "-")), true
}

// checkArgs checks the arguments of one ssrmock invocation against the binary's flags and
// returns the flags given, by name.
func checkArgs(t *testing.T, where string, args []string) map[string]string {
	t.Helper()
	got := map[string]string{}
	if len(args) == 0 {
		t.Errorf("%s: ssrmock without a command", where)
		return got
	}
	sub := args[0]
	if sub == "version" || sub == "help" {
		return got
	}
	if !slices.Contains(subcommands, sub) {
		t.Errorf("%s: ssrmock has no command %q", where, sub)
		return got
	}
	flags := flagsOf(t, sub)
	for i := 1; i < len(args); i++ {
		a := strings.Trim(args[i], "[]")
		if !strings.HasPrefix(a, "-") {
			continue // a flag's value, or prose such as csv|json
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		boolean, ok := flags[name]
		if !ok {
			t.Errorf("%s: ssrmock %s has no flag --%s (it has %v)", where, sub, name, keys(flags))
			continue
		}
		if !hasVal && !boolean && i+1 < len(args) {
			i++
			val = strings.Trim(args[i], "[]")
		}
		got[name] = val
	}
	return got
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// shellWords splits a command line as a POSIX shell would for the simple commands in our
// docs: whitespace, single and double quotes, backslash-newline continuations.
func shellWords(line string) []string {
	line = strings.ReplaceAll(line, "\\\n", " ")
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case r == '#' && !inWord:
			return words // a comment
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// invocations finds the ssrmock commands in a shell script: `ssrmock …`, `./ssrmock …`,
// `go run ./cmd/ssrmock …`, and ssrmock commands quoted inside another's arguments.
func invocations(script string) [][]string {
	var out [][]string
	script = strings.ReplaceAll(script, "\\\n", " ")
	for _, line := range strings.Split(script, "\n") {
		for _, stmt := range regexp.MustCompile(`&&|\|\||;|\|`).Split(line, -1) {
			words := shellWords(stmt)
			for i, w := range words {
				if w == "ssrmock" || strings.HasSuffix(w, "/ssrmock") || w == "./cmd/ssrmock" {
					if i > 0 && (words[i-1] == "-o" || words[i-1] == "-t") {
						continue // go build -o ssrmock, docker build -t ssrmock
					}
					if i+1 < len(words) && !strings.HasPrefix(words[i+1], "-") {
						out = append(out, words[i+1:])
					}
					break
				}
			}
			for _, w := range words {
				if strings.Contains(w, "ssrmock ") {
					out = append(out, invocations(w)...) // e.g. --driver-cmd "./ssrmock vendor"
				}
			}
		}
	}
	return out
}

// runWithTimeout runs cmd and kills it after d.
func runWithTimeout(t *testing.T, d time.Duration, name string, args ...string) *exec.Cmd {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = hermeticEnv()
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, path))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

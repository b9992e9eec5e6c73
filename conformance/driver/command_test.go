package driver

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSplitCommand(t *testing.T) {
	tests := []struct {
		command string
		want    []string // nil with shell: the command needs a shell
		shell   bool
		err     bool
	}{
		{command: "python3 driver.py", want: []string{"python3", "driver.py"}},
		{command: "  python3\t driver.py  --listen  ", want: []string{"python3", "driver.py", "--listen"}},
		{command: `java -jar "C:\Program Files\Acme\driver.jar"`, want: []string{"java", "-jar", `C:\Program Files\Acme\driver.jar`}},
		{command: `C:\tools\driver.exe --verbose`, want: []string{`C:\tools\driver.exe`, "--verbose"}},
		{command: `\\server\share\driver.exe`, want: []string{`\server\share\driver.exe`}},
		{command: `node 'my driver.js'`, want: []string{"node", "my driver.js"}},
		{command: `node my\ driver.js`, want: []string{"node", "my driver.js"}},
		{command: `echo "say \"hi\"" 'it''s'`, want: []string{"echo", `say "hi"`, "its"}},
		{command: `echo 'a "b" \c'`, want: []string{"echo", `a "b" \c`}},
		{command: `echo "a 'b' \c"`, want: []string{"echo", `a 'b' \c`}},
		{command: `echo \"quoted\"`, want: []string{"echo", `"quoted"`}},
		{command: `driver --name= '' ""`, want: []string{"driver", "--name=", "", ""}},
		{command: `driver --json='{"a":[1]}' 'a|b;c$d'`, want: []string{"driver", `--json={"a":[1]}`, "a|b;c$d"}},
		{command: `x"y z"w`, want: []string{"xy zw"}},
		{command: "driver ünïcode", want: []string{"driver", "ünïcode"}},
		{command: "", want: nil},
		{command: "echo hello; sleep 5", shell: true},
		{command: "driver | tee log", shell: true},
		{command: "driver > log", shell: true},
		{command: "driver 2>&1", shell: true},
		{command: "cd dir && ./driver", shell: true},
		{command: "driver $HOME", shell: true},
		{command: `driver "$HOME"`, shell: true},
		{command: "driver `pwd`", shell: true},
		{command: "driver *.js", shell: true},
		{command: "driver ~/x", shell: true},
		{command: "driver # comment", shell: true},
		{command: "(driver)", shell: true},
		{command: "driver\nother", shell: true},
		{command: "FOO=1 driver", shell: true},
		{command: "GORACE=atexit_sleep_ms=0 exec driver", shell: true},
		{command: `'FOO=1' driver`, want: []string{"FOO=1", "driver"}},
		{command: "driver FOO=1", want: []string{"driver", "FOO=1"}},
		{command: `driver 'unterminated`, err: true},
		{command: `driver "unterminated`, err: true},
		{command: `driver "ends with \"`, err: true},
	}
	for _, tt := range tests {
		t.Run(tt.command, func(t *testing.T) {
			got, shell, err := splitCommand(tt.command)
			if (err != nil) != tt.err {
				t.Fatalf("splitCommand(%q) error %v, want error %v", tt.command, err, tt.err)
			}
			if shell != tt.shell {
				t.Errorf("splitCommand(%q) needsShell = %v, want %v", tt.command, shell, tt.shell)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("splitCommand(%q) words (-want +got):\n%s", tt.command, diff)
			}
		})
	}
}

// TestStartWithoutShell checks that a command without shell syntax reaches the driver word for
// word, backslashes and quotes included (a shell would have eaten the backslashes), with the
// environment given in Options.
func TestStartWithoutShell(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"two words", `say "hi"`, `C:\tools\driver.exe`, ""}
	command := `'` + exe + `' 'two words' "say \"hi\"" C:\tools\driver.exe ''`
	env := append(slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "DRIVER_TEST_VAR=") }),
		helperEnv+"=args", "DRIVER_TEST_VAR=from-options")
	c, err := Start(context.Background(), command, Options{Timeout: 5 * time.Second, Env: env})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	defer c.Close()
	h, err := c.Hello(context.Background())
	if err != nil {
		t.Fatalf("Hello: %v", err)
	}
	if diff := cmp.Diff(args, strings.Split(h.Name, "\x00")); diff != "" {
		t.Errorf("the driver's arguments (-want +got):\n%s", diff)
	}
	if h.Version != "from-options" {
		t.Errorf("the driver saw DRIVER_TEST_VAR=%q, want the value from Options.Env", h.Version)
	}
}

func TestStartBadCommand(t *testing.T) {
	for _, command := range []string{`driver 'unterminated`, "   ", "''"} {
		if c, err := Start(context.Background(), command, Options{}); err == nil {
			c.Close()
			t.Errorf("Start(%q) succeeded, want a harness error", command)
		} else if _, ok := err.(*HarnessError); !ok {
			t.Errorf("Start(%q) error %T %v, want a *HarnessError", command, err, err)
		}
	}
}

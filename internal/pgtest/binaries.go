package pgtest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// errNoPostgres says the PostgreSQL server programs are not installed.
var errNoPostgres = errors.New("PostgreSQL's initdb and postgres were found neither through pg_config --bindir, nor in /usr/lib/postgresql/*/bin, nor on the PATH")

// lookBinDir is findBinDir; tests replace it.
var lookBinDir = findBinDir

// findBinDir returns the directory holding initdb and postgres. Debian installs them in
// /usr/lib/postgresql/VERSION/bin, off the PATH; pg_config (which libpq-dev also ships,
// without the server) names it when the server is installed.
func findBinDir() (string, error) {
	var candidates []string
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		candidates = append(candidates, strings.TrimSpace(string(out)))
	}
	debian, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	// Newest major version first: 16 before 15, and 10 before 9.6.
	slices.SortFunc(debian, func(a, b string) int {
		return versionOf(b) - versionOf(a)
	})
	candidates = append(candidates, debian...)
	if p, err := exec.LookPath("initdb"); err == nil {
		candidates = append(candidates, filepath.Dir(p))
	}
	for _, dir := range candidates {
		if isExecutable(filepath.Join(dir, "initdb")) && isExecutable(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	return "", errNoPostgres
}

// versionOf is the major version in a path /usr/lib/postgresql/VERSION/bin, times 100 so
// that 9.6 sorts below 10; 0 when the path names none.
func versionOf(dir string) int {
	v := filepath.Base(filepath.Dir(dir))
	major, minor, _ := strings.Cut(v, ".")
	m, err := strconv.Atoi(major)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(minor)
	return m*100 + n
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// dedicatedUser is the system user created to run the server when the test runs as root
// and the machine has no postgres user.
const dedicatedUser = "ssrmock-pg"

// serverCredential returns the user the server runs as: nil (the test's own user) unless
// the test runs as root, which PostgreSQL refuses. Then it is the postgres user that
// Debian's postgresql package creates or, when there is none, a dedicated system user,
// created here.
func serverCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		u, err = dedicatedSystemUser()
		if err != nil {
			return nil, err
		}
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("user %s: %w", u.Username, err)
	}
	if uid == 0 {
		return nil, fmt.Errorf("user %s has uid 0; PostgreSQL refuses to run as root", u.Username)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}, nil
}

// dedicatedSystemUser looks up the dedicated user, creating it when absent. Another test
// binary may create it at the same moment: a failed useradd is judged by the look-up after.
func dedicatedSystemUser() (*user.User, error) {
	if u, err := user.Lookup(dedicatedUser); err == nil {
		return u, nil
	}
	out, addErr := exec.Command("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
		"--shell", "/usr/sbin/nologin", dedicatedUser).CombinedOutput()
	u, err := user.Lookup(dedicatedUser)
	if err != nil {
		return nil, fmt.Errorf("running as root with no postgres user, and creating user %s failed: %v %s", dedicatedUser, addErr, out)
	}
	return u, nil
}

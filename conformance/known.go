package conformance

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// ReadKnownFailing reads a known-failing file: one spec id per line; blank lines and text after
// "#" are ignored.
func ReadKnownFailing(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ids []string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if !idPattern.MatchString(line) {
			return nil, fmt.Errorf("%s:%d: %q is not a spec id (area/slug)", path, n, line)
		}
		ids = append(ids, line)
	}
	return ids, sc.Err()
}

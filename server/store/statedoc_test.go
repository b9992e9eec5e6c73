package store_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// stateDocQuotes are the text blocks of docs/state.md: the errors it quotes, among others.
func stateDocQuotes(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../docs/state.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?s)```text\n(.*?)\n *```").FindAllStringSubmatch(string(b), -1) {
		out = append(out, strings.TrimSpace(m[1]))
	}
	return out
}

// checkQuoted checks that docs/state.md quotes err as it reads after its prefix (the path
// or URL the error names).
func checkQuoted(t *testing.T, err error) {
	t.Helper()
	for _, q := range stateDocQuotes(t) {
		if strings.HasSuffix(err.Error(), q) {
			return
		}
	}
	t.Errorf("docs/state.md quotes no text block that ends the error %q", err)
}

package conformance

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
)

// ruleDocs are the documents a vendor writes an integration from.
var ruleDocs = []string{"api.md", "driver-protocol.md", "reports.md"}

// docSpecRef is a spec id in backticks, or an id pattern ending in "*" ("regeneration/*").
var docSpecRef = regexp.MustCompile("`([a-z][a-z-]*/(?:[a-z0-9][a-z0-9-]*\\*?|\\*))`")

// TestEveryRuleDocumented checks that every spec the suite enforces is named in the docs, by its
// id or by a pattern, so that no rule is checked that a vendor could not have read.
func TestEveryRuleDocumented(t *testing.T) {
	var refs []string
	for _, name := range ruleDocs {
		data, err := os.ReadFile(filepath.Join("..", "docs", name))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range docSpecRef.FindAllStringSubmatch(string(data), -1) {
			refs = append(refs, m[1])
		}
	}
	for _, s := range SpecsOf(PreviewSpecs("ssrmock conformance")) {
		if !documented(s.ID, refs) {
			t.Errorf("spec %s (%q) is named nowhere in docs/%s", s.ID, s.Rule, strings.Join(ruleDocs, ", docs/"))
		}
	}
}

func documented(id string, refs []string) bool {
	for _, r := range refs {
		if r == id || strings.HasSuffix(r, "*") && strings.HasPrefix(id, strings.TrimSuffix(r, "*")) {
			return true
		}
	}
	return false
}

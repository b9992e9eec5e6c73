package ssrpdf

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssrmock/ssrmock/fixtures"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// hashesFile lists the SHA-256 of every golden PDF, one "scenario/family.lang sha256" a line.
const hashesFile = "testdata/sha256.txt"

// TestGolden renders a fixed document of every family in every language of each scenario and
// compares the extracted text with testdata/<scenario>/<family>.<lang>.txt and the bytes'
// SHA-256 with testdata/sha256.txt. Run with -update to rewrite them after a deliberate
// change, and look at the diff.
func TestGolden(t *testing.T) {
	r := mustRenderer(t)
	var hashes []string
	for _, name := range fixtures.Scenarios() {
		sc, err := fixtures.LookupScenario(name)
		if err != nil {
			t.Fatal(err)
		}
		type golden struct {
			name string
			doc  func(fixtures.Language) Document
		}
		var docs []golden
		for _, f := range scenarioFamilies(sc) {
			docs = append(docs, golden{string(f), func(lang fixtures.Language) Document { return goldenDoc(t, sc, f, lang) }})
		}
		if sc.CombinedFrom != 0 {
			docs = append(docs, golden{"smarter-balanced+cast", func(lang fixtures.Language) Document { return goldenCombined(t, sc, lang) }})
		}
		for _, g := range docs {
			for _, lang := range scenarioLanguages(sc) {
				key := fmt.Sprintf("%s/%s.%s", name, g.name, lang)
				d := g.doc(lang)
				b := mustRender(t, r, d)
				mustValidate(t, b)
				text, pages := pdfText(t, b)
				checkPagesOf(t, d, pages)
				hashes = append(hashes, fmt.Sprintf("%s %x", key, sha256.Sum256(b)))
				compareGolden(t, filepath.Join("testdata", key+".txt"), text)
			}
		}
	}
	compareGolden(t, hashesFile, strings.Join(hashes, "\n")+"\n")
}

// compareGolden compares got with the golden file at path, or rewrites it under -update.
func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from what was rendered (run go test -update and review the diff):\n%s", path, firstDiff(string(want), got))
	}
}

// firstDiff shows the first line where two texts differ.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want %q\n  got  %q", i+1, w, g)
		}
	}
	return "(same lines, different line count)"
}

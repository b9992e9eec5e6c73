package ssrpdf

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/ssrmock/ssrmock/fixtures"
)

var samples = flag.String("samples", "", "directory TestWriteSamples writes sample PDFs to")

// sampleTranslation is the second language each family's sample is written in, so that every
// translation is seen.
var sampleTranslation = map[fixtures.Family]fixtures.Language{
	fixtures.FamilySmarterBalanced: fixtures.Spanish,
	fixtures.FamilyCAA:             fixtures.Vietnamese,
	fixtures.FamilyCAST:            fixtures.Chinese,
	fixtures.FamilyCSA:             fixtures.Filipino,
	fixtures.FamilySummativeELPAC:  fixtures.Chinese,
	fixtures.FamilyInitialELPAC:    fixtures.Korean,
	fixtures.FamilyAlternateELPAC:  fixtures.Korean,
	combinedKey:                    fixtures.Chinese,
}

// TestWriteSamples writes one real report of every family of each scenario, in English and
// one translation, to the -samples directory, for people to look at:
//
//	go test ./server/ssrpdf -run TestWriteSamples -samples /tmp/ssr
func TestWriteSamples(t *testing.T) {
	if *samples == "" {
		t.Skip("no -samples directory")
	}
	r := mustRenderer(t)
	for _, name := range fixtures.Scenarios() {
		sc, err := fixtures.LookupScenario(name)
		if err != nil {
			t.Fatal(err)
		}
		docs := worldDocs(t, name)
		dir := filepath.Join(*samples, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for f := range docs {
			for _, lang := range []fixtures.Language{fixtures.English, sampleTranslation[f]} {
				d := docs[f]
				d.Language = lang
				if !scenarioHas(sc, lang) {
					d.Language = fixtures.Spanish
				}
				path := filepath.Join(dir, string(f)+"."+string(d.Language)+".pdf")
				if err := os.WriteFile(path, mustRender(t, r, d), 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("wrote %s", path)
			}
		}
	}
}

// scenarioHas reports whether a scenario prints reports in lang.
func scenarioHas(sc *fixtures.Scenario, lang fixtures.Language) bool {
	for _, l := range scenarioLanguages(sc) {
		if l == lang {
			return true
		}
	}
	return false
}

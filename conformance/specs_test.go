package conformance

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	. "github.com/onsi/ginkgo/v2"
)

var update = flag.Bool("update", false, "rewrite testdata/specs.yaml from the suite")

// TestSpecList compares the suite's specs with the checked-in list in testdata/specs.yaml, and
// the digest reports carry with the file's.
func TestSpecList(t *testing.T) {
	specs := SpecsOf(PreviewSpecs("ssrmock conformance"))
	if len(specs) == 0 {
		t.Fatal("the suite has no conformance specs")
	}
	got := specListYAML(specs)
	golden := filepath.Join("testdata", "specs.yaml")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("the suite's specs differ from %s (-file +suite); run with -update if the change is meant:\n%s", golden, diff)
	}
	sum := sha256.Sum256(want)
	if got, want := SpecListSHA256(), hex.EncodeToString(sum[:]); got != want {
		t.Errorf("SpecListSHA256() = %s, want %s, the SHA-256 of %s", got, want, golden)
	}
}

package ssrhtml

import (
	"testing"

	"github.com/ssrmock/ssrmock/fixtures"
	"github.com/ssrmock/ssrmock/server/ssrpdf"
)

// BenchmarkRender renders the HTML page of a two-subject Smarter Balanced report and of a
// Summative ELPAC report; BenchmarkRenderPDF renders the same documents as PDF, for the ratio.
func BenchmarkRender(b *testing.B) {
	sc := mustScenario(b, "2025-26")
	for _, f := range []fixtures.Family{fixtures.FamilySmarterBalanced, fixtures.FamilySummativeELPAC} {
		d := fixedDoc(b, sc, f, fixtures.Spanish)
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Render(d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRenderPDF(b *testing.B) {
	r, err := ssrpdf.NewRenderer()
	if err != nil {
		b.Fatal(err)
	}
	sc := mustScenario(b, "2025-26")
	for _, f := range []fixtures.Family{fixtures.FamilySmarterBalanced, fixtures.FamilySummativeELPAC} {
		d := fixedDoc(b, sc, f, fixtures.Spanish)
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Render(d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

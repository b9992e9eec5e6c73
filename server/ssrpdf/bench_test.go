package ssrpdf

import (
	"testing"

	"github.com/ssrmock/ssrmock/fixtures"
)

// BenchmarkRender measures the time and size of one report per family, in English and in
// Chinese (the largest fonts), from the 2025-26 catalog. cpu-ns/op is the process's CPU time
// per report, garbage collection included: on a busy machine it moves less than ns/op.
func BenchmarkRender(b *testing.B) {
	r := mustRenderer(b)
	sc, err := fixtures.LookupScenario("2025-26")
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range scenarioFamilies(sc) {
		for _, lang := range []fixtures.Language{fixtures.English, fixtures.Chinese} {
			d := goldenDoc(b, sc, f, lang)
			b.Run(string(f)+"/"+string(lang), func(b *testing.B) {
				b.ReportAllocs()
				size := 0
				cpu := processCPU()
				for b.Loop() {
					pdf, err := r.Render(d)
					if err != nil {
						b.Fatal(err)
					}
					size = len(pdf)
				}
				b.ReportMetric(float64(size), "bytes/pdf")
				if cpu > 0 {
					b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
				}
			})
		}
	}
}

// BenchmarkRenderFontMiss is BenchmarkRender's Smarter Balanced report without the
// Renderer's font stream cache: what a report costs whose font subsets no earlier report
// used, each subset cut and compressed again.
func BenchmarkRenderFontMiss(b *testing.B) {
	base := mustRenderer(b)
	r := &Renderer{faces: base.faces, container: base.container, latinBase: base.latinBase, wraps: wrapCaches()}
	sc, err := fixtures.LookupScenario("2025-26")
	if err != nil {
		b.Fatal(err)
	}
	for _, lang := range []fixtures.Language{fixtures.English, fixtures.Chinese} {
		d := goldenDoc(b, sc, fixtures.FamilySmarterBalanced, lang)
		b.Run(string(lang), func(b *testing.B) {
			b.ReportAllocs()
			cpu := processCPU()
			for b.Loop() {
				if _, err := r.Render(d); err != nil {
					b.Fatal(err)
				}
			}
			if cpu > 0 {
				b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

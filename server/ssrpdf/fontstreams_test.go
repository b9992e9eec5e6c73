package ssrpdf

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/signintech/gopdf"
	"github.com/ssrmock/ssrmock/fixtures"
)

// TestFontStreamCache renders every family in every language of a scenario with a Renderer
// without a font stream cache, and in parallel with one whose cache is large and one whose
// cache holds 64 KiB (a few streams, so that it is emptied again and again), and wants the same
// bytes from all three. It then checks that the large cache is used: rendering the documents
// again adds no stream to it.
func TestFontStreamCache(t *testing.T) {
	base := mustRenderer(t)
	docs := everyGoldenDoc(t, "2025-26")
	uncached := &Renderer{faces: base.faces, container: base.container}
	want := make([][]byte, len(docs))
	for i, d := range docs {
		want[i] = mustRender(t, uncached, d)
	}
	large := &Renderer{faces: base.faces, container: base.container, fontStreams: gopdf.NewFontStreamCache(fontStreamBytes)}
	tiny := &Renderer{faces: base.faces, container: base.container, fontStreams: gopdf.NewFontStreamCache(64 << 10)}
	render := func(r *Renderer, name string) {
		var wg sync.WaitGroup
		for round := 0; round < 2; round++ {
			for i, d := range docs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					b, err := r.Render(d)
					if err != nil {
						t.Errorf("%s: Render(%s, %s): %v", name, d.ReportID, d.Language, err)
						return
					}
					if !bytes.Equal(b, want[i]) {
						t.Errorf("%s: Render(%s, %s) round %d differs from the render without a cache", name, d.ReportID, d.Language, round)
					}
				}()
			}
		}
		wg.Wait()
	}
	render(large, "large cache")
	render(tiny, "tiny cache")
	if n := tiny.fontStreams.Size(); n > 64<<10 {
		t.Errorf("tiny cache holds %d bytes, more than its bound of %d", n, 64<<10)
	}
	streams := large.fontStreams.Len()
	if streams == 0 {
		t.Fatal("the cache holds no stream after rendering")
	}
	render(large, "warm cache")
	if got := large.fontStreams.Len(); got != streams {
		t.Errorf("rendering the same documents again: %d streams, want %d", got, streams)
	}
}

// TestLatinSubsetsShared renders an English report for students whose names use different
// letters, with a new Renderer, and wants the second and third to add no font subset to the
// cache: the Latin subsets hold every ASCII letter and digit whatever the report prints.
func TestLatinSubsetsShared(t *testing.T) {
	r, err := NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	sc, err := fixtures.LookupScenario("2025-26")
	if err != nil {
		t.Fatal(err)
	}
	d := goldenDoc(t, sc, fixtures.FamilyCAST, fixtures.English)
	names := [][2]string{{"Ann", "Bo"}, {"Zoe", "Quixley-Vance"}, {"Jakob", "Wyeth"}}
	var streams int
	for i, n := range names {
		d.Student.FirstName, d.Student.LastName = n[0], n[1]
		text, _ := pdfText(t, mustRender(t, r, d))
		if !strings.Contains(text, n[1]) {
			t.Fatalf("report for %s %s does not print the name:\n%s", n[0], n[1], text)
		}
		if i == 0 {
			streams = r.fontStreams.Len()
			continue
		}
		if got := r.fontStreams.Len(); got != streams {
			t.Errorf("after the report for %s %s the cache holds %d subsets, want %d", n[0], n[1], got, streams)
		}
	}
}

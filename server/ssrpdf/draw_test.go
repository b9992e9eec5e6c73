package ssrpdf

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ssrmock/ssrmock/fixtures"
)

// runsByRune is runs as first written, one rune at a time into a builder: the reference the
// slicing version must match.
func runsByRune(c *canvas, s string, bold bool) []run {
	faces := c.fonts.faces(bold)
	var out []run
	var cur *face
	var b strings.Builder
	for _, r := range s {
		f := c.faceFor(faces, cur, r)
		if f == nil {
			f, r = c.faceFor(faces, cur, '?'), '?'
		}
		if f != cur && b.Len() > 0 {
			out = append(out, run{cur, b.String()})
			b.Reset()
		}
		cur = f
		b.WriteRune(r)
	}
	if b.Len() > 0 {
		out = append(out, run{cur, b.String()})
	}
	return out
}

// TestRunsSplitByFont checks runs and width against the rune-by-rune definition on label
// text, mixed scripts, runes no font covers and bytes that are not UTF-8.
func TestRunsSplitByFont(t *testing.T) {
	r := mustRenderer(t)
	inputs := []string{
		"", "Smarter Balanced", "學生成績報告 (SSID 1234567890)", "점수 보고서: 2,542", "Nguyễn Thị Ánh",
		"a\u0301b", "🙂 emoji", "\xff\xfe bad", "tail \xe4\xb8", "\uFFFD literal", "A\x00B",
	}
	rng := rand.New(rand.NewPCG(16, 1))
	pool := []rune("aZ09 ,.;-–é學生成績점수🙂\uFFFD\u0000")
	for range 300 {
		var b strings.Builder
		for range rng.IntN(12) {
			if rng.IntN(10) == 0 {
				b.WriteByte(byte(0x80 + rng.IntN(0x80)))
				continue
			}
			b.WriteRune(pool[rng.IntN(len(pool))])
		}
		inputs = append(inputs, b.String())
	}
	type piece struct{ Family, Text string }
	flatten := func(rs []run) []piece {
		var out []piece
		for _, x := range rs {
			out = append(out, piece{x.f.family, x.s})
		}
		return out
	}
	for _, lang := range []fixtures.Language{fixtures.English, fixtures.Chinese, fixtures.Korean} {
		c := &canvas{fonts: stackFor(lang, r.faces)}
		for _, s := range inputs {
			for _, bold := range []bool{false, true} {
				want := runsByRune(c, s, bold)
				if diff := cmp.Diff(flatten(want), flatten(c.runs(s, bold))); diff != "" {
					t.Errorf("%s runs(%q, bold %v) (-want +got):\n%s", lang, s, bold, diff)
				}
				sum := 0.0
				for _, x := range want {
					for _, ch := range x.s {
						sum += x.f.advance(ch)
					}
				}
				if got := c.width(s, 1, bold); got != sum {
					t.Errorf("%s width(%q, bold %v) = %v, want %v", lang, s, bold, got, sum)
				}
			}
		}
	}
}

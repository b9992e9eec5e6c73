package ssrpdf

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ssrmock/ssrmock/fixtures"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []token
	}{
		{"Level 3: Standard Met", []token{{"Level", false}, {"3:", true}, {"Standard", true}, {"Met", true}}},
		{"  spaced  out ", []token{{"spaced", false}, {"out", true}}},
		{"總結性評估。", []token{{"總", false}, {"結", false}, {"性", false}, {"評", false}, {"估。", false}}},
		{"在 2025-26 學年", []token{{"在", false}, {"2025-26", true}, {"學", true}, {"年", false}}},
		{"결과를 보여 줍니다.", []token{{"결과를", false}, {"보여", true}, {"줍니다.", true}}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tokenize(tt.in), cmp.AllowUnexported(token{})); diff != "" {
			t.Errorf("tokenize(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestWrap(t *testing.T) {
	r := mustRenderer(t)
	for _, lang := range []fixtures.Language{fixtures.English, fixtures.Chinese, fixtures.Korean} {
		c := &canvas{fonts: stackFor(lang, r.faces)}
		l := languages[lang]
		for _, s := range append([]string{l.IntroCAASPP, l.Families[fixtures.FamilySmarterBalanced].Levels[3]}, l.NextELPAC...) {
			for _, maxW := range []float64{60, 200, 532} {
				lines := c.wrap(s, maxW, 9, false)
				for _, line := range lines {
					rs := []rune(line)
					if strings.ContainsRune(noBreakBefore, rs[len(rs)-1]) {
						rs = rs[:len(rs)-1] // hanging punctuation
					}
					if w := c.width(string(rs), 9, false); w > maxW+0.01 {
						t.Errorf("%s: line %q is %.1f wide, more than %.0f", lang, line, w, maxW)
					}
					if strings.ContainsRune(noBreakBefore, []rune(line)[0]) {
						t.Errorf("%s: line %q starts with closing punctuation", lang, line)
					}
				}
				if got, want := squash(strings.Join(lines, "")), squash(s); got != want {
					t.Errorf("%s: wrapping at %.0f lost text:\n got %q\nwant %q", lang, maxW, got, want)
				}
			}
		}
	}
	c := &canvas{fonts: stackFor(fixtures.English, r.faces)}
	if got := c.wrap(strings.Repeat("W", 40), 50, 9, false); len(got) < 2 {
		t.Errorf("a word wider than the line was not broken: %q", got)
	}
}

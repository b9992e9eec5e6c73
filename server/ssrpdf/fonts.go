package ssrpdf

import (
	"embed"
	"fmt"

	"github.com/signintech/gopdf"
	"github.com/signintech/gopdf/fontmaker/core"
	"github.com/ssrmock/ssrmock/fixtures"
)

// fontFiles holds the font subsets that fonts/regen.sh makes from Debian's Noto packages.
//
//go:embed fonts/*.ttf
var fontFiles embed.FS

// The gopdf family names of the embedded fonts, one per file.
const (
	latinRegular = "NotoSans-Regular"
	latinBold    = "NotoSans-Bold"
	tcRegular    = "NotoSansCJKtc-Regular"
	tcBold       = "NotoSansCJKtc-Bold"
	krRegular    = "NotoSansCJKkr-Regular"
	krBold       = "NotoSansCJKkr-Bold"
)

// face is one parsed font: the advance widths of the runes it covers, for measuring text
// without a document.
type face struct {
	family string
	// pages holds the advance width in ems of every covered rune r at pages[r>>8][r&0xff],
	// and -1 for the runes of a page the font does not cover; a page of none is nil.
	// Measuring looks up every rune of every string drawn, so it is a table, not a map.
	pages []*[256]float64
}

// newFace tabulates the advance widths of a parsed font: chars maps runes to glyph
// indices, widths holds each glyph's advance in font units, upem the units per em. A glyph
// index past widths takes the last width, as TrueType's hmtx table implies.
func newFace(family string, chars map[int]uint, widths []uint, upem float64) *face {
	f := &face{family: family}
	for r, gid := range chars {
		if r < 0 || r > 0x10FFFF {
			continue
		}
		w := 0.0
		switch {
		case int(gid) < len(widths):
			w = float64(widths[gid]) / upem
		case len(widths) > 0:
			w = float64(widths[len(widths)-1]) / upem
		}
		hi := r >> 8
		for len(f.pages) <= hi {
			f.pages = append(f.pages, nil)
		}
		if f.pages[hi] == nil {
			f.pages[hi] = new([256]float64)
			for i := range f.pages[hi] {
				f.pages[hi][i] = -1
			}
		}
		f.pages[hi][r&0xff] = w
	}
	return f
}

// has reports whether the font maps r to a glyph.
func (f *face) has(r rune) bool {
	return f.advance(r) >= 0
}

// advance returns the advance width of r in ems, or -1 when the font does not cover r.
func (f *face) advance(r rune) float64 {
	hi := int(r >> 8)
	if r < 0 || hi >= len(f.pages) || f.pages[hi] == nil {
		return -1
	}
	return f.pages[hi][r&0xff]
}

// fontStack is the fonts one language draws with, in fallback order: each rune is drawn with
// the first font that covers it.
type fontStack struct {
	regular, bold []*face
}

// faces returns the stack's regular or bold fonts.
func (s fontStack) faces(bold bool) []*face {
	if bold {
		return s.bold
	}
	return s.regular
}

// loadFonts parses every embedded font once, for both measuring and embedding.
func loadFonts() (map[string]*face, *gopdf.FontContainer, error) {
	faces := map[string]*face{}
	container := &gopdf.FontContainer{}
	for _, family := range []string{latinRegular, latinBold, tcRegular, tcBold, krRegular, krBold} {
		data, err := fontFiles.ReadFile("fonts/" + family + ".ttf")
		if err != nil {
			return nil, nil, fmt.Errorf("ssrpdf: font %s: %w", family, err)
		}
		var p core.TTFParser
		if err := p.ParseFontData(data); err != nil {
			return nil, nil, fmt.Errorf("ssrpdf: parse font %s: %w", family, err)
		}
		if p.UnitsPerEm() == 0 {
			return nil, nil, fmt.Errorf("ssrpdf: font %s: no units per em", family)
		}
		faces[family] = newFace(family, p.Chars(), p.Widths(), float64(p.UnitsPerEm()))
		if err := container.AddTTFFontData(family, data); err != nil {
			return nil, nil, fmt.Errorf("ssrpdf: load font %s: %w", family, err)
		}
	}
	return faces, container, nil
}

// stackFor returns the fonts a language is drawn with: Noto Sans for Latin script, then the
// CJK face of the language for Chinese and Korean.
func stackFor(lang fixtures.Language, faces map[string]*face) fontStack {
	s := fontStack{regular: []*face{faces[latinRegular]}, bold: []*face{faces[latinBold]}}
	switch lang {
	case fixtures.Chinese:
		s.regular = append(s.regular, faces[tcRegular])
		s.bold = append(s.bold, faces[tcBold])
	case fixtures.Korean:
		s.regular = append(s.regular, faces[krRegular])
		s.bold = append(s.bold, faces[krBold])
	}
	return s
}

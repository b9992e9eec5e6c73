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

// face is one parsed font: its character map and advance widths, for measuring text
// without a document.
type face struct {
	family string
	chars  map[int]uint
	widths []uint
	upem   float64
}

// has reports whether the font maps r to a glyph.
func (f *face) has(r rune) bool {
	_, ok := f.chars[int(r)]
	return ok
}

// advance returns the advance width of r in ems; r must be covered.
func (f *face) advance(r rune) float64 {
	gid := int(f.chars[int(r)])
	if gid >= len(f.widths) {
		if len(f.widths) == 0 {
			return 0
		}
		gid = len(f.widths) - 1
	}
	return float64(f.widths[gid]) / f.upem
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
		faces[family] = &face{family: family, chars: p.Chars(), widths: p.Widths(), upem: float64(p.UnitsPerEm())}
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

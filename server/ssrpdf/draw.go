package ssrpdf

import (
	"strings"
	"unicode/utf8"

	"github.com/signintech/gopdf"
)

// rgb is a colour.
type rgb struct{ r, g, b uint8 }

// canvas draws text and shapes on a gopdf document, choosing for every rune the first font of
// the language's stack that covers it. With dry set it draws nothing and only measures, so
// that a block can be sized before it is placed.
type canvas struct {
	gp    *gopdf.GoPdf
	fonts fontStack
	dry   bool
	err   error
	// wraps, when set, keeps wrap's results across documents (the Renderer's, for the
	// language); without it wrapped keeps them for the document.
	wraps   *wrapCache
	wrapped map[wrapKey][]string
	// family, size and color are the text state last set on gp (family "" and colorSet
	// false before any), so that text sets only what changes: setting gopdf's font or text
	// colour allocates.
	family   string
	size     float64
	color    rgb
	colorSet bool
	// runBuf is the backing array of the last runs result, reused by the next.
	runBuf []run
}

// run is a stretch of text drawn with one font.
type run struct {
	f *face
	s string
}

// fail keeps the first drawing error.
func (c *canvas) fail(err error) {
	if err != nil && c.err == nil {
		c.err = err
	}
}

// runs splits s into stretches of one font each. A rune stays in the current stretch's font
// when that font covers it, so that spaces, digits and punctuation inside Chinese or Korean
// text do not split it; otherwise it takes the first font of the stack that covers it. A
// rune no font covers becomes '?'. The stretches are slices of s, or of a copy of s with
// those runes replaced; the slice of them is valid until the next call.
func (c *canvas) runs(s string, bold bool) []run {
	faces := c.fonts.faces(bold)
	s = c.covered(s, faces)
	out := c.runBuf[:0]
	var cur *face
	start := 0
	for i, r := range s {
		f := c.faceFor(faces, cur, r)
		if f != cur && i > start {
			out = append(out, run{cur, s[start:i]})
			start = i
		}
		cur = f
	}
	if len(s) > start {
		out = append(out, run{cur, s[start:]})
	}
	c.runBuf = out
	return out
}

// covered returns s with every rune no font of faces covers replaced by '?', and bytes that
// are not UTF-8 by U+FFFD (or '?').
func (c *canvas) covered(s string, faces []*face) string {
	var b []byte
	for i, r := range s {
		ok := c.faceFor(faces, nil, r) != nil
		if ok && (r != utf8.RuneError || strings.HasPrefix(s[i:], "\uFFFD")) {
			if b != nil {
				b = utf8.AppendRune(b, r)
			}
			continue
		}
		if b == nil {
			b = append(make([]byte, 0, len(s)+2), s[:i]...)
		}
		if !ok {
			r = '?'
		}
		b = utf8.AppendRune(b, r)
	}
	if b == nil {
		return s
	}
	return string(b)
}

// faceFor returns the font r is drawn with after a stretch in cur, or nil.
func (c *canvas) faceFor(faces []*face, cur *face, r rune) *face {
	if cur != nil && cur.has(r) {
		return cur
	}
	for _, f := range faces {
		if f.has(r) {
			return f
		}
	}
	return nil
}

// width returns the width of s in points at size.
func (c *canvas) width(s string, size float64, bold bool) float64 {
	faces := c.fonts.faces(bold)
	var cur *face
	w := 0.0
	for _, r := range s {
		// What faceFor and advance would answer, with one lookup for most runes.
		f, a := cur, -1.0
		if f != nil {
			a = f.advance(r)
		}
		if a < 0 {
			f = nil
			for _, g := range faces {
				if a = g.advance(r); a >= 0 {
					f = g
					break
				}
			}
			if f == nil {
				f = c.faceFor(faces, cur, '?')
				a = f.advance('?')
			}
		}
		w += a
		cur = f
	}
	return w * size
}

// fit returns the largest size not above size at which s fits in maxW, but not below 4 pt.
func (c *canvas) fit(s string, maxW, size float64, bold bool) float64 {
	w := c.width(s, size, bold)
	if w <= maxW || w == 0 {
		return size
	}
	if fitted := size * maxW / w; fitted > 4 {
		return fitted
	}
	return 4
}

// text draws s with its baseline at y, starting at x.
func (c *canvas) text(x, y float64, s string, size float64, bold bool, col rgb) {
	if c.dry || s == "" {
		return
	}
	if !c.colorSet || col != c.color {
		c.gp.SetTextColor(col.r, col.g, col.b)
		c.color, c.colorSet = col, true
	}
	for _, rn := range c.runs(s, bold) {
		c.setFont(rn.f.family, size)
		c.gp.SetXY(x, y)
		c.fail(c.gp.Text(rn.s))
		x += c.width(rn.s, size, bold)
	}
}

// setFont makes family at size gopdf's current font, setting only what changed.
func (c *canvas) setFont(family string, size float64) {
	switch {
	case family != c.family:
		c.fail(c.gp.SetFont(family, "", size))
	case size != c.size:
		c.fail(c.gp.SetFontSize(size))
	default:
		return
	}
	c.family, c.size = family, size
}

// textRight draws s ending at x.
func (c *canvas) textRight(x, y float64, s string, size float64, bold bool, col rgb) {
	c.text(x-c.width(s, size, bold), y, s, size, bold, col)
}

// textCenter draws s centred on x.
func (c *canvas) textCenter(x, y float64, s string, size float64, bold bool, col rgb) {
	c.text(x-c.width(s, size, bold)/2, y, s, size, bold, col)
}

// textFit draws s at x, shrunk so that it fits in maxW, but to no less than two thirds of
// size: what still does not fit is cut off with an ellipsis.
func (c *canvas) textFit(x, y, maxW float64, s string, size float64, bold bool, col rgb) {
	fitted := c.fit(s, maxW, size, bold)
	if least := size * 2 / 3; fitted < least {
		fitted = least
		s = c.ellipsize(s, maxW, fitted, bold)
	}
	c.text(x, y, s, fitted, bold, col)
}

// ellipsize cuts s so that it and a trailing ellipsis fit in maxW.
func (c *canvas) ellipsize(s string, maxW, size float64, bold bool) string {
	const ellipsis = "…"
	room := maxW - c.width(ellipsis, size, bold)
	w := 0.0
	for i, r := range s {
		w += c.width(string(r), size, bold)
		if w > room {
			return s[:i] + ellipsis
		}
	}
	return s
}

// leading is the line height of body text.
func leading(size float64) float64 { return size * 1.38 }

// paragraph draws s wrapped to maxW with its first line's top at y and returns its height.
func (c *canvas) paragraph(x, y, maxW float64, s string, size float64, bold bool, col rgb) float64 {
	lines := c.wrap(s, maxW, size, bold)
	for i, l := range lines {
		c.text(x, y+size+float64(i)*leading(size), l, size, bold, col)
	}
	return float64(len(lines)) * leading(size)
}

// rect fills a rectangle given by its top-left corner.
func (c *canvas) rect(x, y, w, h float64, col rgb) {
	if c.dry || w <= 0 || h <= 0 {
		return
	}
	c.gp.SetFillColor(col.r, col.g, col.b)
	c.gp.RectFromUpperLeftWithStyle(x, y, w, h, "F")
}

// roundRect fills a rectangle with rounded corners.
func (c *canvas) roundRect(x, y, w, h, radius float64, col rgb) {
	if c.dry || w <= 0 || h <= 0 {
		return
	}
	if radius > h/2 {
		radius = h / 2
	}
	c.gp.SetFillColor(col.r, col.g, col.b)
	c.fail(c.gp.Rectangle(x, y, x+w, y+h, "F", radius, 2))
}

// line strokes a line.
func (c *canvas) line(x1, y1, x2, y2, width float64, col rgb) {
	if c.dry {
		return
	}
	c.gp.SetLineWidth(width)
	c.gp.SetStrokeColor(col.r, col.g, col.b)
	c.gp.Line(x1, y1, x2, y2)
}

// triangle fills a triangle.
func (c *canvas) triangle(x1, y1, x2, y2, x3, y3 float64, col rgb) {
	if c.dry {
		return
	}
	c.gp.SetFillColor(col.r, col.g, col.b)
	c.gp.SetStrokeColor(col.r, col.g, col.b)
	c.gp.SetLineWidth(0.1)
	c.gp.Polygon([]gopdf.Point{{X: x1, Y: y1}, {X: x2, Y: y2}, {X: x3, Y: y3}}, "F")
}

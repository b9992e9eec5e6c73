package gopdf

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
)

// ssrmock patch: content streams formatted with strconv. The operators of a page were written
// one fmt.Fprintf at a time, most of them straight into the zlib writer; formatting them was
// the largest cost of writing a page once compressors were pooled. The writers below append
// the same text to the spare room of the page's buffer (ContentObj.write now formats the page
// into a buffer and compresses it in one go).

// contentScratch returns room to append an operator to before writing it to w: the unused
// capacity of w when it is a *bytes.Buffer, else nil (append then allocates).
func contentScratch(w io.Writer) []byte {
	if b, ok := w.(*bytes.Buffer); ok {
		return b.AvailableBuffer()
	}
	return nil
}

// appendFixed appends f with prec decimals, as fmt's %.<prec>f prints it.
func appendFixed(b []byte, f float64, prec int) []byte {
	if prec == 2 {
		if n, ok := hundredths(f); ok {
			if math.Signbit(f) {
				b = append(b, '-')
			}
			b = strconv.AppendInt(b, n/100, 10)
			return append(b, '.', byte('0'+n/10%10), byte('0'+n%10))
		}
	}
	return strconv.AppendFloat(b, f, 'f', prec, 64)
}

// hundredths returns |f| in hundredths, rounded as strconv rounds the exact binary value,
// when that can be had from |f|*100 in floating point: |f| below a million, so that the
// product is within 1e-8 of exact, and its fraction not within 1e-7 of one half, where the
// product's error could decide the rounding (and where exact ties round to even). Otherwise
// it returns false and appendFixed asks strconv.
func hundredths(f float64) (int64, bool) {
	a := math.Abs(f)
	if !(a < 1e6) { // also NaN
		return 0, false
	}
	x := a * 100
	fl := math.Floor(x)
	if frac := x - fl; frac > 0.5-1e-7 && frac < 0.5+1e-7 {
		return 0, false
	}
	return int64(math.Round(x)), true
}

// appendColorComponent appends c/255 with three decimals, as fmt's %.3f prints it.
func appendColorComponent(b []byte, c uint8) []byte {
	return append(b, colorComponents[c]...)
}

// colorComponents holds appendColorComponent's text for every value.
var colorComponents = func() (t [256]string) {
	for i := range t {
		t[i] = strconv.FormatFloat(float64(i)/255, 'f', 3, 64)
	}
	return t
}()

// appendFloatTrim appends f as FormatFloatTrim formats it.
func appendFloatTrim(b []byte, f float64) []byte {
	return strconv.AppendFloat(b, math.Round(1000*f)/1000, 'f', -1, 64)
}

// appendGlyphHex appends g as fmt's %04X prints it.
func appendGlyphHex(b []byte, g uint) []byte {
	if g > 0xFFFF {
		return fmt.Appendf(b, "%04X", g)
	}
	const hex = "0123456789ABCDEF"
	return append(b, hex[g>>12&0xF], hex[g>>8&0xF], hex[g>>4&0xF], hex[g&0xF])
}

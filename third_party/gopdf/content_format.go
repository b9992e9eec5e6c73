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
	return strconv.AppendFloat(b, f, 'f', prec, 64)
}

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

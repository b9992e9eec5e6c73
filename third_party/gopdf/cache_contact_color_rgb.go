package gopdf

import (
	"io"
)

const colorTypeStrokeRGB = "RG"

const colorTypeFillRGB = "rg"

type cacheContentColorRGB struct {
	colorType string
	r, g, b   uint8
}

func (c *cacheContentColorRGB) write(w io.Writer, protection *PDFProtection) error {
	// ssrmock patch: content streams formatted with strconv (content_format.go).
	b := contentScratch(w)
	b = appendColorComponent(b, c.r)
	b = append(b, ' ')
	b = appendColorComponent(b, c.g)
	b = append(b, ' ')
	b = appendColorComponent(b, c.b)
	b = append(b, ' ')
	b = append(b, c.colorType...)
	b = append(b, '\n')
	w.Write(b)
	return nil
}

package gopdf

import (
	"io"
)

type cacheContentTextColorRGB struct {
	r, g, b uint8
}

func (c cacheContentTextColorRGB) write(w io.Writer, protection *PDFProtection) error {
	// ssrmock patch: content streams formatted with strconv (content_format.go).
	b := contentScratch(w)
	b = appendColorComponent(b, c.r)
	b = append(b, ' ')
	b = appendColorComponent(b, c.g)
	b = append(b, ' ')
	b = appendColorComponent(b, c.b)
	b = append(b, ' ')
	b = append(b, colorTypeFillRGB...)
	b = append(b, '\n')
	w.Write(b)
	return nil
}

func (c cacheContentTextColorRGB) equal(obj ICacheColorText) bool {
	rgb, ok := obj.(cacheContentTextColorRGB)
	if !ok {
		return false
	}

	return c.r == rgb.r && c.g == rgb.g && c.b == rgb.b
}

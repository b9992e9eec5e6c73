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
	b = appendFixed(b, float64(c.r)/255, 3)
	b = append(b, ' ')
	b = appendFixed(b, float64(c.g)/255, 3)
	b = append(b, ' ')
	b = appendFixed(b, float64(c.b)/255, 3)
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

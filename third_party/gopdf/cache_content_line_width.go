package gopdf

import (
	"io"
)

type cacheContentLineWidth struct {
	width float64
}

func (c *cacheContentLineWidth) write(w io.Writer, protection *PDFProtection) error {
	// ssrmock patch: content streams formatted with strconv (content_format.go).
	b := contentScratch(w)
	b = appendFixed(b, c.width, 2)
	b = append(b, " w\n"...)
	w.Write(b)
	return nil
}

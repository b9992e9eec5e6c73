package gopdf

import (
	"fmt"
	"io"
)

type cacheContentLine struct {
	pageHeight float64
	x1         float64
	y1         float64
	x2         float64
	y2         float64
	opts       lineOptions
}

func (c *cacheContentLine) write(w io.Writer, protection *PDFProtection) error {
	fmt.Fprintf(w, "q\n")
	for _, extGStateIndex := range c.opts.extGStateIndexes {
		fmt.Fprintf(w, "/GS%d gs\n", extGStateIndex)
	}
	// ssrmock patch: content streams formatted with strconv (content_format.go).
	b := contentScratch(w)
	b = appendFixed(b, c.x1, 2)
	b = append(b, ' ')
	b = appendFixed(b, c.pageHeight-c.y1, 2)
	b = append(b, " m "...)
	b = appendFixed(b, c.x2, 2)
	b = append(b, ' ')
	b = appendFixed(b, c.pageHeight-c.y2, 2)
	b = append(b, " l S\nQ\n"...)
	w.Write(b)
	return nil
}

package gopdf

import (
	"fmt"
	"io"
)

type cacheContentPolygon struct {
	pageHeight float64
	style      string
	points     []Point
	opts       polygonOptions
}

func (c *cacheContentPolygon) write(w io.Writer, protection *PDFProtection) error {

	fmt.Fprintf(w, "q\n")
	for _, extGStateIndex := range c.opts.extGStateIndexes {
		fmt.Fprintf(w, "/GS%d gs\n", extGStateIndex)
	}

	// ssrmock patch: content streams formatted with strconv (content_format.go).
	b := contentScratch(w)
	for i, point := range c.points {
		b = appendFixed(b, point.X, 2)
		b = append(b, ' ')
		b = appendFixed(b, c.pageHeight-point.Y, 2)
		if i == 0 {
			b = append(b, " m "...)
		} else {
			b = append(b, " l "...)
		}

	}
	w.Write(b)

	if c.style == "F" {
		fmt.Fprintf(w, " f\n")
	} else if c.style == "FD" || c.style == "DF" {
		fmt.Fprintf(w, " b\n")
	} else {
		fmt.Fprintf(w, " s\n")
	}

	fmt.Fprintf(w, "Q\n")
	return nil
}

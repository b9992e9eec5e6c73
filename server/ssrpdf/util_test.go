package ssrpdf

import (
	"encoding/hex"
	"strconv"
	"strings"
	"unicode"
)

// squash removes white space, which text extraction inserts between runs and lines.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func fmtInt(i int) string   { return strconv.Itoa(i) }
func hexOf(b []byte) string { return hex.EncodeToString(b) }

package server

import "strings"

// issuedShape reports whether a path segment has the shape of a value the server issues, which
// redactPath keeps: digits (SSIDs, CDS codes), a sandbox or fault ID, a report or listing ID
// with an optional format suffix, or one of the web UI's file names. It is the pattern
//
//	^(\d+|sbx-[a-z0-9]+|flt-[a-z0-9]+|\d{10}-\d{4}-[a-z0-9-]+(\.[A-Za-z-]+)?|[a-z0-9_-]+\.(js|css|html|svg|png|ico|json|webmanifest|txt))$
//
// written out, because every journaled request checks each segment of its path
// (TestIssuedShapeIsThePattern holds the two equal).
func issuedShape(seg string) bool {
	if allDigits(seg) {
		return true
	}
	if id, ok := strings.CutPrefix(seg, "sbx-"); ok && allOf(id, lowerAlnum) {
		return true
	}
	if id, ok := strings.CutPrefix(seg, "flt-"); ok && allOf(id, lowerAlnum) {
		return true
	}
	return reportIDShape(seg) || webFileShape(seg)
}

// reportIDShape: ten digits, a dash, four digits, a dash, lower-case letters, digits and
// dashes, then optionally a dot and a suffix of letters and dashes.
func reportIDShape(seg string) bool {
	if len(seg) < 17 || !allDigits(seg[:10]) || seg[10] != '-' || !allDigits(seg[11:15]) || seg[15] != '-' {
		return false
	}
	id, suffix, dotted := strings.Cut(seg[16:], ".")
	return allOf(id, func(c byte) bool { return lowerAlnum(c) || c == '-' }) &&
		(!dotted || allOf(suffix, func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' }))
}

// webFileShape: a name of lower-case letters, digits, underscores and dashes with one of the
// web UI's extensions.
func webFileShape(seg string) bool {
	name, ext, dotted := strings.Cut(seg, ".")
	if !dotted || !allOf(name, func(c byte) bool { return lowerAlnum(c) || c == '_' || c == '-' }) {
		return false
	}
	switch ext {
	case "js", "css", "html", "svg", "png", "ico", "json", "webmanifest", "txt":
		return true
	}
	return false
}

// allOf reports whether s is not empty and every byte of it satisfies ok.
func allOf(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return s != ""
}

// allDigits reports whether s is digits only, as SSIDs and CDS codes are.
func allDigits(s string) bool { return allOf(s, digit) }

// digit reports whether c is an ASCII digit.
func digit(c byte) bool { return c >= '0' && c <= '9' }

// lowerAlnum reports whether c is a lower-case ASCII letter or a digit.
func lowerAlnum(c byte) bool { return c >= 'a' && c <= 'z' || digit(c) }

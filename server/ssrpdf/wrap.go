package ssrpdf

import (
	"strings"
	"sync"
)

// token is an unbreakable piece of text; space says whether a space comes before it.
type token struct {
	s     string
	space bool
}

// breaksAround reports whether a line may break before and after r without a space:
// ideographs, kana and CJK punctuation.
func breaksAround(r rune) bool {
	switch {
	case r >= 0x2E80 && r <= 0x30FF, // radicals, CJK punctuation, kana
		r >= 0x3400 && r <= 0x4DBF,
		r >= 0x4E00 && r <= 0x9FFF,
		r >= 0xF900 && r <= 0xFAFF,
		r >= 0xFF00 && r <= 0xFFEF:
		return true
	}
	return false
}

// noBreakBefore lists punctuation that must not start a line.
const noBreakBefore = "，。、；：！？）」』〉》.,;:!?)"

// tokenize splits s into the pieces a line may break between.
func tokenize(s string) []token {
	var out []token
	var b strings.Builder
	space := false
	flush := func() {
		if b.Len() > 0 {
			out = append(out, token{b.String(), space})
			b.Reset()
			space = false
		}
	}
	for _, r := range s {
		switch {
		case r == ' ' || r == '\n' || r == '\t':
			flush()
			space = len(out) > 0
		case strings.ContainsRune(noBreakBefore, r) && b.Len() == 0 && len(out) > 0 && !space:
			out[len(out)-1].s += string(r)
		case breaksAround(r) && !strings.ContainsRune(noBreakBefore, r):
			flush()
			b.WriteRune(r)
			flush()
		default:
			b.WriteRune(r)
		}
	}
	flush()
	return out
}

// wrap breaks s into lines no wider than maxW. A piece wider than a whole line is broken
// between runes, leaving closing punctuation hanging past the end of the line.
// The lines returned are shared: callers must not change them.
func (c *canvas) wrap(s string, maxW, size float64, bold bool) []string {
	key := wrapKey{s, maxW, size, bold}
	if c.wraps != nil {
		return c.wraps.wrap(key, c.wrapNew)
	}
	if lines, ok := c.wrapped[key]; ok {
		return lines
	}
	lines := c.wrapNew(s, maxW, size, bold)
	if c.wrapped == nil {
		c.wrapped = map[wrapKey][]string{}
	}
	c.wrapped[key] = lines
	return lines
}

// wrapKey identifies one wrapping of a text, which blocks measured dry ask for again when
// they draw.
type wrapKey struct {
	s          string
	maxW, size float64
	bold       bool
}

// wrapCache keeps the line breaks of one language's fonts across reports: most wrapped text
// is label text, the same in every report. It holds up to wrapCacheEntries wrappings and is
// emptied when full. It is safe for concurrent use.
type wrapCache struct {
	mu    sync.Mutex
	lines map[wrapKey][]string
}

// wrapCacheEntries bounds a wrapCache. Wrapped text is label text: in 4,100 reports of the
// 2018-19 county world a language had at most 81 wrappings, of 27 KB.
const wrapCacheEntries = 1024

// wrap returns the wrapping of key, made by wrapNew when the cache has none.
func (w *wrapCache) wrap(key wrapKey, wrapNew func(s string, maxW, size float64, bold bool) []string) []string {
	w.mu.Lock()
	lines, ok := w.lines[key]
	w.mu.Unlock()
	if ok {
		return lines
	}
	lines = wrapNew(key.s, key.maxW, key.size, key.bold)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.lines == nil || len(w.lines) >= wrapCacheEntries {
		w.lines = map[wrapKey][]string{}
	}
	w.lines[key] = lines
	return lines
}

// wrapNew wraps s without the cache.
func (c *canvas) wrapNew(s string, maxW, size float64, bold bool) []string {
	var lines []string
	var line strings.Builder
	lineW := 0.0
	spaceW := c.width(" ", size, bold)
	emit := func() {
		if line.Len() > 0 {
			lines = append(lines, line.String())
			line.Reset()
			lineW = 0
		}
	}
	for _, t := range tokenize(s) {
		w := c.width(t.s, size, bold)
		gap := 0.0
		if t.space && line.Len() > 0 {
			gap = spaceW
		}
		if line.Len() > 0 && lineW+gap+w > maxW {
			emit()
			gap = 0
		}
		if line.Len() == 0 && w > maxW {
			for _, r := range t.s {
				rw := c.width(string(r), size, bold)
				if line.Len() > 0 && lineW+rw > maxW && !strings.ContainsRune(noBreakBefore, r) {
					emit()
				}
				line.WriteRune(r)
				lineW += rw
			}
			continue
		}
		if gap > 0 {
			line.WriteByte(' ')
		}
		line.WriteString(t.s)
		lineW += gap + w
	}
	emit()
	return lines
}

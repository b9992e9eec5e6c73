package gopdf

import (
	"encoding/binary"
	"sort"
	"sync"
)

// ssrmock patch: cached font file streams. Subsetting a font and compressing the subset was
// most of the cost of writing a small document, and documents drawn from the same font with
// the same glyphs embed the very same stream. A FontStreamCache, set in Config, keeps those
// streams across documents.

// FontStreamCache keeps the compressed font file streams (FontFile2) of subset TrueType fonts,
// keyed by the font's data and the glyphs a document uses, so that documents sharing both
// embed the stream without subsetting and compressing again. The bytes written are the same as
// without the cache. It holds at most its byte bound of streams: when a new stream would
// pass it, the cache is emptied first. Encrypted documents do not use it. A FontStreamCache is
// safe for concurrent use; its zero value is not usable, make one with NewFontStreamCache.
type FontStreamCache struct {
	mu       sync.Mutex
	maxBytes int
	size     int
	streams  map[fontStreamKey]fontStream
}

// fontStreamKey identifies a subset: the font's data (by its first byte's address and its
// length, the font being parsed once and shared) and its sorted glyph indices.
type fontStreamKey struct {
	font   *byte
	n      int
	glyphs string
}

// fontStream is a compressed subset and its length before compression.
type fontStream struct {
	data []byte
	n    int
}

// NewFontStreamCache returns a cache holding up to maxBytes of compressed streams.
func NewFontStreamCache(maxBytes int) *FontStreamCache {
	return &FontStreamCache{maxBytes: maxBytes, streams: map[fontStreamKey]fontStream{}}
}

// Len returns the number of streams the cache holds.
func (c *FontStreamCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.streams)
}

// Size returns the bytes of compressed streams the cache holds.
func (c *FontStreamCache) Size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

// subsetKey returns the cache key of a font subset, or false when it has no font data.
func subsetKey(s *SubsetFontObj) (fontStreamKey, bool) {
	data := s.ttfp.FontData()
	if len(data) == 0 {
		return fontStreamKey{}, false
	}
	vals := s.CharacterToGlyphIndex.AllVals()
	glyphs := make([]uint, len(vals))
	copy(glyphs, vals)
	sort.Slice(glyphs, func(i, j int) bool { return glyphs[i] < glyphs[j] })
	b := make([]byte, 0, 3*len(glyphs))
	for i, g := range glyphs {
		if i > 0 && g == glyphs[i-1] {
			continue
		}
		b = binary.AppendUvarint(b, uint64(g))
	}
	return fontStreamKey{font: &data[0], n: len(data), glyphs: string(b)}, true
}

// get returns the stream stored under k.
func (c *FontStreamCache) get(k fontStreamKey) (fontStream, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.streams[k]
	return s, ok
}

// put stores a stream under k; data must not be changed afterwards.
func (c *FontStreamCache) put(k fontStreamKey, s fontStream) {
	if len(s.data) > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.streams[k]; ok {
		return
	}
	if c.size+len(s.data) > c.maxBytes {
		c.streams = map[fontStreamKey]fontStream{}
		c.size = 0
	}
	c.streams[k] = s
	c.size += len(s.data)
}

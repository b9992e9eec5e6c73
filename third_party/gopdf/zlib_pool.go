package gopdf

import (
	"compress/zlib"
	"io"
	"sync"
)

// ssrmock patch: pooled compressors. A zlib writer allocates about 800 KB of window and hash
// tables; making one per stream dominated the cost of writing a small document. Writers are
// kept per compression level and Reset before reuse, which the compress/zlib documentation
// states is equivalent to a new writer, so the output is byte for byte the same.

// zlibPools holds idle writers, indexed by compression level + 2 (zlib.HuffmanOnly is -2).
var zlibPools [zlib.BestCompression + 3]sync.Pool

// getZlibWriter returns a zlib writer at level, writing to w.
func getZlibWriter(w io.Writer, level int) (*zlib.Writer, error) {
	if level < zlib.HuffmanOnly || level > zlib.BestCompression {
		return zlib.NewWriterLevel(w, level) // reports the invalid level
	}
	if zw, ok := zlibPools[level+2].Get().(*zlib.Writer); ok {
		zw.Reset(w)
		return zw, nil
	}
	return zlib.NewWriterLevel(w, level)
}

// putZlibWriter gives back a writer from getZlibWriter at level, once it is closed.
func putZlibWriter(zw *zlib.Writer, level int) {
	if level < zlib.HuffmanOnly || level > zlib.BestCompression {
		return
	}
	zlibPools[level+2].Put(zw)
}

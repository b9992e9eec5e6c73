package gopdf

import (
	"compress/zlib"
	"io"
)

// ssrmock patch: pooled compressors. A zlib writer allocates about 800 KB of window and hash
// tables; making one per stream dominated the cost of writing a small document. Idle writers
// are kept, a few per compression level, and Reset before reuse, which the compress/zlib
// documentation states is equivalent to a new writer, so the output is byte for byte the
// same. A bounded free list rather than a sync.Pool: a pool is emptied by every garbage
// collection and keeps one writer per processor out of reach of the others, and either way
// a miss costs a new 800 KB writer.

// zlibIdle is how many idle writers are kept per compression level.
const zlibIdle = 4

// zlibFree holds idle writers, indexed by compression level + 2 (zlib.HuffmanOnly is -2).
var zlibFree = func() (free [zlib.BestCompression + 3]chan *zlib.Writer) {
	for i := range free {
		free[i] = make(chan *zlib.Writer, zlibIdle)
	}
	return free
}()

// getZlibWriter returns a zlib writer at level, writing to w.
func getZlibWriter(w io.Writer, level int) (*zlib.Writer, error) {
	if level < zlib.HuffmanOnly || level > zlib.BestCompression {
		return zlib.NewWriterLevel(w, level) // reports the invalid level
	}
	select {
	case zw := <-zlibFree[level+2]:
		zw.Reset(w)
		return zw, nil
	default:
		return zlib.NewWriterLevel(w, level)
	}
}

// putZlibWriter gives back a writer from getZlibWriter at level, once it is closed.
func putZlibWriter(zw *zlib.Writer, level int) {
	if level < zlib.HuffmanOnly || level > zlib.BestCompression {
		return
	}
	zw.Reset(io.Discard) // let go of the destination
	select {
	case zlibFree[level+2] <- zw:
	default:
	}
}

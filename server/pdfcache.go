package server

import (
	"container/list"
	"sync"
	"time"

	"github.com/ssrmock/ssrmock/fixtures"
)

// pdfKey names one rendered report. Worlds are shared between sandboxes of the same seed,
// scenario and scale, and so are their rendered reports. A manual transfer can change where
// a later test was taken, and so what its report prints: moved tells those versions apart.
type pdfKey struct {
	world    *fixtures.World
	reportID string
	lang     fixtures.Language
	version  int
	moved    time.Time
	// format is "" for the PDF, else the format's name ("html").
	format string
}

// pdfCache is a least-recently-used cache of rendered reports, bounded in bytes.
type pdfCache struct {
	mu      sync.Mutex
	limit   int
	size    int
	order   *list.List // of *pdfEntry, most recent first
	entries map[pdfKey]*list.Element
}

type pdfEntry struct {
	key pdfKey
	pdf renderedPDF
}

func newPDFCache(limit int) *pdfCache {
	return &pdfCache{limit: limit, order: list.New(), entries: make(map[pdfKey]*list.Element)}
}

func (c *pdfCache) get(k pdfKey) (renderedPDF, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok {
		return renderedPDF{}, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*pdfEntry).pdf, true
}

func (c *pdfCache) put(k pdfKey, p renderedPDF) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[k]; ok || len(p.bytes) > c.limit {
		return
	}
	c.entries[k] = c.order.PushFront(&pdfEntry{key: k, pdf: p})
	c.size += len(p.bytes)
	for c.size > c.limit {
		last := c.order.Back()
		e := last.Value.(*pdfEntry)
		c.order.Remove(last)
		delete(c.entries, e.key)
		c.size -= len(e.pdf.bytes)
	}
}

func (c *pdfCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	clear(c.entries)
	c.size = 0
}

// bytes returns the size of the cached PDFs.
func (c *pdfCache) bytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

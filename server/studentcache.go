package server

import (
	"sync"

	"github.com/ssrmock/ssrmock/fixtures"
)

// studentCache keeps recently rebuilt students and their reports. Worlds are immutable, so an
// entry never goes stale; sandboxes apply their own changes on top. It is bounded: when full
// it starts over, which is cheap because any entry can be rebuilt.
type studentCache struct {
	mu    sync.RWMutex
	limit int
	m     map[studentKey]*cachedStudent
}

type studentKey struct {
	world *fixtures.World
	ssid  string
}

// cachedStudent is one student of a world with the world's reports of it.
type cachedStudent struct {
	student fixtures.Student
	reports []fixtures.Report
}

// studentCacheSize is how many students a server keeps rebuilt: a county's worth of a
// vendor's recent lookups and the fetches of their reports. An entry is about 2 KiB, so the
// bound is a few MiB; a vendor lists a student and then fetches its reports, which a few
// thousand recent students cover (measured with BenchmarkMixedLoad: 8192 kept about 17 MiB
// live under a county load and pushed its peak resident memory past 100 MiB).
const studentCacheSize = 2048

func newStudentCache(limit int) *studentCache {
	return &studentCache{limit: limit, m: make(map[studentKey]*cachedStudent)}
}

// get returns ssid's student and reports in w, rebuilding them on a miss.
func (c *studentCache) get(w *fixtures.World, ssid string) (*cachedStudent, bool) {
	k := studentKey{w, ssid}
	c.mu.RLock()
	e := c.m[k]
	c.mu.RUnlock()
	if e != nil {
		return e, true
	}
	st, ok := w.StudentBySSID(ssid)
	if !ok {
		return nil, false
	}
	e = &cachedStudent{student: st, reports: w.Reports(st)}
	c.mu.Lock()
	if len(c.m) >= c.limit {
		clear(c.m)
	}
	c.m[k] = e
	c.mu.Unlock()
	return e, true
}

package refvendor

import (
	"time"

	"github.com/ssrmock/ssrmock/conformance/driver"
)

// The careful vendor keeps no report listing: links live 30 minutes and reports are released,
// amended and hidden (transfers) at any time, so every page view lists afresh. What follows is
// what the faulty vendors remember instead.

// memory holds the faulty caches; it is guarded by Vendor.mu.
type memory struct {
	lists    map[string]cachedList      // expired-links: by LEA/SSID; mixes-up-students: by LEA
	catalog  map[string]map[string]bool // caches-report-list: report ids first listed, by LEA/SSID
	first    map[string]apiReport       // shows-superseded-report: first version seen, by report
	lastGood map[string][]apiReport     // keeps-transferred-student: last listing, by LEA/SSID
}

type cachedList struct {
	reports []apiReport
	at      time.Time
}

// How long the faulty caches keep a listing, on the vendor's clock.
const (
	dayCache   = 24 * time.Hour
	shortCache = 10 * time.Minute
)

func studentKey(lea, ssid string) string { return lea + "/" + ssid }

// reportKey names a report across its versions.
func reportKey(lea, ssid string, r apiReport) string {
	return studentKey(lea, ssid) + "/" + r.Program + "/" + r.Assessment + "/" + r.SchoolYear + "/" + r.Language + "/" + r.Format
}

// recall returns a cached listing, for the faults that keep one.
func (v *Vendor) recall(lea, ssid string) ([]apiReport, bool, *driver.View) {
	v.mu.Lock()
	defer v.mu.Unlock()
	var key string
	var ttl time.Duration
	switch {
	case v.has(FaultExpiredLinks):
		key, ttl = studentKey(lea, ssid), dayCache
	case v.has(FaultMixesUpStudents):
		key, ttl = lea, shortCache
	default:
		return nil, false, nil
	}
	c, ok := v.mem.lists[key]
	if !ok || !v.now.Before(c.at.Add(ttl)) {
		return nil, false, nil
	}
	return append([]apiReport(nil), c.reports...), true, nil
}

// remember notes a fresh listing in the faulty caches.
func (v *Vendor) remember(lea, ssid string, reports []apiReport) {
	v.mu.Lock()
	defer v.mu.Unlock()
	key := studentKey(lea, ssid)
	keep := append([]apiReport(nil), reports...)
	switch {
	case v.has(FaultExpiredLinks):
		put(&v.mem.lists, key, cachedList{keep, v.now})
	case v.has(FaultMixesUpStudents):
		put(&v.mem.lists, lea, cachedList{keep, v.now})
	case v.has(FaultKeepsTransferred):
		put(&v.mem.lastGood, key, keep)
	case v.has(FaultCachesReportList):
		if _, ok := v.mem.catalog[key]; !ok {
			ids := map[string]bool{}
			for _, r := range reports {
				ids[r.ID] = true
			}
			put(&v.mem.catalog, key, ids)
		}
	case v.has(FaultShowsSuperseded):
		for _, r := range reports {
			if _, ok := v.mem.first[reportKey(lea, ssid, r)]; !ok {
				put(&v.mem.first, reportKey(lea, ssid, r), r)
			}
		}
	}
}

// forgotten returns the listing a faulty vendor shows when the service no longer knows the
// student at this LEA.
func (v *Vendor) forgotten(lea, ssid string, fail *driver.View) ([]apiReport, bool) {
	if !v.has(FaultKeepsTransferred) || fail.Outcome != driver.NotFound {
		return nil, false
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	r, ok := v.mem.lastGood[studentKey(lea, ssid)]
	return append([]apiReport(nil), r...), ok
}

// adjust applies the faults that change a listing before it is shown. Reports replaced by an
// older copy are marked recalled.
func (v *Vendor) adjust(lea, ssid string, reports []apiReport) []apiReport {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := reports[:0:0]
	for _, r := range reports {
		switch {
		case v.has(FaultCachesReportList):
			if ids := v.mem.catalog[studentKey(lea, ssid)]; ids != nil && !ids[r.ID] {
				continue
			}
		case v.has(FaultShowsSuperseded):
			if old, ok := v.mem.first[reportKey(lea, ssid, r)]; ok && old.Version != r.Version {
				old.recalled = true
				r = old
			}
		case v.has(FaultDropsTranslation):
			if r.Language != "en" {
				continue
			}
		case v.has(FaultPDFOnly):
			if r.Format != "" && r.Format != "pdf" {
				continue
			}
		}
		out = append(out, r)
	}
	return out
}

// rememberBytes keeps the digest of a report's first version, for shows-superseded-report.
func (v *Vendor) rememberBytes(lea, ssid string, r apiReport) {
	if !v.has(FaultShowsSuperseded) {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	k := reportKey(lea, ssid, r)
	if old, ok := v.mem.first[k]; ok && old.Version == r.Version && old.sha256 == "" {
		old.sha256 = r.sha256
		v.mem.first[k] = old
	}
}

// put sets m[k] = val, making the map if needed.
func put[V any](m *map[string]V, k string, val V) {
	if *m == nil {
		*m = map[string]V{}
	}
	(*m)[k] = val
}

package refvendor

import (
	"fmt"
	"sort"
	"time"

	"github.com/ssrmock/ssrmock/conformance/driver"
)

// The careful vendor keeps no report listing: links live 30 minutes and reports are released,
// amended and hidden (transfers) at any time, so every page view lists afresh. What follows is
// what the faulty vendors remember instead.

// memory holds the faulty caches; it is guarded by Vendor.mu.
type memory struct {
	// lists: expired-links, caches-empty-list, reuses-listing: by LEA/SSID; mixes-up-students: by LEA.
	lists    map[string]cachedList
	catalog  map[string]map[string]bool      // caches-report-list: report ids first listed, by LEA/SSID
	first    map[string]apiReport            // shows-superseded-report: first version seen, by report
	lastGood map[string][]apiReport          // keeps-transferred-student: last listing, by LEA/SSID
	notFound map[string]time.Time            // caches-not-found: when the service said so, by LEA/SSID
	archive  map[string]map[string]apiReport // accumulates-reports: every version listed, by LEA/SSID
	pdfs     map[string]string               // caches-pdf-by-id: sha256 by LEA/report id
}

// cachedList is a listing a faulty vendor keeps until until.
type cachedList struct {
	reports []apiReport
	until   time.Time
}

// How long the faulty caches keep a listing, on the vendor's clock.
const (
	dayCache   = 24 * time.Hour
	hourCache  = time.Hour
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
	key := studentKey(lea, ssid)
	switch {
	case v.has(FaultMixesUpStudents):
		key = lea
	case v.has(FaultExpiredLinks), v.has(FaultCachesEmptyList), v.has(FaultReusesListing):
	default:
		return nil, false, nil
	}
	c, ok := v.mem.lists[key]
	if !ok || !v.now.Before(c.until) {
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
		put(&v.mem.lists, key, cachedList{keep, v.now.Add(dayCache)})
	case v.has(FaultMixesUpStudents):
		put(&v.mem.lists, lea, cachedList{keep, v.now.Add(shortCache)})
	case v.has(FaultCachesEmptyList):
		if len(reports) == 0 {
			put(&v.mem.lists, key, cachedList{keep, v.now.Add(hourCache)})
		}
	case v.has(FaultReusesListing):
		if until, ok := linksUntil(reports); ok {
			put(&v.mem.lists, key, cachedList{keep, until.Add(-linkMargin)})
		}
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

// linksUntil is when the first link of a listing expires; false for a listing without links.
func linksUntil(reports []apiReport) (time.Time, bool) {
	var first time.Time
	for _, r := range reports {
		if first.IsZero() || r.URLExpiresAt.Before(first) {
			first = r.URLExpiresAt
		}
	}
	return first, !first.IsZero()
}

// recallNotFound returns the "not found" page caches-not-found remembers.
func (v *Vendor) recallNotFound(lea, ssid string) (driver.View, bool) {
	if !v.has(FaultCachesNotFound) {
		return driver.View{}, false
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	at, ok := v.mem.notFound[studentKey(lea, ssid)]
	if !ok || !v.now.Before(at.Add(dayCache)) {
		return driver.View{}, false
	}
	return driver.View{Outcome: driver.NotFound, Reports: []driver.ViewReport{},
		Message: "No score reports are available for this student at this LEA."}, true
}

// rememberNotFound notes a student_not_found for caches-not-found.
func (v *Vendor) rememberNotFound(lea, ssid string, fail *driver.View) {
	if !v.has(FaultCachesNotFound) || fail.Outcome != driver.NotFound {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	put(&v.mem.notFound, studentKey(lea, ssid), v.now)
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
	reports = v.accumulate(studentKey(lea, ssid), reports)
	latest := latestYears(reports)
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
		case v.has(FaultDropsTranslation) && r.Language != "en",
			v.has(FaultSpanishOnly) && r.Language != "en" && r.Language != "es",
			v.has(FaultNoKorean) && r.Language == "ko",
			v.has(FaultDropsAlternate) && (r.Assessment == "caa" || r.Assessment == "alternate-elpac"),
			v.has(FaultDropsInitialELPAC) && r.Assessment == "initial-elpac",
			v.has(FaultPrimaryLanguageOnly) && r.Language == "en" && translated(reports, r),
			v.has(FaultLatestYearOnly) && r.SchoolYear != latest[r.Assessment+"/"+r.Language]:
			continue
		case v.has(FaultPDFOnly) && r.Format != "" && r.Format != "pdf":
			continue
		}
		out = append(out, r)
	}
	return out
}

// accumulate is accumulates-reports' archive: every version of every report listed for the
// student so far, the fresh listing first. The caller holds v.mu.
func (v *Vendor) accumulate(key string, reports []apiReport) []apiReport {
	if !v.has(FaultAccumulatesReports) {
		return reports
	}
	arch := v.mem.archive[key]
	if arch == nil {
		arch = map[string]apiReport{}
		put(&v.mem.archive, key, arch)
	}
	fresh := map[string]bool{}
	out := append([]apiReport(nil), reports...)
	for _, r := range reports {
		k := fmt.Sprintf("%s@%d", r.ID, r.Version)
		fresh[k] = true
		arch[k] = r
	}
	keys := make([]string, 0, len(arch))
	for k := range arch {
		if !fresh[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		old := arch[k]
		old.recalled = true
		out = append(out, old)
	}
	return out
}

// translated reports whether reports hold a translation of English report r.
func translated(reports []apiReport, r apiReport) bool {
	for _, o := range reports {
		if o.Language != "en" && o.Assessment == r.Assessment && o.SchoolYear == r.SchoolYear && o.Program == r.Program {
			return true
		}
	}
	return false
}

// latestYears is the latest school year listed of each assessment and language.
func latestYears(reports []apiReport) map[string]string {
	out := map[string]string{}
	for _, r := range reports {
		if k := r.Assessment + "/" + r.Language; r.SchoolYear > out[k] {
			out[k] = r.SchoolYear
		}
	}
	return out
}

// recallPDF returns the digest caches-pdf-by-id keeps for report id, whatever its version.
func (v *Vendor) recallPDF(lea string, r apiReport) (string, bool) {
	if !v.has(FaultCachesPDFByID) {
		return "", false
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	sum, ok := v.mem.pdfs[lea+"/"+r.ID]
	return sum, ok
}

// rememberPDF notes a downloaded digest for caches-pdf-by-id.
func (v *Vendor) rememberPDF(lea string, r apiReport, sum string) {
	if !v.has(FaultCachesPDFByID) {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	put(&v.mem.pdfs, lea+"/"+r.ID, sum)
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

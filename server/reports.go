package server

import (
	"crypto/sha256"
	"encoding/hex"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ssrmock/ssrmock/fixtures"
	"github.com/ssrmock/ssrmock/server/ssrpdf"
	"github.com/ssrmock/ssrmock/server/store"
)

// studentView is a student as the sandbox sees it now: the world's student with the
// sandbox's manual changes applied.
type studentView struct {
	fixtures.Student
	// LEA and School are where the student is enrolled now.
	LEA, School string
	transfer    *store.Transfer
	// cached holds the world's reports of the student when it came from the cache.
	cached *cachedStudent
}

// student rebuilds ssid's student with this sandbox's transfers applied.
func (sb *Sandbox) student(ssid string) (studentView, bool) {
	c, ok := sb.students.get(sb.world, ssid)
	if !ok {
		return studentView{}, false
	}
	v := sb.view(c.student)
	v.cached = c
	return v, true
}

// view applies the sandbox's manual changes to st.
func (sb *Sandbox) view(st fixtures.Student) studentView {
	v := studentView{Student: st}
	if n := len(st.Enrollments); n > 0 {
		v.LEA, v.School = st.Enrollments[n-1].LEA, st.Enrollments[n-1].School
	}
	if t, moved := sb.state().Transfers[st.SSID]; moved {
		transfer := t // on the heap only for a student who moved
		v.transfer = &transfer
		v.LEA, v.School = t.To, t.School
		v.Enrollments = slices.Clone(st.Enrollments)
		if n := len(v.Enrollments); n > 0 {
			v.Enrollments[n-1].End = t.At
		}
		v.Enrollments = append(v.Enrollments, fixtures.Enrollment{
			Year: sb.scenario.Year, Grade: st.Grade, School: t.School, LEA: t.To, Start: t.At,
		})
	}
	return v
}

// leaAt is the LEA the student is enrolled in at instant at.
func (v studentView) leaAt(at time.Time) string {
	lea := ""
	for _, e := range v.Enrollments {
		if !e.Start.After(at) {
			lea = e.LEA
		}
	}
	if lea == "" && len(v.Enrollments) > 0 {
		lea = v.Enrollments[0].LEA
	}
	return lea
}

// sandboxReport is a report with the sandbox's amendments and transfers applied.
type sandboxReport struct {
	fixtures.Report
	Version  int
	original fixtures.Report
}

// completed is when the last of the report's tests was finished.
func (r sandboxReport) completed() time.Time {
	var t time.Time
	for _, res := range r.Results {
		if res.Completed.After(t) {
			t = res.Completed
		}
	}
	return t
}

// reports yields every report of the student, latest versions, oldest first.
func (sb *Sandbox) reports(v studentView) iter.Seq[sandboxReport] {
	return sb.reportsIn(sb.state(), v)
}

// reportsIn is reports in state st, for a caller that holds one state for its whole answer.
func (sb *Sandbox) reportsIn(st store.State, v studentView) iter.Seq[sandboxReport] {
	return func(yield func(sandboxReport) bool) {
		for _, r := range sb.worldReports(v) {
			if !yield(sb.version(v, r, max(st.Amendments[r.ID], 1))) {
				return
			}
		}
	}
}

// worldReports is the world's reports of the student, before the sandbox's amendments and
// transfers, oldest first.
func (sb *Sandbox) worldReports(v studentView) []fixtures.Report {
	if v.cached != nil {
		return v.cached.reports
	}
	return sb.world.Reports(v.Student)
}

// version returns version ver of the world's report r as this sandbox holds it.
func (sb *Sandbox) version(v studentView, r fixtures.Report, ver int) sandboxReport {
	out := sandboxReport{Report: r, Version: 1, original: r}
	if ver > 1 {
		out = sb.amend(r, ver)
	}
	// A student who moved before finishing a test tested at the new LEA.
	if t := v.transfer; t != nil && out.completed().After(t.At) {
		out.LEA, out.School = t.To, t.School
	}
	return out
}

// amend returns version ver of r: rescored, as an amended report would be. The new score is
// a deterministic function of the version, kept inside the scale's range, and the level
// follows it.
func (sb *Sandbox) amend(r fixtures.Report, ver int) sandboxReport {
	orig := r
	r.Results = slices.Clone(r.Results)
	for i, res := range r.Results {
		test, ok := sb.scenario.TestIn(res.Test, res.Year)
		if !ok {
			continue
		}
		rng, ok := test.Ranges[res.Grade]
		if !ok {
			continue
		}
		delta := 7 * (ver - 1)
		if res.ScaleScore+delta > rng.Max {
			delta = -delta
		}
		res.ScaleScore = min(max(res.ScaleScore+delta, rng.Min), rng.Max)
		res.Level = rng.Level(res.ScaleScore)
		r.Results[i] = res
	}
	return sandboxReport{Report: r, Version: ver, original: orig}
}

// visible reports whether lea may see r at instant at through the vendor API. The LEA where
// the student is enrolled at that instant sees all of the student's released reports. An LEA
// the student has left keeps, for the administration year in progress, the reports of the
// tests taken there that year: the last LEA of enrollment keeps access for that
// administration year. Families TOMS keeps off portals are never visible.
func (sb *Sandbox) visible(v studentView, r sandboxReport, lea string, at time.Time) bool {
	if at.Before(r.Released) || !sb.scenario.OnPortal(r.Family) {
		return false
	}
	if lea == v.leaAt(at) {
		return true
	}
	return lea == r.LEA && r.Year == sb.scenario.Year
}

// listingID names one language of one report version in the vendor API.
func listingID(r sandboxReport, lang fixtures.Language) string {
	return string(appendListingID(nil, r, lang))
}

// appendListingID appends listingID(r, lang) to b.
func appendListingID(b []byte, r sandboxReport, lang fixtures.Language) []byte {
	return append(append(append(b, r.ID...), '.'), lang...)
}

// splitListingID is listingID's inverse.
func splitListingID(id string) (reportID string, lang fixtures.Language, ok bool) {
	i := strings.LastIndexByte(id, '.')
	if i <= 0 || i == len(id)-1 {
		return "", "", false
	}
	return id[:i], fixtures.Language(id[i+1:]), true
}

// renderedPDF is one rendered report with its hash; csp is the Content-Security-Policy of an
// HTML report.
type renderedPDF struct {
	bytes  []byte
	sha256 string
	// The answer's header values that follow from the file alone, made once with it: the
	// strong entity tag (the quoted SHA-256), Content-Length, Content-Disposition, and an HTML
	// page's Content-Security-Policy (nil for a PDF).
	etag, length, disposition, csp []string
}

// newRendered is a rendering of body, served as filename, with the SHA-256 it is known by.
func newRendered(body []byte, csp, filename string) renderedPDF {
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	p := renderedPDF{
		bytes:       body,
		sha256:      hash,
		etag:        []string{`"` + hash + `"`},
		length:      []string{strconv.Itoa(len(body))},
		disposition: []string{`inline; filename="` + filename + `"`},
	}
	if csp != "" {
		p.csp = []string{csp}
	}
	return p
}

// pdf renders (or fetches from the cache) one language of one report version.
func (s *Server) pdf(sb *Sandbox, v studentView, r sandboxReport, lang fixtures.Language) (renderedPDF, error) {
	key := sb.pdfKey(v.SSID, r.ID, lang, r.Version)
	if p, ok := s.pdfs.get(key); ok {
		return p, nil
	}
	s.renders <- struct{}{}
	b, err := s.renderer.Render(sb.document(v, r, lang))
	<-s.renders
	if err != nil {
		return renderedPDF{}, err
	}
	p := newRendered(b, "", listingID(r, lang)+".pdf")
	s.pdfs.put(key, p)
	return p, nil
}

// document is what one language of one report version prints, in every format.
func (sb *Sandbox) document(v studentView, r sandboxReport, lang fixtures.Language) ssrpdf.Document {
	doc := ssrpdf.Document{
		Report:   r.Report,
		Student:  v.Student,
		Language: lang,
		Version:  r.Version,
		ReportID: listingID(r, lang),
	}
	doc.School, _ = sb.world.School(r.School)
	doc.LEA, _ = sb.world.LEA(r.LEA)
	doc.Tests = ssrpdf.Tests(sb.scenario, r.Report)
	return doc
}

// pdfKey names a rendered report of ssid in this sandbox.
func (sb *Sandbox) pdfKey(ssid, reportID string, lang fixtures.Language, version int) pdfKey {
	return sb.pdfKeyIn(sb.state(), ssid, reportID, lang, version)
}

// pdfKeyIn is pdfKey under the state st.
func (sb *Sandbox) pdfKeyIn(st store.State, ssid, reportID string, lang fixtures.Language, version int) pdfKey {
	k := pdfKey{world: sb.world, reportID: reportID, lang: lang, version: version}
	if t, moved := st.Transfers[ssid]; moved {
		k.moved = t.At
	}
	return k
}

// findReport returns the given version of a student's report; version 0 means the latest.
func (sb *Sandbox) findReport(v studentView, reportID string, version int) (sandboxReport, bool) {
	for _, r := range sb.worldReports(v) {
		if r.ID != reportID {
			continue
		}
		latest := max(sb.state().Amendments[r.ID], 1)
		if version == 0 {
			version = latest
		}
		if version < 1 || version > latest {
			return sandboxReport{}, false
		}
		return sb.version(v, r, version), true
	}
	return sandboxReport{}, false
}

package conformance

import (
	"fmt"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
	"github.com/ssrmock/ssrmock/conformance/driver"
)

// Report formats as the service lists them. Today's service gives vendors "PDF, HTML, and video
// SSRs" (TOMS help, SIS Vendor Credentialing overview); the mock lists each 2025-26 report as
// a PDF and as an HTML page.
const (
	formatPDF  = "pdf"
	formatHTML = "html"
)

// contentTypes is the media type a link of each format must serve.
var contentTypes = map[string]string{formatPDF: "application/pdf", formatHTML: "text/html"}

// formatOr is a listed format, "pdf" when none is given.
func formatOr(f string) string {
	if f == "" {
		return formatPDF
	}
	return f
}

// withHTML2025 is a student with a 2025-26 report visible at the scenario's start, listed in
// every format.
var withHTML2025 = need{what: "enrolled with a visible report listed as HTML", roster: controlapi.RosterFilter{SchoolYear: "2024-25"},
	match: func(c candidate) bool {
		return c.visibleCount(func(r controlapi.TruthReport) bool { return r.Format == formatHTML }) > 0
	}}

var _ = Describe("report formats", Label(AreaReportIntegrity), func() {
	When("the service lists each report as a PDF and as an HTML page", func() {
		ConformanceIt("report-integrity/every-format",
			"A vendor MUST offer each report in every format the service lists it in (in 2025-26 a PDF and an HTML page), each with its own bytes.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2025)
				c := w.find(withHTML2025)
				w.connect(c.lea)
				since := w.cursor()
				v := w.view(c.lea, c.student.SSID)
				w.expectFormats(c.lea, c.student.SSID, v, since)
				w.expectMatches(c.lea, c.student.SSID, v, since, "When the parent opened the page")
			})
	})
})

// expectFormats checks that view v offers every visible report in every format the ground
// truth lists it in, and says which formats were left out.
func (w *world) expectFormats(lea, ssid string, v driver.View, since int64) {
	if v.Outcome != driver.OK {
		return // expectMatches explains it
	}
	type report struct{ year, assessment, language string }
	offered := map[report][]string{}
	for _, r := range v.Reports {
		k := report{r.SchoolYear, r.Assessment, r.Language}
		offered[k] = append(offered[k], formatOr(r.Format))
	}
	var short []string
	listed := map[string]bool{}
	for _, r := range w.truth(lea, ssid).Visible() {
		f := formatOr(r.Format)
		listed[f] = true
		k := report{r.SchoolYear, r.Assessment, r.Language}
		if _, shown := offered[k]; shown && !slices.Contains(offered[k], f) {
			short = append(short, fmt.Sprintf("%s %s (%s) without its %s", r.SchoolYear, r.Assessment, r.Language, f))
		}
	}
	if len(short) == 0 {
		return
	}
	slices.Sort(short)
	var formats []string
	for f := range listed {
		formats = append(formats, f)
	}
	slices.Sort(formats)
	violation(fmt.Sprintf("showed %s", strings.Join(short, "; ")),
		fmt.Sprintf("offered each report in every format the service lists (%s): the listing has one entry per format, each with its own link (docs/api.md, \"Report formats\")", strings.Join(formats, ", ")),
		w.journal(since))
}

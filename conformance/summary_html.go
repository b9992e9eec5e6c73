package conformance

import (
	"html/template"
	"io"
)

// summaryHTML renders a Summary as one self-contained page: the verdict, the counts by area,
// then what needs attention first (failures), what passed and what was skipped last, then the
// run's details.
var summaryHTML = template.Must(template.New("summary").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}: {{.Verdict}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em;color:#1b1b1b}
h1 .v{padding:.1em .4em;border-radius:.2em}.v.conforms{background:#e3f4e7;color:#176f2c}.v.fails{background:#fbe4e7;color:#b00020}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}td,th{border-bottom:1px solid #ddd;padding:.4em;text-align:left;vertical-align:top}
th{background:#f6f6f6}.n{text-align:right;font-variant-numeric:tabular-nums;width:6em}
.passed{color:#176f2c}.failed{color:#b00020;font-weight:bold}.skipped{color:#666}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.6em;margin:.4em 0 0;font-size:.9em}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dt{font-weight:bold}dd{margin:0}
</style></head><body>
<h1>{{.Title}}: <span class="v {{if .Passed}}conforms{{else}}fails{{end}}">{{.Verdict}}</span></h1>
<p>{{.Total}} specs, {{.Ran}} ran, {{.PassedCount}} passed, {{.Skipped}} skipped, in {{printf "%.1f" .Seconds}} s.
A failed recommended spec does not fail the run.</p>
{{if .HarnessError}}<p class="failed">The harness could not judge the vendor:</p><pre>{{.HarnessError}}</pre>{{end}}
<h2>By area</h2>
<table><tr><th>area</th><th class="n">failed</th><th class="n">passed</th><th class="n">skipped</th></tr>
{{range .ByArea}}<tr><td>{{.Area}}</td><td class="n{{if .Failed}} failed{{end}}">{{.Failed}}</td><td class="n">{{.Passed}}</td><td class="n skipped">{{.Skipped}}</td></tr>
{{end}}</table>
{{range .Sections}}{{if .Results}}<h2>{{.Title}} ({{len .Results}})</h2>
<table><tr><th>spec</th><th>level</th><th>result</th></tr>
{{range .Results}}<tr><td><code>{{.ID}}</code><br>{{.Rule}}{{if .Failure}}<pre>{{.Failure}}</pre>{{end}}</td>
<td>{{.Level}}</td><td class="{{.State}}">{{.State}}{{if .KnownFailing}} (known failing){{end}}</td></tr>
{{end}}</table>
{{end}}{{end}}<h2>Run</h2>
<dl>{{range .Details}}<dt>{{.Name}}</dt><dd>{{.Value}}</dd>{{end}}</dl>
{{with .Explore}}{{.HTML}}{{end}}</body></html>
`))

// htmlSection is one table of the HTML summary.
type htmlSection struct {
	Title   string
	Results []SpecResult
}

// htmlField is a run detail as the template reads it.
type htmlField struct{ Name, Value string }

// htmlView is what the HTML template renders.
type htmlView struct {
	*Summary
	Title    string
	Verdict  string
	Sections []htmlSection
	Details  []htmlField
}

// HTML writes the summary as an HTML page.
func (s *Summary) HTML(w io.Writer) error {
	v := htmlView{Summary: s, Title: s.title(), Verdict: s.verdict()}
	pick := func(ids []string) []SpecResult {
		out := make([]SpecResult, 0, len(ids))
		for _, id := range ids {
			out = append(out, s.result(id))
		}
		return out
	}
	var passed, skipped []SpecResult
	for _, r := range s.Results {
		switch {
		case r.State == "skipped":
			skipped = append(skipped, r)
		case r.State == "passed" && !r.KnownFailing:
			passed = append(passed, r)
		}
	}
	v.Sections = []htmlSection{
		{"Specs the harness could not judge", pick(s.HarnessFailed)},
		{"Required rules broken", pick(s.RequiredFailed)},
		{"Known-failing specs that now pass (remove them from the list)", pick(s.KnownPassed)},
		{"Recommendations not met (they do not fail the run)", pick(s.RecommendedFailed)},
		{"Known-failing specs that failed, as expected", pick(s.KnownFailed)},
		{"Passed", passed},
		{"Skipped", skipped},
	}
	for _, f := range s.Run.fields() {
		v.Details = append(v.Details, htmlField{f.name, f.value})
	}
	return summaryHTML.Execute(w, v)
}

package conformance

import (
	"html/template"
	"io"
)

// summaryHTML renders a Summary as one self-contained page.
var summaryHTML = template.Must(template.New("summary").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ssrmock conformance</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4em;text-align:left;vertical-align:top}
.passed{color:#176f2c}.failed{color:#b00020;font-weight:bold}.skipped{color:#777}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.6em;margin:.4em 0 0}
</style></head><body>
<h1>ssrmock conformance: {{if .HarnessError}}could not run{{else if .Passed}}conforms{{else}}does not conform{{end}}</h1>
<p>{{.Total}} specs, {{.Ran}} ran, {{.PassedCount}} passed, {{.Skipped}} skipped, in {{printf "%.1f" .Seconds}} s.
A failed recommended spec does not fail the run.</p>
{{if .HarnessError}}<p class="failed">The harness could not judge the vendor:</p><pre>{{.HarnessError}}</pre>{{end}}
<table><tr><th>spec</th><th>level</th><th>result</th></tr>
{{range .Results}}<tr><td><code>{{.ID}}</code><br>{{.Rule}}{{if .Failure}}<pre>{{.Failure}}</pre>{{end}}</td>
<td>{{.Level}}</td><td class="{{.State}}">{{.State}}{{if .KnownFailing}} (known failing){{end}}</td></tr>
{{end}}</table>{{with .Explore}}{{.HTML}}{{end}}</body></html>
`))

// HTML writes the summary as an HTML page.
func (s *Summary) HTML(w io.Writer) error { return summaryHTML.Execute(w, s) }

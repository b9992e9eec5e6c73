package conformance

import (
	"fmt"
	"html/template"
	"slices"
	"strings"
	"sync"
)

// Coverage says what an explore phase exercised, so that a vendor sees what was and was not
// tested: the report families and languages its pages showed (and the suite checked), the
// faults put on each vendor route and how many requests met them, where the clock stood
// relative to each window when parents looked, the outcomes seen, and the students whose page
// was empty and later showed reports.
type Coverage struct {
	mu sync.Mutex
	// Walks, Steps and Views count the walks, steps and page views of the phase, shrinking's
	// replays left out.
	Walks int `json:"walks"`
	Steps int `json:"steps"`
	Views int `json:"views"`
	// Events counts the steps by event kind.
	Events map[string]int `json:"events"`
	// Offered lists, per "scenario family", the languages the walks' students have reports
	// in; Viewed counts, per "scenario family" and language, the reports shown on pages the
	// suite judged correct.
	Offered map[string][]string       `json:"offered"`
	Viewed  map[string]map[string]int `json:"viewed"`
	// Faults counts, per route and fault kind, the faults scheduled and the requests that met
	// them ("maintenance" is the whole-API window).
	Faults map[string]map[string]*FaultUse `json:"faults"`
	// Clock counts page views by window and the clock's position relative to it.
	Clock map[string]map[string]int `json:"clock"`
	// Outcomes counts page views by outcome.
	Outcomes map[string]int `json:"outcomes"`
	// EmptyThenReports lists students ("scenario ssid") whose page was empty, then showed
	// reports.
	EmptyThenReports []string `json:"emptyThenReports"`
	// NotExercised says what the phase could not exercise, and why.
	NotExercised []string `json:"notExercised,omitempty"`
}

// FaultUse is how one fault kind on one route was exercised.
type FaultUse struct {
	Scheduled int `json:"scheduled"`
	// Met counts the requests the fault answered.
	Met int `json:"met"`
}

func newCoverage() *Coverage {
	return &Coverage{Events: map[string]int{}, Offered: map[string][]string{}, Viewed: map[string]map[string]int{},
		Faults: map[string]map[string]*FaultUse{}, Clock: map[string]map[string]int{}, Outcomes: map[string]int{},
		EmptyThenReports: []string{}}
}

func (c *Coverage) fault(route, kind string) *FaultUse {
	if c.Faults[route] == nil {
		c.Faults[route] = map[string]*FaultUse{}
	}
	if c.Faults[route][kind] == nil {
		c.Faults[route][kind] = &FaultUse{}
	}
	return c.Faults[route][kind]
}

func (c *Coverage) schedule(route, kind string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fault(route, kind).Scheduled++
}

func (c *Coverage) scheduled(rk [2]string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f := c.Faults[rk[0]][rk[1]]; f != nil {
		return f.Scheduled
	}
	return 0
}

func (c *Coverage) hit(kind, route string) {
	if kind == "" {
		return
	}
	if kind == "maintenance" {
		route = "*"
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fault(route, kind).Met++
}

func (c *Coverage) offer(scenario, family, lang string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := scenario + " " + family
	if !slices.Contains(c.Offered[k], lang) {
		c.Offered[k] = append(c.Offered[k], lang)
		slices.Sort(c.Offered[k])
	}
}

func (c *Coverage) view(scenario, family, lang string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := scenario + " " + family
	if c.Viewed[k] == nil {
		c.Viewed[k] = map[string]int{}
	}
	c.Viewed[k][lang]++
}

func (c *Coverage) position(window, pos string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Clock[window] == nil {
		c.Clock[window] = map[string]int{}
	}
	c.Clock[window][pos]++
}

func (c *Coverage) outcome(o string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Outcomes[o]++
	c.Views++
}

func (c *Coverage) emptyThenReports(scenario, ssid string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s := scenario + " " + ssid; !slices.Contains(c.EmptyThenReports, s) {
		c.EmptyThenReports = append(c.EmptyThenReports, s)
	}
}

// coverageRows are the rows of the coverage tables, each a title and its cells.
type coverageRow struct {
	Title string
	Cells []string
}

// coverageTable is one table of the coverage: a header and rows.
type coverageTable struct {
	Title  string
	Header []string
	Rows   []coverageRow
}

// tables lays the coverage out as tables, the same for the text and the HTML summary.
func (c *Coverage) tables() []coverageTable {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []coverageTable

	langs := []string{"en", "es", "vi", "zh-Hant", "fil", "ko"}
	fam := coverageTable{Title: "Report families × languages shown and checked (reports; \"-\": no student of the walks has one)", Header: append([]string{"scenario family"}, langs...)}
	keys := make([]string, 0, len(c.Offered))
	for k := range c.Offered {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		row := coverageRow{Title: k}
		for _, l := range langs {
			switch {
			case c.Viewed[k][l] > 0:
				row.Cells = append(row.Cells, fmt.Sprint(c.Viewed[k][l]))
			case slices.Contains(c.Offered[k], l):
				row.Cells = append(row.Cells, "0")
			default:
				row.Cells = append(row.Cells, "-")
			}
		}
		fam.Rows = append(fam.Rows, row)
	}
	out = append(out, fam)

	kinds := append(slices.Clone(faultKinds), "maintenance")
	faults := coverageTable{Title: "Faults by route (scheduled/requests met; \"-\": not applicable)", Header: append([]string{"route"}, kinds...)}
	for _, route := range append(slices.Clone(faultRoutes), "*") {
		row := coverageRow{Title: route}
		for _, kind := range kinds {
			f := c.Faults[route][kind]
			switch {
			case kind == fk401 && route != "reports", kind == "maintenance" && route != "*", kind != "maintenance" && route == "*":
				row.Cells = append(row.Cells, "-")
			case f == nil:
				row.Cells = append(row.Cells, "0/0")
			default:
				row.Cells = append(row.Cells, fmt.Sprintf("%d/%d", f.Scheduled, f.Met))
			}
		}
		faults.Rows = append(faults.Rows, row)
	}
	out = append(out, faults)

	clock := coverageTable{Title: "Clock positions at page views", Header: []string{"window", "positions (views)"}}
	for _, win := range sortedKeys(c.Clock) {
		var parts []string
		for _, pos := range sortedKeys(c.Clock[win]) {
			parts = append(parts, fmt.Sprintf("%s %d", pos, c.Clock[win][pos]))
		}
		clock.Rows = append(clock.Rows, coverageRow{Title: win, Cells: []string{strings.Join(parts, ", ")}})
	}
	out = append(out, clock)

	other := coverageTable{Title: "Events and outcomes", Header: []string{"what", "counts"}}
	var ev, oc []string
	for _, k := range sortedKeys(c.Events) {
		ev = append(ev, fmt.Sprintf("%s %d", k, c.Events[k]))
	}
	for _, k := range sortedKeys(c.Outcomes) {
		oc = append(oc, fmt.Sprintf("%s %d", k, c.Outcomes[k]))
	}
	empty := "none"
	if len(c.EmptyThenReports) > 0 {
		empty = fmt.Sprintf("%d: %s", len(c.EmptyThenReports), strings.Join(c.EmptyThenReports, ", "))
	}
	other.Rows = append(other.Rows,
		coverageRow{Title: "events", Cells: []string{strings.Join(ev, ", ")}},
		coverageRow{Title: "outcomes", Cells: []string{strings.Join(oc, ", ")}},
		coverageRow{Title: "empty page, then reports", Cells: []string{empty}})
	if len(c.NotExercised) > 0 {
		other.Rows = append(other.Rows, coverageRow{Title: "not exercised", Cells: []string{strings.Join(c.NotExercised, "; ")}})
	}
	out = append(out, other)
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Text renders the coverage for the text summary.
func (c *Coverage) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Explore coverage: %d walks, %d steps, %d page views\n", c.Walks, c.Steps, c.Views)
	for _, t := range c.tables() {
		fmt.Fprintf(&b, "  %s:\n", t.Title)
		widths := make([]int, len(t.Header))
		for i, h := range t.Header {
			widths[i] = len(h)
		}
		for _, r := range t.Rows {
			widths[0] = max(widths[0], len(r.Title))
			for i, cell := range r.Cells {
				if i+1 < len(widths) && len(t.Header) > 2 {
					widths[i+1] = max(widths[i+1], len(cell))
				}
			}
		}
		line := func(first string, cells []string) {
			fmt.Fprintf(&b, "    %-*s", widths[0], first)
			for i, cell := range cells {
				if len(t.Header) > 2 {
					fmt.Fprintf(&b, "  %*s", widths[i+1], cell)
				} else {
					fmt.Fprintf(&b, "  %s", cell)
				}
			}
			b.WriteString("\n")
		}
		if len(t.Header) > 2 {
			line(t.Header[0], t.Header[1:])
		}
		for _, r := range t.Rows {
			line(r.Title, r.Cells)
		}
	}
	return b.String()
}

var coverageHTML = template.Must(template.New("coverage").Parse(`<h2>Explore coverage</h2>
<p>{{.C.Walks}} walks, {{.C.Steps}} steps, {{.C.Views}} page views.</p>
{{range .T}}<h3>{{.Title}}</h3><table><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr><td>{{.Title}}</td>{{range .Cells}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>
{{end}}`))

// HTML renders the coverage as a section of the HTML summary.
func (c *Coverage) HTML() template.HTML {
	var b strings.Builder
	if err := coverageHTML.Execute(&b, struct {
		C *Coverage
		T []coverageTable
	}{c, c.tables()}); err != nil {
		return template.HTML(template.HTMLEscapeString(err.Error()))
	}
	return template.HTML(b.String())
}

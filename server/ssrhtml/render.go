package ssrhtml

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/ssrmock/ssrmock/server/ssrpdf"
)

// Page is one rendered HTML SSR.
type Page struct {
	// HTML is the page, UTF-8.
	HTML []byte
	// CSP is the Content-Security-Policy header to serve HTML with: nothing but the page's own
	// inline style sheet may load or run.
	CSP string
}

//go:embed page.gohtml
var pageSource string

//go:embed page.css
var baseStyle string

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"levelClass": func(l ssrpdf.Level) string { return levelClass(l.N, l.Of) },
}).Parse(pageSource))

// view is what the template prints: the content with the identifiers and class names of its
// drawn scales.
type view struct {
	ssrpdf.Content
	Title   string
	Style   template.CSS
	Policy  string
	Results []resultView
}

type resultView struct {
	ssrpdf.ResultContent
	ID         string
	Scale      *scaleView
	Composites []compositeView
	Indicators []indicatorView
}

type compositeView struct {
	ssrpdf.CompositeContent
	Scale *scaleView
}

type indicatorView struct {
	ssrpdf.IndicatorContent
	Cells []cellView
}

// cellView is one level column of an indicator row: Text is the level's name in the student's
// column and "" elsewhere.
type cellView struct {
	Text  string
	Class string
}

// scaleView is a drawn scale: the range table and the bar whose geometry the page's style
// sheet carries under Class.
type scaleView struct {
	Caption string
	Class   string
	Bands   []bandView
	Score   int
}

type bandView struct {
	Label, Range, Class string
	Mine                bool
}

// Render returns the HTML page of d: the same content as the PDF ssrpdf prints. It fails for
// what ssrpdf does not print; the bytes are a function of d alone.
func Render(d ssrpdf.Document) (Page, error) {
	c, err := d.Content()
	if err != nil {
		return Page{}, err
	}
	var css strings.Builder
	css.WriteString(baseStyle)
	scales := 0
	scale := func(s *ssrpdf.Scale) *scaleView {
		if s == nil {
			return nil
		}
		scales++
		return drawScale(&css, "s"+strconv.Itoa(scales), c.Results[0].ScaleScoreLabel, s)
	}
	v := view{Content: c, Title: c.Title + " – " + c.FamilyTitle + " " + c.Year + " – " + c.StudentName}
	for i, r := range c.Results {
		rv := resultView{ResultContent: r, ID: "result-" + strconv.Itoa(i+1), Scale: scale(r.Scale)}
		for _, cm := range r.Composites {
			rv.Composites = append(rv.Composites, compositeView{CompositeContent: cm, Scale: scale(cm.Scale)})
		}
		for _, in := range r.Indicators {
			iv := indicatorView{IndicatorContent: in}
			for j, name := range r.IndicatorLevels {
				cell := cellView{}
				if j+1 == in.Level {
					cell = cellView{Text: name, Class: levelClass(j+1, len(r.IndicatorLevels))}
				}
				iv.Cells = append(iv.Cells, cell)
			}
			rv.Indicators = append(rv.Indicators, iv)
		}
		v.Results = append(v.Results, rv)
	}
	sum := sha256.Sum256([]byte(css.String()))
	v.Style = template.CSS(css.String())
	v.Policy = "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; img-src 'none'; base-uri 'none'; form-action 'none'"
	var out bytes.Buffer
	if err := pageTemplate.Execute(&out, v); err != nil {
		return Page{}, fmt.Errorf("ssrhtml: render report %q: %w", d.ReportID, err)
	}
	return Page{HTML: out.Bytes(), CSP: v.Policy + "; frame-ancestors 'none'"}, nil
}

// drawScale adds the geometry of one scale's bar to css under class and returns the scale as
// the template prints it.
func drawScale(css *strings.Builder, class, caption string, s *ssrpdf.Scale) *scaleView {
	span := float64(s.Max - s.Min)
	at := func(v int) float64 { return min(max(float64(v-s.Min)/span, 0), 1) * 100 }
	out := &scaleView{Caption: caption, Class: class, Score: s.Score}
	for i, label := range s.Bands {
		lo, hi := s.Bounds[i], s.Bounds[i+1]
		if i+1 < len(s.Bands) {
			hi--
		}
		b := bandView{Label: label, Range: fmt.Sprintf("%d–%d", lo, hi), Class: class + "b" + strconv.Itoa(i+1) + " " + levelClass(i+1, len(s.Bands))}
		b.Mine = s.Score >= lo && s.Score <= hi
		out.Bands = append(out.Bands, b)
		fmt.Fprintf(css, ".%sb%d{width:%s%%}", class, i+1, pct(at(s.Bounds[i+1])-at(s.Bounds[i])))
	}
	fmt.Fprintf(css, ".%s .marker{left:%s%%}\n", class, pct(at(s.Score)))
	return out
}

// pct formats a percentage with two decimals, the same on every machine.
func pct(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// levelClass is the colour class of level (1-based) on a scale of n levels, lowest red and
// highest blue, as on the PDF.
func levelClass(level, n int) string {
	names := map[int][]string{1: {"l-blue"}, 2: {"l-amber", "l-blue"}, 3: {"l-red", "l-amber", "l-blue"}}
	p, ok := names[n]
	if !ok {
		p = []string{"l-red", "l-amber", "l-green", "l-blue"}
	}
	i := level - 1
	if n > len(p) {
		i = i * (len(p) - 1) / (n - 1)
	}
	return p[min(max(i, 0), len(p)-1)]
}

package ssrpdf

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/signintech/gopdf"
	"github.com/ssrmock/ssrmock/fixtures"
)

// Document is everything printed on one SSR.
type Document struct {
	Report  fixtures.Report
	Student fixtures.Student
	School  fixtures.School
	LEA     fixtures.LEA
	// Tests holds the catalog entries of the tests in Report.Results and Report.History, one
	// per test and version (fixtures.Test.From); other entries are ignored. Tests builds it.
	Tests    []fixtures.Test
	Language fixtures.Language
	// Version is 1, or higher for an amended (rescored) report, which is marked "Amended";
	// 0 counts as 1.
	Version int
	// ReportID is the identifier printed in the footer; it also seeds the PDF's document ID.
	ReportID string
}

// ErrUnsupported is wrapped by the errors Render returns for a language or report family it
// does not print.
var ErrUnsupported = errors.New("ssrpdf: unsupported")

// errPanic marks the error of a render that panicked and was recovered: a bug, which the
// tests look for.
var errPanic = errors.New("internal error")

// Renderer prints Documents as PDF. Its fonts are parsed once, by NewRenderer; it is safe for
// concurrent use.
type Renderer struct {
	faces     map[string]*face
	container *gopdf.FontContainer
	// fontStreams keeps the compressed font subsets of earlier reports: reports of one
	// family and language mostly use the same glyphs.
	fontStreams *gopdf.FontStreamCache
	// latinBase holds, per Latin face, the glyphs every report embeds (glyphs.go), so that
	// fontStreams serves most reports.
	latinBase []baseGlyphs
	// wraps keeps, per language, the line breaks of text earlier reports wrapped.
	wraps map[fixtures.Language]*wrapCache
}

// fontStreamBytes bounds the compressed font subsets a Renderer keeps. A subset is 3 to 40
// KB compressed; the 4,100 reports of the 2018-19 county world's first three LEAs, in six
// languages, made 171 subsets of 2.7 MB in all (BenchmarkBulkLEA reports the count).
const fontStreamBytes = 8 << 20

// NewRenderer parses the embedded fonts and returns a Renderer.
func NewRenderer() (*Renderer, error) {
	faces, container, err := loadFonts()
	if err != nil {
		return nil, err
	}
	return &Renderer{
		faces:       faces,
		container:   container,
		fontStreams: gopdf.NewFontStreamCache(fontStreamBytes),
		latinBase:   latinBase(faces),
		wraps:       wrapCaches(),
	}, nil
}

// Render returns the PDF of d. It fails for a language or family it does not print and for a
// report whose results do not match d.Tests; it never panics. The bytes are a function of d
// alone.
func (r *Renderer) Render(d Document) (pdf []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			pdf, err = nil, fmt.Errorf("ssrpdf: render report %q: %w: %v", d.ReportID, errPanic, p)
		}
	}()
	lb, ok := languages[d.Language]
	if !ok {
		return nil, fmt.Errorf("%w language %q", ErrUnsupported, d.Language)
	}
	fam, ok := familyOf(lb, d)
	if !ok {
		return nil, fmt.Errorf("%w report family %q", ErrUnsupported, d.Report.Family)
	}
	results, err := matchResults(d)
	if err != nil {
		return nil, err
	}

	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeLetter, Unit: gopdf.UnitPT, FontStreamCache: r.fontStreams})
	// Page content is compressed at zlib's fastest level: about a tenth more bytes than its
	// default, for a fifth of the time, which made compression the largest cost of a render.
	// The font subsets keep the default level; they are compressed once (fontStreams).
	gp.SetCompressLevel(zlib.BestSpeed)
	stack := stackFor(d.Language, r.faces)
	for _, f := range append(append([]*face{}, stack.regular...), stack.bold...) {
		if err := gp.AddTTFFontFromFontContainer(f.family, r.container); err != nil {
			return nil, fmt.Errorf("ssrpdf: font %s: %w", f.family, err)
		}
	}
	// The Latin subsets hold the base glyphs whether the report prints them or not.
	for _, b := range r.latinBase {
		if err := gp.SetFont(b.family, "", 10); err != nil {
			return nil, fmt.Errorf("ssrpdf: font %s: %w", b.family, err)
		}
		if _, err := gp.MeasureTextWidth(b.runes); err != nil {
			return nil, fmt.Errorf("ssrpdf: font %s: %w", b.family, err)
		}
	}
	gp.SetInfo(gopdf.PdfInfo{
		Title:        lb.ReportTitle + " – " + fam.Title + " " + d.Report.Year.String(),
		Subject:      d.ReportID,
		Creator:      "ssrmock",
		Producer:     "ssrmock ssrpdf (gopdf)",
		CreationDate: d.Report.Released.UTC(),
	})

	rep := &report{canvas: canvas{gp: gp, fonts: stack, wraps: r.wraps[d.Language]}, d: d, lb: lb, fam: fam, results: results}
	rep.compose()
	if rep.err != nil {
		return nil, fmt.Errorf("ssrpdf: render report %q: %w", d.ReportID, rep.err)
	}
	buf := pdfBuffers.Get().(*bytes.Buffer)
	defer func() {
		buf.Reset()
		pdfBuffers.Put(buf)
	}()
	if _, err := gp.WriteTo(buf); err != nil {
		return nil, fmt.Errorf("ssrpdf: write report %q: %w", d.ReportID, err)
	}
	return withDocumentID(buf.Bytes(), documentID(d)), nil
}

// wrapCaches returns an empty wrapCache for every language.
func wrapCaches() map[fixtures.Language]*wrapCache {
	out := map[fixtures.Language]*wrapCache{}
	for _, lang := range Languages() {
		out[lang] = &wrapCache{}
	}
	return out
}

// pdfBuffers holds the buffers gopdf writes a report into before withDocumentID copies it
// out, so that a render does not grow a new one.
var pdfBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// scored pairs a result with its catalog entry.
type scored struct {
	fixtures.Result
	test fixtures.Test
}

// matchResults finds each result's test and checks that its levels are in range.
func matchResults(d Document) ([]scored, error) {
	if len(d.Report.Results) == 0 {
		return nil, fmt.Errorf("ssrpdf: report %q has no results", d.ReportID)
	}
	out := make([]scored, 0, len(d.Report.Results))
	for _, res := range d.Report.Results {
		t, ok := d.TestFor(res)
		if !ok {
			return nil, fmt.Errorf("ssrpdf: report %q: no catalog entry for test %q", d.ReportID, res.Test)
		}
		combined := d.Report.Family == fixtures.FamilySmarterBalanced && t.ID == fixtures.CAST
		if t.Family != d.Report.Family && !combined {
			return nil, fmt.Errorf("ssrpdf: report %q: test %q belongs to family %q, not %q", d.ReportID, t.ID, t.Family, d.Report.Family)
		}
		if res.Level < 1 || res.Level > len(t.Levels) {
			return nil, fmt.Errorf("ssrpdf: report %q: level %d out of range for test %q", d.ReportID, res.Level, t.ID)
		}
		for _, c := range res.Composites {
			if c.Level < 1 || c.Level > len(CompositeLevels(t)) {
				return nil, fmt.Errorf("ssrpdf: report %q: composite %q level %d out of range", d.ReportID, c.Name, c.Level)
			}
		}
		for _, in := range res.Indicators {
			if in.Level < 1 || in.Level > len(t.IndicatorLevels) {
				return nil, fmt.Errorf("ssrpdf: report %q: indicator %q level %d out of range", d.ReportID, in.Name, in.Level)
			}
		}
		out = append(out, scored{res, t})
	}
	return out, nil
}

// version returns the document's version, at least 1.
func (d Document) version() int {
	if d.Version < 1 {
		return 1
	}
	return d.Version
}

// documentID derives the PDF's permanent document ID from the report identifier, language
// and version.
func documentID(d Document) []byte {
	sum := sha256.Sum256([]byte(d.ReportID + "\x00" + string(d.Language) + "\x00" + strconv.Itoa(d.version())))
	return sum[:16]
}

// withDocumentID returns a copy of pdf with the trailer's /ID entry, which gopdf writes only
// for encrypted files. The trailer follows the cross-reference table, so no object offset
// moves.
func withDocumentID(pdf, id []byte) []byte {
	const trailer = "trailer\n<<\n"
	i := bytes.LastIndex(pdf, []byte(trailer))
	if i < 0 {
		return bytes.Clone(pdf)
	}
	entry := fmt.Sprintf("/ID [<%X> <%X>]\n", id, id)
	out := make([]byte, 0, len(pdf)+len(entry))
	out = append(out, pdf[:i+len(trailer)]...)
	out = append(out, entry...)
	return append(out, pdf[i+len(trailer):]...)
}

package server

import (
	"strings"

	"github.com/ssrmock/ssrmock/fixtures"
	"github.com/ssrmock/ssrmock/server/ssrhtml"
)

// Report formats as the vendor API names them.
const (
	formatPDF  = "pdf"
	formatHTML = "html"
)

// reportFormats lists the formats the scenario's service offers every report in. Today's
// service gives vendors "PDF, HTML, and video SSRs" (TOMS help, SIS Vendor Credentialing
// overview: https://ca-toms-help-qc-new.ets.org/toms/credentialing/overview); the 2018-19
// service gave PDFs only. Video SSRs are not mocked.
func reportFormats(sc *fixtures.Scenario) []string {
	if sc.Year <= 2019 {
		return []string{formatPDF}
	}
	return []string{formatPDF, formatHTML}
}

// formatListingID names one format of one language of one report version in the vendor API:
// the PDF keeps the listing ID ("<report>.<lang>"), another format appends its name
// ("<report>.<lang>.html").
func formatListingID(r sandboxReport, lang fixtures.Language, format string) string {
	return string(appendFormatListingID(nil, r, lang, format))
}

// appendFormatListingID appends formatListingID(r, lang, format) to b.
func appendFormatListingID(b []byte, r sandboxReport, lang fixtures.Language, format string) []byte {
	b = appendListingID(b, r, lang)
	if format != formatPDF {
		b = append(append(b, '.'), format...)
	}
	return b
}

// splitFormat is formatListingID's inverse as far as the format goes: it returns the
// listing ID and the format.
func splitFormat(id string) (listing, format string) {
	if base, ok := strings.CutSuffix(id, "."+formatHTML); ok {
		return base, formatHTML
	}
	return id, formatPDF
}

// render renders (or fetches from the cache) one format of one language of one report
// version.
func (s *Server) render(sb *Sandbox, v studentView, r sandboxReport, lang fixtures.Language, format string) (renderedPDF, error) {
	if format == formatPDF {
		return s.pdf(sb, v, r, lang)
	}
	key := sb.pdfKey(v.SSID, r.ID, lang, r.Version)
	key.format = format
	if p, ok := s.pdfs.get(key); ok {
		return p, nil
	}
	page, err := ssrhtml.Render(sb.document(v, r, lang))
	if err != nil {
		return renderedPDF{}, err
	}
	p := newRendered(page.HTML, page.CSP, listingID(r, lang)+"."+formatHTML)
	s.pdfs.put(key, p)
	return p, nil
}

// setFileHeaders sets the type headers of one report file: a PDF, or an HTML page with its
// strict Content-Security-Policy, served as a document that is not sniffed and not framed.
func setFileHeaders(resp *response, format string, file renderedPDF) {
	switch format {
	case formatHTML:
		resp.set("Content-Type", htmlType)
		resp.set("Content-Security-Policy", file.csp)
		resp.set("X-Content-Type-Options", nosniff)
		resp.set("Referrer-Policy", noReferrer)
	default:
		resp.set("Content-Type", pdfType)
	}
	resp.set("Content-Disposition", file.disposition)
}

// Header values of report pages (see response's for the others).
var (
	htmlType   = []string{"text/html; charset=utf-8"}
	nosniff    = []string{"nosniff"}
	noReferrer = []string{"no-referrer"}
)

// Package ssrhtml prints Student Score Reports as standalone HTML pages.
//
// Today's service lets vendors "access PDF, HTML, and video SSRs" (TOMS help, SIS Vendor
// Credentialing overview, https://ca-toms-help-qc-new.ets.org/toms/credentialing/overview);
// this package prints the HTML ones. The real HTML report's markup is not public: the page is
// our own. Render takes the same ssrpdf.Document the PDF renderer prints and renders the same
// ssrpdf.Content (every word resolved in the report's language by the PDF's label tables), so
// the two formats say the same thing.
//
// A page is self-contained (no script, no image, no external style sheet, no font download),
// accessible (the report's language on <html lang>, one h1 and headings per section, landmark
// elements, real tables with header cells and scopes for the score ranges, the area or domain
// indicators and the score history, text colours at WCAG AA contrast or better) and
// deterministic: the bytes are a function of the Document alone. Its only style sheet is
// inline; Page.CSP is the strict Content-Security-Policy to serve it with, allowing that one
// style sheet by its SHA-256 and nothing else, and the page repeats the policy in a <meta>
// element so that a saved copy keeps it.
package ssrhtml

// Package ssrpdf prints Student Score Reports as PDF files.
//
// A Renderer turns one Document (a report, its student, school, LEA and the catalog entries of
// its tests; NewDocument assembles it from a fixtures.World) into a letter-size PDF in one of
// the report languages: English, Spanish, Vietnamese, Chinese (Traditional), Filipino or
// Korean. Every family of the catalog has its layout: the CAASPP report (Smarter Balanced or
// CAA, ELA and mathematics together), CAST, CSA, and the Summative (always two pages), Initial
// and Alternate ELPAC reports. Each shows the scale score and level on a drawn scale with the
// cut scores, the area or domain indicators, the ELPAC composites, what the levels mean and
// next steps for parents.
//
// Output is a pure function of the Document: the creation date is the report's release
// instant, the document ID is derived from the report identifier, language and version, and
// nothing reads the clock or a random source, so the same Document always renders to the same
// bytes. A Renderer keeps, within bounds, what reports share from one to the next (the
// compressed font subsets, line breaks of label text); that makes later reports cheaper and
// changes none of their bytes.
//
// The fixed words of each language are in lang_*.go; catalog strings are translated through
// their Terms. The fonts are Noto Sans and Noto Sans CJK TC and KR (SIL Open Font License 1.1,
// see fonts/OFL.txt), subset to what the tables use and embedded in the binary. After editing
// a table, run fonts/regen.sh (it rebuilds the subsets from Debian's font packages; a test
// fails until you do) and go test -update (it rewrites the golden text and hashes under
// testdata/). go test -run TestWriteSamples -samples DIR writes sample PDFs to look at.
package ssrpdf

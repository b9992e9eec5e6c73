// Package ssrpdf prints Student Score Reports as PDF files.
//
// A Renderer turns one Document (a report, its student, school, LEA and the catalog entries of
// its tests) into a letter-size PDF in one of the report languages: English, Spanish,
// Vietnamese, Chinese (Traditional), Filipino or Korean. Every family of the catalog has its
// layout: the CAASPP report (Smarter Balanced or CAA, ELA and mathematics together), CAST, CSA,
// and the Summative (two pages), Initial and Alternate ELPAC reports.
//
// Output is a pure function of the Document: the creation date is the report's release
// instant, the document ID is derived from the report identifier, language and version, and
// nothing reads the clock or a random source, so the same Document always renders to the same
// bytes.
//
// The fonts are Noto Sans and Noto Sans CJK (SIL Open Font License 1.1, see fonts/OFL.txt),
// subset to what the label tables use and embedded in the binary; fonts/regen.sh rebuilds
// them from Debian's font packages.
package ssrpdf

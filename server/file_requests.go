package server

import (
	"net/url"
	"strings"

	"github.com/ssrmock/ssrmock/fixtures"
)

// fileRequest is what the URL of a report download says, read once per URL and state: the
// link it names, whether the sandbox signed it, what the journal keeps of the URL, and the
// rendering the link's listing ID names.
type fileRequest struct {
	link   link
	signed bool
	// bad is set for a query the server never writes (checkLink's badLink).
	bad  bool
	scan urlScan

	// The listing ID read (for a link that is not bad): found is false for one that names no
	// language; key names the rendering under the state (a manual transfer is part of it).
	found                  bool
	ssid, reportID, format string
	lang                   fixtures.Language
	key                    pdfKey
}

// fileRequest reads the download URL u of the listing ID id (checkLink) and scans it for
// credential material (scanURL), with the link's signature as its own when the sandbox signed
// it. Both are pure functions of the URL and of state the snapshot holds (the sandbox's link
// key, its Secret Keys), so the answer is remembered with the state: a link downloaded again,
// as a portal does whenever a page shows the report, is read once. The link's expiry is not
// part of it: verifyLink judges that at each request's time.
func (sb *Sandbox) fileRequest(u *url.URL, id string) fileRequest {
	snap := sb.cur.Load()
	var buf [320]byte
	k := appendURLKey(buf[:0], u)
	if f, ok := snap.files.get(k); ok {
		return f
	}
	query := readLinkQuery(u.RawQuery)
	l, signed, err := sb.checkLink(id, query)
	linkSig := "" // the journal keeps a valid link's own signature, which is no leak
	if signed {
		linkSig = query.sig
	}
	f := fileRequest{link: l, signed: signed, bad: err != nil, scan: sb.scanURLIn(snap, u, linkSig)}
	if !f.bad {
		var listing string
		listing, f.format = splitFormat(l.id)
		f.reportID, f.lang, f.found = splitListingID(listing)
		f.ssid, _, _ = strings.Cut(f.reportID, "-")
		f.key = sb.pdfKeyIn(snap.st, f.ssid, f.reportID, f.lang, l.version)
		if f.format != formatPDF {
			f.key.format = f.format
		}
	}
	snap.files.put(string(k), f)
	return f
}

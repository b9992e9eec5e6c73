package refvendor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ssrmock/ssrmock/conformance/driver"
)

// linkMargin is how much life a link must have left to be handed out: the parent's browser
// follows it within seconds.
const linkMargin = time.Minute

// render turns a listing into the parent's page: the service's links, or with ServeBytes the
// digests of the PDFs the vendor downloaded. Links about to expire, or a download refused
// with link_expired, cause one fresh listing.
func (v *Vendor) render(ctx context.Context, lea, ssid string, reports []apiReport, cached bool) (driver.View, *driver.View) {
	reports = v.adjust(lea, ssid, reports)
	for attempt := 0; ; attempt++ {
		relist := false
		var out []driver.ViewReport
		if v.serveBytes {
			var fail *driver.View
			out, relist, fail = v.downloadAll(ctx, lea, ssid, reports)
			if fail != nil {
				return driver.View{}, fail
			}
		} else {
			now := v.clock()
			for _, r := range reports {
				if !cached && !r.recalled && !r.URLExpiresAt.IsZero() && !r.URLExpiresAt.After(now.Add(linkMargin)) {
					relist = true
				}
				out = append(out, v.linkReport(lea, r))
			}
		}
		if !relist {
			if out == nil {
				out = []driver.ViewReport{}
			}
			return driver.View{Outcome: driver.OK, Reports: out}, nil
		}
		if attempt > 0 {
			return driver.View{}, &driver.View{Outcome: driver.Unavailable,
				Message: "The SSR service keeps handing out expired links. Please try again later."}
		}
		v.log.Info("links expired: listing again", "lea", lea)
		fresh, fail := v.fetch(ctx, lea, ssid)
		if fail != nil {
			return driver.View{}, fail
		}
		reports, cached = v.adjust(lea, ssid, fresh), false
	}
}

// linkReport is r as handed to the parent's browser: with the service's link, which the
// faulty vendors decorate with credentials.
func (v *Vendor) linkReport(lea string, r apiReport) driver.ViewReport {
	vr := viewReport(r)
	if vr.URL == "" || !(v.has(FaultTokenInLink) || v.has(FaultCredentialsInLink)) {
		return vr
	}
	sep := "&"
	if !strings.Contains(vr.URL, "?") {
		sep = "?"
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	st := v.leas[lea]
	switch {
	case st == nil:
	case v.has(FaultTokenInLink) && st.token != "":
		vr.URL += sep + "access_token=" + url.QueryEscape(st.token)
	case v.has(FaultCredentialsInLink):
		vr.URL += sep + "secretKey=" + url.QueryEscape(st.cfg.SecretKey)
	}
	return vr
}

func viewReport(r apiReport) driver.ViewReport {
	return driver.ViewReport{SchoolYear: r.SchoolYear, Assessment: r.Assessment, Language: r.Language, Format: r.Format, URL: r.URL, SHA256: r.sha256}
}

// downloadAll fetches and checks every PDF. expired is true when a link was refused as expired.
func (v *Vendor) downloadAll(ctx context.Context, lea, ssid string, reports []apiReport) (out []driver.ViewReport, expired bool, fail *driver.View) {
	for _, r := range reports {
		if sum, ok := v.recallPDF(lea, r); ok && r.sha256 == "" {
			r.sha256 = sum
		}
		if r.sha256 == "" {
			sum, exp, fail := v.download(ctx, lea, r)
			if fail != nil || exp {
				return nil, exp, fail
			}
			r.sha256 = sum
			v.rememberBytes(lea, ssid, r)
			v.rememberPDF(lea, r, sum)
		}
		vr := viewReport(r)
		vr.URL = ""
		out = append(out, vr)
	}
	return out, false, nil
}

// download fetches one PDF, without credentials (the link is signed), and checks that it came
// whole: status 200, a PDF, as long as its Content-Length says.
func (v *Vendor) download(ctx context.Context, lea string, r apiReport) (sum string, expired bool, fail *driver.View) {
	resp, err := v.exchange(ctx, nil, get(r.URL, ""))
	if err != nil {
		return "", false, v.unavailable(lea, "downloading a report", err)
	}
	switch {
	case resp.status == http.StatusForbidden && resp.code == "link_expired":
		return "", true, nil
	case resp.status != http.StatusOK:
		return "", false, v.answerFailure(lea, "downloading a report", resp)
	case resp.header.Get("Content-Length") == "":
		v.log.Warn("downloading a report: no Content-Length, cannot check it came whole", "lea", lea)
		return "", false, &driver.View{Outcome: driver.Unavailable, Message: "A score report could not be downloaded completely. Please try again later."}
	}
	h := sha256.Sum256(resp.body)
	return hex.EncodeToString(h[:]), false, nil
}

package refvendor

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/ssrmock/ssrmock/conformance/driver"
	"github.com/ssrmock/ssrmock/conformance/pacific"
)

// ssidPattern is the shape of an SSID: 10 digits.
var ssidPattern = regexp.MustCompile(`^[0-9]{10}$`)

// apiReport is one entry of the service's report listing.
type apiReport struct {
	ID           string    `json:"id"`
	Program      string    `json:"program"`
	Assessment   string    `json:"assessment"`
	SchoolYear   string    `json:"schoolYear"`
	Language     string    `json:"language"`
	Format       string    `json:"format"`
	Version      int       `json:"version"`
	URL          string    `json:"url"`
	URLExpiresAt time.Time `json:"urlExpiresAt"`

	// sha256 is the hex digest of the bytes, once the vendor has them.
	sha256 string
	// recalled marks an older copy kept by a faulty vendor in place of the listed one.
	recalled bool
}

// View shows the reports of student ssid through lea's pair: always a fresh listing (the
// links in it live 30 minutes), with the links handed out as they are or, with ServeBytes,
// the PDFs downloaded and checked. A view takes at most 4 request timeouts in all.
func (v *Vendor) View(ctx context.Context, lea, ssid string) (driver.View, error) {
	if !ssidPattern.MatchString(ssid) {
		return driver.View{Outcome: driver.Failed, Reports: []driver.ViewReport{},
			Message: fmt.Sprintf("%q is not an SSID: an SSID has 10 digits.", ssid)}, nil
	}
	if !v.has(FaultNoTimeout) {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, 4*v.timeout)
		defer cancel()
	}
	if nf, ok := v.recallNotFound(lea, ssid); ok {
		return nf, nil
	}
	reports, cached, fail := v.recall(lea, ssid)
	if !cached {
		reports, fail = v.fetch(ctx, lea, ssid)
	}
	if fail == nil {
		v.notice(lea, ssid, reports)
		var view driver.View
		view, fail = v.render(ctx, lea, ssid, reports, cached)
		if fail == nil {
			return view, nil
		}
	}
	switch {
	case fail.Outcome == driver.AuthError && v.has(FaultNoReportsOnAuthError),
		fail.Outcome == driver.NotFound && v.has(FaultNotFoundAsEmpty),
		fail.Outcome == driver.Unavailable && v.has(FaultUnavailableAsEmpty):
		return driver.View{Outcome: driver.OK, Reports: []driver.ViewReport{}}, nil
	case fail.Outcome == driver.NotFound && v.has(FaultNotFoundAsError):
		fail.Outcome = driver.Failed
	}
	fail.Reports = []driver.ViewReport{}
	return *fail, nil
}

// fetch lists the student's reports through lea's pair, with a token from the cache or a new
// one, and one more token if the service refuses the first.
func (v *Vendor) fetch(ctx context.Context, lea, ssid string) ([]apiReport, *driver.View) {
	reports, fail := v.list(ctx, lea, ssid)
	if fail != nil {
		if r, ok := v.forgotten(lea, ssid, fail); ok {
			return r, nil
		}
		v.rememberNotFound(lea, ssid, fail)
		return nil, fail
	}
	v.remember(lea, ssid, reports)
	return reports, nil
}

// list is one listing through the service, by the vendor's rules.
func (v *Vendor) list(ctx context.Context, lea, ssid string) ([]apiReport, *driver.View) {
	v.mu.Lock()
	st := v.leas[lea]
	if first := v.leas[v.firstLEA]; v.has(FaultUsesFirstLEAPair) && first != nil {
		st = first
	}
	if st == nil {
		v.mu.Unlock()
		return nil, &driver.View{Outcome: driver.AuthError,
			Message: fmt.Sprintf("No SSR service credentials are configured for LEA %s. An LEA coordinator must generate a User Name and Secret Key in TOMS and enter them in the portal's settings.", lea)}
	}
	cfg, gen, rejected, quiet, now := st.cfg, st.gen, st.rejected, st.quietUntil, v.now
	v.mu.Unlock()
	if rejected != "" && !v.has(FaultForgetsRejection) {
		return nil, &driver.View{Outcome: driver.AuthError, Message: rejectedMessage(lea, rejected)}
	}
	if now.Before(quiet) && !v.has(FaultIgnoresRetryAfter) {
		return nil, &driver.View{Outcome: driver.Unavailable,
			Message: fmt.Sprintf("The SSR service asked us to wait until %s. Please try again later.", pacific.Minutes(quiet))}
	}

	tok, fail := v.token(ctx, st, cfg, gen, false)
	if fail != nil {
		return nil, fail
	}
	endpoint := strings.TrimRight(cfg.BaseURL, "/") + "/students/" + url.PathEscape(ssid) + "/reports"
	listing := func(tok string) func(context.Context) (*http.Request, error) {
		if v.has(FaultTokenInQuery) {
			return get(endpoint+"?access_token="+url.QueryEscape(tok), tok)
		}
		return get(endpoint, tok)
	}
	r, err := v.exchange(ctx, st, listing(tok))
	if err != nil {
		return nil, v.unavailable(lea, "listing reports", err)
	}
	if r.status == http.StatusUnauthorized {
		if v.has(FaultNeverReauthenticates) || v.has(FaultGivesUpOn401) {
			return nil, v.answerFailure(lea, "listing reports", r)
		}
		again := 1
		if v.has(FaultRetry401Loop) {
			again = 50
		}
		for i := 0; i < again && r.status == http.StatusUnauthorized; i++ {
			if !v.has(FaultRetries401SameToken) {
				v.log.Info("listing reports: token refused, getting a new one", "lea", lea, "code", r.code)
				v.dropToken(st, tok)
				if tok, fail = v.token(ctx, st, cfg, gen, true); fail != nil {
					return nil, fail
				}
			}
			if r, err = v.exchange(ctx, st, listing(tok)); err != nil {
				return nil, v.unavailable(lea, "listing reports", err)
			}
		}
	}
	if r.status != http.StatusOK {
		return nil, v.answerFailure(lea, "listing reports", r)
	}
	var body struct {
		SSID    string      `json:"ssid"`
		Reports []apiReport `json:"reports"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil || (body.SSID != "" && body.SSID != ssid) {
		v.log.Warn("listing reports: unreadable answer", "lea", lea)
		return nil, &driver.View{Outcome: driver.Failed, Message: "The SSR service sent an unreadable report listing."}
	}
	v.log.Info("listing reports", "lea", lea, "reports", len(body.Reports))
	return body.Reports, nil
}

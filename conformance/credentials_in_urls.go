package conformance

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
	"github.com/ssrmock/ssrmock/conformance/driver"
	"github.com/ssrmock/ssrmock/findings"
)

// Credential material (a Secret Key or a token) must never appear in a URL: not in a request
// the vendor sends, not in a link it hands the parent, under no parameter name, not as a name,
// not in the path. The suite checks every link of every page view itself for every Secret Key
// generated in the spec, and reads the journal's secretInUrl flag for every request, the
// suite's own downloads of the vendor's links included: the server, which knows the tokens it
// minted, sets it.

// expectNoCredentialInLinks fails the spec when a link of view v carries a Secret Key.
func (w *world) expectNoCredentialInLinks(v driver.View) {
	for _, r := range v.Reports {
		for _, secret := range w.secrets {
			if leaks(r.URL, secret) {
				violation(fmt.Sprintf("handed the parent a link to %s that carries the LEA's Secret Key: %s", keyOfView(r), redact(r.URL, secret)),
					"handed out the signed link the service listed (or its own link) with no credential in it: a link ends up in browser history, proxies and referrers",
					w.journal(0))
			}
		}
	}
}

// expectNoCredentialInURLs fails the spec when the journal of sandbox sbx flags credential
// material in a URL: a request of the vendor's, or the suite's download of a link the vendor
// handed out. A query parameter named after a Secret Key counts too.
func (w *world) expectNoCredentialInURLs(ctx SpecContext, sbx string) {
	if suite == nil {
		return
	}
	entries, _, _, err := w.h.api.JournalSince(ctx, sbx, 0)
	if err != nil {
		return // the sandbox or the server went away: the spec has failed already
	}
	var leaked []controlapi.Entry
	for _, e := range entries {
		if findings.CarriesCredential(e.Finding()) || w.namesCarrySecret(e.QueryParams) {
			leaked = append(leaked, e)
		}
	}
	if len(leaked) == 0 {
		return
	}
	where := "in a URL it sent to the service"
	if leaked[0].Client == controlapi.SuiteClient {
		where = "in a link it handed the parent (the suite followed it)"
	}
	violation(fmt.Sprintf("put the Secret Key or a token %s, %d time(s)", where, len(leaked)),
		"sent the pair only in the JSON body of POST /api/v1/token and the token only as \"Authorization: Bearer\", and handed the parent links with no credential in them",
		leaked)
}

// namesCarrySecret reports whether a query parameter name carries one of the spec's secrets.
func (w *world) namesCarrySecret(names []string) bool {
	for _, n := range names {
		for _, s := range w.secrets {
			if leaks(n, s) {
				return true
			}
		}
	}
	return false
}

// leaks reports whether text holds secret, as is or in a common encoding (percent-encoded,
// once or twice, or base64).
func leaks(text, secret string) bool {
	if text == "" || secret == "" {
		return false
	}
	forms := []string{secret, url.QueryEscape(secret), url.PathEscape(secret),
		base64.StdEncoding.EncodeToString([]byte(secret)), base64.RawURLEncoding.EncodeToString([]byte(secret))}
	texts := []string{text}
	for range 2 {
		if u, err := url.PathUnescape(texts[len(texts)-1]); err == nil {
			texts = append(texts, u)
		}
	}
	for _, t := range texts {
		for _, f := range forms {
			if strings.Contains(t, f) {
				return true
			}
		}
	}
	return false
}

// redact replaces every form of secret in link.
func redact(link, secret string) string {
	for _, s := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret)} {
		link = strings.ReplaceAll(link, s, "<SECRET>")
	}
	return link
}

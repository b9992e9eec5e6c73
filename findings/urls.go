package findings

import "fmt"

// secretInURL finds credential material in a request's URL.
type secretInURL struct{}

func (secretInURL) observe(e *Entry, report func(hit)) {
	if !CarriesCredential(*e) {
		return
	}
	rule, where := RuleSecretInURL, "in the URL of a request to the service"
	if e.Route == RoutePDF {
		rule, where = RuleSecretInLink, "in a report link it handed out (the link was downloaded)"
	}
	report(hit{rule: rule, lea: e.LEA, entry: e, evidence: []int64{e.Seq},
		detail: fmt.Sprintf("put a Secret Key or a token %s: %s %s", where, e.Method, e.Path)})
}

// badLinks finds downloads of links that expired or were changed.
type badLinks struct{}

func (badLinks) observe(e *Entry, report func(hit)) {
	if e.Route != RoutePDF || e.Status != 403 {
		return
	}
	switch e.Code {
	case "link_expired":
		report(hit{rule: RuleExpiredLink, lea: e.LEA, entry: e, evidence: []int64{e.Seq},
			detail: "a report link was downloaded after it expired (403 link_expired): " + e.Path})
	case "signature_invalid":
		report(hit{rule: RuleTamperedLink, lea: e.LEA, entry: e, evidence: []int64{e.Seq},
			detail: "a report link was downloaded with a signature that does not match it (403 signature_invalid): " + e.Path})
	}
}

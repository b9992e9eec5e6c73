package refvendor

import (
	"fmt"
	"sort"
)

// Fault is one deliberate way of getting the integration wrong.
type Fault struct {
	// Name is what `ssrmock vendor --fault` takes.
	Name string
	// Description says in one sentence what the vendor then does wrong.
	Description string
}

// The names of the deliberate faults.
const (
	FaultIgnoresNewCredentials = "ignores-new-credentials"
	FaultNeverReauthenticates  = "never-reauthenticates"
	FaultRetry401Loop          = "retry-401-loop"
	FaultCachesReportList      = "caches-report-list"
	FaultExpiredLinks          = "expired-links"
	FaultIgnoresRetryAfter     = "ignores-retry-after"
	FaultNoBackoff5xx          = "no-backoff-5xx"
	FaultNoReportsOnAuthError  = "no-reports-on-auth-error"
	FaultSecretInURL           = "secret-in-url"
	FaultShowsSuperseded       = "shows-superseded-report"
	FaultMixesUpStudents       = "mixes-up-students"
	FaultKeepsTransferred      = "keeps-transferred-student"
	FaultDropsTranslation      = "drops-translation"
	FaultNoTimeout             = "no-timeout"
	FaultForgetsRejection      = "retries-rejected-pair"

	FaultCachesEmptyList     = "caches-empty-list"
	FaultCachesNotFound      = "caches-not-found"
	FaultReusesListing       = "reuses-listing"
	FaultAccumulatesReports  = "accumulates-reports"
	FaultSpanishOnly         = "spanish-only"
	FaultNoKorean            = "no-korean"
	FaultDropsAlternate      = "drops-alternate-assessments"
	FaultDropsInitialELPAC   = "drops-initial-elpac"
	FaultPrimaryLanguageOnly = "primary-language-only"
	FaultLatestYearOnly      = "latest-year-only"
	FaultNoTokenTimeout      = "no-token-timeout"
	FaultTokenFailureRejects = "token-failure-is-rejection"
	FaultGivesUpOn401        = "gives-up-on-401"
	FaultRetries401SameToken = "retries-401-same-token"
	FaultCapsRetryAfter      = "caps-retry-after"
	FaultRetryAfterPerView   = "retry-after-per-view"
	FaultRetryAfterWallClock = "retry-after-wall-clock"
	FaultTokenInQuery        = "token-in-query"
	FaultTokenInLink         = "token-in-link"
	FaultSecretAsParamName   = "secret-as-param-name"
	FaultCredentialsInLink   = "credentials-in-link"
	FaultUsesFirstLEAPair    = "uses-first-lea-pair"
	FaultCachesPDFByID       = "caches-pdf-by-id"
	FaultNotFoundAsEmpty     = "not-found-as-empty"
	FaultNotFoundAsError     = "not-found-as-error"
	FaultUnavailableAsEmpty  = "unavailable-as-empty"
)

var faults = map[string]string{
	FaultIgnoresNewCredentials: "keeps using the first pair configured for an LEA and ignores the pairs the LEA enters later",
	FaultNeverReauthenticates:  "keeps its first token for good: once the token dies every page view is an authentication error, and it never asks for a new one",
	FaultRetry401Loop:          "answers every 401 by asking for a new token again at once, about 50 times in a tight loop",
	FaultCachesReportList:      "stores each student's list of reports the first time and never adds to it, so later releases never appear",
	FaultExpiredLinks:          "caches each student's listing for a day, handing out links long after their urlExpiresAt",
	FaultIgnoresRetryAfter:     "retries a 429 or 503 at once, 10 times, whatever its Retry-After says, and asks again on the next page view",
	FaultNoBackoff5xx:          "retries a 5xx at once, 20 times, with no backoff",
	FaultNoReportsOnAuthError:  "shows an empty list of reports (outcome ok) when authentication fails, instead of an authentication error",
	FaultSecretInURL:           "sends the User Name and Secret Key as query parameters of the token request, where proxies and logs keep them",
	FaultShowsSuperseded:       "keeps the first version it saw of each report, so an amended report is never shown",
	FaultMixesUpStudents:       "caches listings by LEA instead of by student, so a parent may see the reports of the student viewed just before",
	FaultKeepsTransferred:      "keeps showing a student's last listing after the service answers student_not_found (e.g. after a transfer)",
	FaultDropsTranslation:      "lists only the English reports and drops every translation",
	FaultNoTimeout:             "sets no timeout on its requests and waits for a slow response as long as it takes",
	FaultForgetsRejection:      "sends a rejected pair again on every page view instead of waiting for the LEA to enter a new one",

	FaultCachesEmptyList:     "remembers for an hour that a student has no reports, so a first report released meanwhile does not appear",
	FaultCachesNotFound:      "remembers student_not_found for a day, so a student who joins the LEA meanwhile stays \"not found\"",
	FaultReusesListing:       "reuses a student's listing until its links are a minute from urlExpiresAt, so releases, amendments and transfers show up to 29 minutes late",
	FaultAccumulatesReports:  "keeps every report it ever listed and shows them with the fresh listing, so amended and withdrawn reports linger",
	FaultSpanishOnly:         "knows only Spanish translations: reports in Vietnamese, Chinese, Filipino or Korean are left out",
	FaultNoKorean:            "knows the 2018-19 languages only: Korean reports are left out",
	FaultDropsAlternate:      "leaves out the alternate assessments (CAA and Alternate ELPAC)",
	FaultDropsInitialELPAC:   "treats the Initial ELPAC as a placement test, not a score report, and leaves it out",
	FaultPrimaryLanguageOnly: "shows a translated report in the student's primary language only, leaving out its English version",
	FaultLatestYearOnly:      "shows only the latest school year of each assessment, hiding the score history",
	FaultNoTokenTimeout:      "sets a timeout on report listings but none on the token request, so a slow token endpoint hangs the page",
	FaultTokenFailureRejects: "treats any failed token request (a 5xx, a timeout) as rejected credentials and stops using the pair until the LEA enters it again",
	FaultGivesUpOn401:        "shows an authentication error when a listing answers 401, instead of getting a new token and trying once more",
	FaultRetries401SameToken: "retries a listing refused with 401 once with the same token instead of getting a new one",
	FaultCapsRetryAfter:      "waits at most 60 seconds whatever Retry-After says",
	FaultRetryAfterPerView:   "honours Retry-After only within one page view and calls again on the next",
	FaultRetryAfterWallClock: "counts Retry-After from its own wall clock instead of the service's Date, so it stays quiet far too long",
	FaultTokenInQuery:        "sends the token as an access_token query parameter of each listing, besides the Authorization header",
	FaultTokenInLink:         "appends its token to the links it hands the parent (access_token=…)",
	FaultSecretAsParamName:   "sends the Secret Key as the bare query string of the token request (/token?<Secret Key>), the way some APIs take an API key",
	FaultCredentialsInLink:   "hands the parent links that carry the LEA's Secret Key (secretKey=…), for its own download proxy",
	FaultUsesFirstLEAPair:    "looks every student up with the pair of the first LEA configured, whichever LEA's page the parent opened",
	FaultCachesPDFByID:       "serves the PDFs itself, cached by report id without the version, so an amended report keeps its old bytes",
	FaultNotFoundAsEmpty:     "shows an empty list of reports (outcome ok) on student_not_found, as if the student had nothing released yet",
	FaultNotFoundAsError:     "handles student_not_found like any other 4xx: outcome error instead of not_found",
	FaultUnavailableAsEmpty:  "swallows failures of the service (5xx, 429, timeouts, dropped connections) and shows an empty list of reports",
}

// Faults lists the deliberate faults, by name.
func Faults() []Fault {
	out := make([]Fault, 0, len(faults))
	for n, d := range faults {
		out = append(out, Fault{Name: n, Description: d})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// checkFault returns an error unless name is "" or a known fault.
func checkFault(name string) error {
	if _, ok := faults[name]; name != "" && !ok {
		return fmt.Errorf("unknown fault %q (see --list-faults)", name)
	}
	return nil
}

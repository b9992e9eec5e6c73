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

package findings

import "time"

// Rule describes one rule the findings judge.
type Rule struct {
	// ID is the conformance suite's spec id where the suite checks the same rule.
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Severity Severity `json:"severity"`
	// Threshold says when traffic breaks the rule.
	Threshold string `json:"threshold"`
	// Fix says what the integration should do.
	Fix string `json:"fix"`
	// Ours is true when the suite has no spec of that id: the rule is the mock's own.
	Ours bool `json:"ours,omitempty"`
	// OurThreshold is true when the threshold is ssrmock's choice: the real service
	// publishes none (no retry, back-off or rate policy is public).
	OurThreshold bool `json:"ourThreshold,omitempty"`
}

// Thresholds. Where the real service publishes none, they are our choice (docs/findings.md).
const (
	// ResendsAllowed is how many times a pair may be sent again after the service rejected
	// it (one immediate retry).
	ResendsAllowed = 1
	// DeadTokenSendsAllowed is how many listings may carry a token the service refused as
	// expired or superseded before a new token is asked for: the one that learnt it.
	DeadTokenSendsAllowed = 1
	// LoopCount 401 answers to one LEA's requests within LoopWindow of real time, with no
	// listing answered in between, are a loop.
	LoopCount  = 10
	LoopWindow = 10 * time.Second
	// UnneededTokens tokens in a row, each minted while the pair's previous token was younger
	// than half of TokenLifetime and none of the LEA's listings was refused since, mean a new
	// token for every call.
	UnneededTokens = 2
	// RetryAfterAllowed is how many requests an LEA may send before the Retry-After time of
	// a 429 or 503 answer has passed (sandbox time, from the answer's Date).
	RetryAfterAllowed = 1
	// ServerErrorRun answers of 500 or more without Retry-After in a row on one LEA's route,
	// within ServerErrorWindow of real time, are retries without limit or back-off.
	ServerErrorRun    = 10
	ServerErrorWindow = 5 * time.Second
	// SlowAnswer is the shortest delay a fault must hold an answer back for the findings to
	// judge whether the client timed out; the suite's slow specs use the same.
	SlowAnswer = 4 * time.Second
)

// The rules, in the order docs/findings.md lists them.
var (
	RuleRejectedPair = Rule{OurThreshold: true, ID: "authentication/remember-rejected-pair", Title: "A rejected pair sent again", Severity: Error,
		Threshold: "more than 1 token request with a User Name after its pair was answered 401 invalid_credentials, with no token issued to it in between",
		Fix:       "remember the 401 invalid_credentials and show an authentication error until the LEA enters new credentials"}
	RuleSupersededPair = Rule{OurThreshold: true, ID: "regeneration/stop-superseded-secret", Title: "A superseded pair sent again", Severity: Error,
		Threshold: "more than 1 token request with a pair a regeneration superseded, after the service rejected it",
		Fix:       "use only the pair the LEA entered last; once the old pair is refused, ask the LEA for the new one"}
	RuleExpiredPair = Rule{OurThreshold: true, ID: "credential-expiry/expired-is-auth-error", Title: "An expired pair sent again", Severity: Error,
		Threshold: "more than 1 token request with a pair after the service answered 401 credentials_expired for it",
		Fix:       "show an authentication error and wait for the LEA to regenerate its pair in TOMS"}
	RuleRetryLoop = Rule{OurThreshold: true, ID: "authentication/no-retry-loop", Title: "A 401 retried in a loop", Severity: Error,
		Threshold: "more than 10 answers 401 to one LEA's token and listing requests within 10 seconds of real time, with no listing answered in between",
		Fix:       "on a 401 listing, get a new token once and retry once; on a 401 token request, stop and show an authentication error"}
	RuleDeadToken = Rule{OurThreshold: true, ID: "authentication/renew-expired-token", Title: "A dead token sent again", Severity: Error,
		Threshold: "more than 1 listing with a token of one pair that the service refused as expired or superseded, with no new token asked for in between",
		Fix:       "on 401 token_expired ask /api/v1/token for a new token (or renew before expires_in runs out); never send a refused token again"}
	RuleReuseToken = Rule{OurThreshold: true, ID: "authentication/reuse-token", Title: "A new token for every call", Severity: Warning,
		Threshold: "2 tokens in a row for one pair, each minted while the previous one was younger than 15 minutes (half its 30-minute life) and no listing of the LEA was refused since",
		Fix:       "keep the token and reuse it until it expires (expires_in) or a listing is refused with 401"}
	RuleRetryAfter429 = Rule{OurThreshold: true, ID: "resilience/retry-after-429", Title: "Retry-After of a 429 not honoured", Severity: Error,
		Threshold: "more than 1 token or listing request of the LEA before the Retry-After time of a 429 answer had passed, in sandbox time",
		Fix:       "wait until the Retry-After time, counted from the answer's Date, before calling again (at most one request before it)"}
	RuleRetryAfter503 = Rule{OurThreshold: true, ID: "resilience/retry-after-503", Title: "Retry-After of a 503 not honoured", Severity: Error,
		Threshold: "more than 1 token or listing request of the LEA before the Retry-After time of a 503 answer had passed, in sandbox time",
		Fix:       "tell the parent the service is unavailable and wait until the Retry-After time before calling again"}
	RuleServerErrors = Rule{OurThreshold: true, ID: "resilience/server-error-backoff", Title: "5xx retried without limit or back-off", Severity: Error,
		Threshold: "more than 10 answers of 500 or more (without Retry-After) in a row on one LEA's token or listing route within 5 seconds of real time",
		Fix:       "retry a server error at most twice per page view, with a growing back-off, then tell the parent the service is unavailable"}
	RuleSecretInURL = Rule{ID: "authentication/no-secret-in-url", Title: "Credential material in a URL", Severity: Error,
		Threshold: "any token or listing request whose URL carried a Secret Key or a token",
		Fix:       "send the pair only in the JSON body of POST /api/v1/token and the token only as Authorization: Bearer"}
	RuleSecretInLink = Rule{ID: "links/no-secret-in-link", Title: "Credential material in a report link", Severity: Error,
		Threshold: "any download of a report link whose URL carried a Secret Key or a token",
		Fix:       "hand the parent the signed link the service listed, with no credential added"}
	RuleExpiredLink = Rule{ID: "links/fresh-after-30-minutes", Title: "An expired link fetched", Severity: Error,
		Threshold: "any download answered 403 link_expired (the link was older than 30 minutes of sandbox time)",
		Fix:       "list the reports again for fresh links instead of handing out a link past its urlExpiresAt"}
	RuleTamperedLink = Rule{ID: "links/untampered-link", Title: "A tampered link fetched", Severity: Error, Ours: true,
		Threshold: "any download answered 403 signature_invalid (the link was changed after the service signed it)",
		Fix:       "hand out the link exactly as listed: do not rewrite, re-encode or append to its query"}
	RuleOtherLEA = Rule{ID: "enrollment-privacy/own-credentials-only", Title: "A student of another LEA listed", Severity: Warning,
		Threshold: "any listing with one LEA's pair answered 404 student_not_found for a student enrolled in another LEA of the sandbox",
		Fix:       "look a student up with the pair of the LEA whose page the parent opened; if that was this LEA, the answer is right and the finding can be ignored"}
	RuleSlowResponse = Rule{OurThreshold: true, ID: "resilience/slow-response", Title: "No timeout on report listings", Severity: Error,
		Threshold: "a listing whose answer a fault held back 4 seconds or more and that the client waited for to the end",
		Fix:       "give every request a timeout of a few seconds and answer the parent \"unavailable\" when it fires"}
	RuleSlowToken = Rule{OurThreshold: true, ID: "resilience/slow-token-endpoint", Title: "No timeout on token requests", Severity: Error,
		Threshold: "a token request whose answer a fault held back 4 seconds or more and that the client waited for to the end",
		Fix:       "give the token request a timeout of a few seconds too"}
)

// Rules lists every rule the findings judge.
var Rules = []Rule{
	RuleRejectedPair, RuleSupersededPair, RuleExpiredPair, RuleRetryLoop, RuleDeadToken, RuleReuseToken,
	RuleRetryAfter429, RuleRetryAfter503, RuleServerErrors, RuleSecretInURL, RuleSecretInLink,
	RuleExpiredLink, RuleTamperedLink, RuleOtherLEA, RuleSlowResponse, RuleSlowToken,
}

// newRules returns fresh state for every rule.
func newRules() []rule {
	return []rule{
		&pairResent{}, &retryLoop{}, &deadToken{}, &tokenReuse{}, &retryAfter{}, &serverErrors{},
		secretInURL{}, badLinks{}, otherLEA{}, noTimeout{},
	}
}

// subjects is per-LEA or per-pair state, forgotten wholesale past maxSubjects.
type subjects[T any] = keyed[string, T]

// keyed is state by key, forgotten wholesale past maxSubjects.
type keyed[K comparable, T any] map[K]*T

// get returns key's state, creating it.
func (s *keyed[K, T]) get(key K) *T {
	if *s == nil || len(*s) >= maxSubjects && (*s)[key] == nil {
		*s = keyed[K, T]{}
	}
	v := (*s)[key]
	if v == nil {
		v = new(T)
		(*s)[key] = v
	}
	return v
}

package findings

import "time"

// Routes of the vendor API, as the journal names them.
const (
	RouteToken   = "token"
	RouteReports = "reports"
	RoutePDF     = "pdf"
)

// SuiteClient is the X-SSRMock-Client value of the conformance suite's own requests (the
// links it follows as a parent's browser would).
const SuiteClient = "ssrmock-conformance"

// TokenLifetime is how long an access token lives (expires_in), in sandbox time.
const TokenLifetime = 30 * time.Minute

// Entry is one vendor request as the journal records it, with the fields the rules read.
type Entry struct {
	Seq    int64
	At     time.Time // sandbox time
	RealAt time.Time // real time: sandbox time stands still between clock moves
	Method string
	Path   string
	Route  string // RouteToken, RouteReports or RoutePDF
	LEA    string
	// Username is the User Name sent to the token route, or the one the bearer token was
	// minted under.
	Username string
	// Credential is the state of the pair sent to the token route: "current",
	// "superseded", "expired", "unknown"; "" on other routes.
	Credential string
	// TokenState is the state of the bearer token sent: "valid", "superseded", "expired",
	// "unknown"; "" when none was sent.
	TokenState string
	SSID       string
	Status     int
	Code       string
	RetryAfter time.Duration
	// Delay is how long a fault held the answer back; Code is "client_gone" when the client
	// gave up first.
	Delay time.Duration
	// StudentLEA is the LEA the student is enrolled in, set on a 404 student_not_found
	// listing of a student who exists.
	StudentLEA  string
	SecretInURL bool
	Client      string
}

// CarriesCredential reports whether the request's URL carried credential material (a
// Secret Key, a token the sandbox signed, a link signature outside its parameter), as the
// server flags it.
func CarriesCredential(e Entry) bool { return e.SecretInURL }

// SentSupersededPair reports whether e is a token request with a pair a regeneration has
// superseded.
func SentSupersededPair(e Entry) bool {
	return e.Route == RouteToken && e.Credential == "superseded"
}

// integration reports whether e is a call of the vendor's integration itself (the token and
// listing routes), as opposed to a download of a link, which a parent's browser may make.
func integration(e Entry) bool {
	return (e.Route == RouteToken || e.Route == RouteReports) && e.Client != SuiteClient
}

// Package driver is the protocol through which the conformance suite drives a vendor's
// integration with the Student Score Report service, in any language.
//
// A vendor implements Driver in Go and hands it to Serve (JSON lines on stdin/stdout, for
// `ssrmock conform --driver-cmd`) or NewHandler (HTTP, for --driver-url), or speaks the same
// JSON from any other language. The suite talks to it through a Client, from Start or Dial.
//
// Both transports carry the same messages. A request is one JSON object with the operation's
// fields at the top level; over stdin/stdout it also carries "id" and "op":
//
//	{"id":3,"op":"view","lea":"01611920000000","ssid":"1234567890"}
//	{"id":3,"ok":true,"outcome":"ok","reports":[{"schoolYear":"2018-19","assessment":"summative-elpac","language":"en","url":"…"}]}
//	{"id":4,"ok":false,"error":"what went wrong"}
//
// Over HTTP the request is POST {url}/{op} with the body above minus "id" and "op", and the
// reply is the same object minus "id".
package driver

import (
	"context"
	"time"
)

// The operations of the protocol.
const (
	OpHello     = "hello"
	OpReset     = "reset"
	OpConfigure = "configure"
	OpView      = "view"
	OpClock     = "clock"
	OpSync      = "sync"
)

// The optional capabilities a driver may announce in Hello. Each switches optional specs on.
const (
	// CapClock means the driver implements Clocked: its clock follows the sandbox's.
	CapClock = "clock"
	// CapSync means the driver implements Syncer: its scheduled job can be run on demand.
	CapSync = "sync"
)

// Hello is a driver's answer to the hello operation.
type Hello struct {
	// Name names the integration, e.g. "Acme SIS".
	Name string `json:"name"`
	// Version is the integration's version.
	Version string `json:"version"`
	// Capabilities lists the optional operations supported: CapClock, CapSync.
	Capabilities []string `json:"capabilities"`
}

// Has reports whether h announces the capability c.
func (h Hello) Has(c string) bool {
	for _, x := range h.Capabilities {
		if x == c {
			return true
		}
	}
	return false
}

// Config is what an LEA administrator pastes into the vendor's settings page: the LEA's
// credentials and the service's base URL ("…/api/v1"). With School set the pair is that
// school's own, which overrides the LEA's for the school's students.
type Config struct {
	LEA string `json:"lea"`
	// School is the 14-digit CDS code of a school with its own pair; "" for the LEA's pair.
	School    string `json:"school,omitempty"`
	BaseURL   string `json:"baseURL"`
	Username  string `json:"username"`
	SecretKey string `json:"secretKey"`
}

// Outcome is how a view went, as the parent would experience it.
type Outcome string

// The outcomes of a view. Any other value on the wire is a harness error.
const (
	// OK means the student's reports are shown (possibly none).
	OK Outcome = "ok"
	// AuthError means the vendor could not authenticate with the LEA's credentials.
	AuthError Outcome = "auth_error"
	// Unavailable means the service is down, slow or rate limiting; try later.
	Unavailable Outcome = "unavailable"
	// NotFound means the service does not know the student for this LEA.
	NotFound Outcome = "not_found"
	// Failed means anything else, e.g. a malformed SSID.
	Failed Outcome = "error"
)

// Valid reports whether o is one of the five outcomes of the protocol.
func (o Outcome) Valid() bool {
	switch o {
	case OK, AuthError, Unavailable, NotFound, Failed:
		return true
	}
	return false
}

// ViewReport is one report on the student's page: either the link handed to the browser (URL)
// or the SHA-256 (hex) of the bytes the vendor served itself.
type ViewReport struct {
	SchoolYear string `json:"schoolYear"`
	Assessment string `json:"assessment"`
	Language   string `json:"language"`
	// Format is the report's format as the service lists it, "pdf" or "html"; "" means pdf.
	Format string `json:"format,omitempty"`
	URL    string `json:"url,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
}

// View is what a parent sees when opening a student's score-report page.
type View struct {
	Outcome Outcome      `json:"outcome"`
	Reports []ViewReport `json:"reports"`
	// Message is free text for humans, e.g. why authentication failed.
	Message string `json:"message,omitempty"`
}

// Driver is what a vendor implements in Go. Its methods may be called concurrently when it is
// served over HTTP; Serve calls them one at a time.
//
// An error return means the driver could not perform the operation at all; it travels as
// {"ok":false,"error":…} and the suite sees a *DriverError. A view that went badly for the
// parent is not an error: it is a View with an Outcome other than OK.
type Driver interface {
	Hello(ctx context.Context) (Hello, error)
	// Reset forgets everything: credentials, tokens, caches.
	Reset(ctx context.Context) error
	// Configure stores an LEA's credentials, replacing any earlier ones.
	Configure(ctx context.Context, c Config) error
	// View shows the reports of student ssid through the credentials of lea.
	View(ctx context.Context, lea, ssid string) (View, error)
}

// Clocked is implemented by drivers whose clock can be set: the sandbox's time moved to now.
// Such a driver announces CapClock.
type Clocked interface {
	Clock(ctx context.Context, now time.Time) error
}

// SchoolViewer is implemented by drivers that take the student's school with a view, so that
// they can use the school's own pair where the LEA gave the school one. A view request with a
// "school" goes to ViewSchool when the driver implements it, to View otherwise.
type SchoolViewer interface {
	ViewSchool(ctx context.Context, lea, school, ssid string) (View, error)
}

// Syncer is implemented by drivers with a scheduled job (e.g. new-report notifications) that
// can be run on demand. Such a driver announces CapSync.
type Syncer interface {
	Sync(ctx context.Context) error
}

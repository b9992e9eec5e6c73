package server

import (
	"errors"
	"fmt"
	"net/http"
)

// Error codes. Each maps to one HTTP status in codeStatus.
const (
	CodeBadRequest            = "bad_request"
	CodeInvalidSSID           = "invalid_ssid"
	CodeInvalidCDS            = "invalid_cds"
	CodeAuthorizationRequired = "authorization_required"
	CodeInvalidCredentials    = "invalid_credentials"
	CodeCredentialsExpired    = "credentials_expired"
	CodeInvalidToken          = "invalid_token"
	CodeTokenExpired          = "token_expired"
	CodeUnauthorized          = "unauthorized"
	CodeLinkExpired           = "link_expired"
	// CodeSchoolCredentialsRequired refuses an LEA's pair for a student whose school has its own.
	CodeSchoolCredentialsRequired = "school_credentials_required"
	CodeSignatureInvalid          = "signature_invalid"
	CodeForbidden                 = "forbidden"
	CodeNotFound                  = "not_found"
	CodeStudentNotFound           = "student_not_found"
	CodeMethodNotAllowed          = "method_not_allowed"
	CodeConflict                  = "conflict"
	CodeLimitReached              = "limit_reached"
	CodePayloadTooLarge           = "payload_too_large"
	CodeUnsupportedMediaType      = "unsupported_media_type"
	CodeHeadersTooLarge           = "headers_too_large"
	CodeRateLimited               = "rate_limited"
	CodeInternal                  = "internal"
	CodeUnavailable               = "unavailable"
	CodeMaintenance               = "maintenance"
)

var codeStatus = map[string]int{
	CodeBadRequest:                http.StatusBadRequest,
	CodeInvalidSSID:               http.StatusBadRequest,
	CodeInvalidCDS:                http.StatusBadRequest,
	CodeAuthorizationRequired:     http.StatusBadRequest,
	CodeInvalidCredentials:        http.StatusUnauthorized,
	CodeCredentialsExpired:        http.StatusUnauthorized,
	CodeInvalidToken:              http.StatusUnauthorized,
	CodeTokenExpired:              http.StatusUnauthorized,
	CodeUnauthorized:              http.StatusUnauthorized,
	CodeLinkExpired:               http.StatusForbidden,
	CodeSchoolCredentialsRequired: http.StatusForbidden,
	CodeSignatureInvalid:          http.StatusForbidden,
	CodeForbidden:                 http.StatusForbidden,
	CodeNotFound:                  http.StatusNotFound,
	CodeStudentNotFound:           http.StatusNotFound,
	CodeMethodNotAllowed:          http.StatusMethodNotAllowed,
	CodeConflict:                  http.StatusConflict,
	CodeLimitReached:              http.StatusConflict,
	CodePayloadTooLarge:           http.StatusRequestEntityTooLarge,
	CodeUnsupportedMediaType:      http.StatusUnsupportedMediaType,
	CodeHeadersTooLarge:           http.StatusRequestHeaderFieldsTooLarge,
	CodeRateLimited:               http.StatusTooManyRequests,
	CodeInternal:                  http.StatusInternalServerError,
	CodeUnavailable:               http.StatusServiceUnavailable,
	CodeMaintenance:               http.StatusServiceUnavailable,
}

// Error is an error the API reports to its client: a code from the list above and a message
// meant for the person reading it. Any other error is answered as internal, without detail.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorStatus returns the HTTP status of code; unknown codes are 500.
func ErrorStatus(code string) int {
	if s, ok := codeStatus[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// apiError returns err as an *Error when it is one, and nil otherwise.
func apiError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// statusCode is the error code of an answer whose status was chosen elsewhere (the web UI's
// file server, net/http's own refusals): the code of that status, or the nearest general one.
func statusCode(status int) string {
	for _, code := range []string{CodeBadRequest, CodeForbidden, CodeNotFound, CodeMethodNotAllowed, CodePayloadTooLarge,
		CodeUnsupportedMediaType, CodeHeadersTooLarge, CodeInternal} {
		if codeStatus[code] == status {
			return code
		}
	}
	if status >= 500 {
		return CodeInternal
	}
	return CodeBadRequest
}

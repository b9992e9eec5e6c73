// Package openapi holds the OpenAPI description of ssrmock's vendor and control APIs.
package openapi

import (
	_ "embed"
	"net/http"
)

//go:embed openapi.json
var document []byte

// Document returns the OpenAPI document.
func Document() []byte { return document }

// Handler serves the OpenAPI document.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(document)
	})
}

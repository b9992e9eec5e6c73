package server

import (
	"crypto/subtle"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/ssrmock/ssrmock/server/openapi"
	"github.com/ssrmock/ssrmock/server/web"
)

// routes registers every route of the server.
func (s *Server) routes(r *mux.Router) {
	vendor := r.PathPrefix("/api/v1").Subrouter()
	s.registerVendorRoutes(vendor)
	control := r.PathPrefix("/control/v1").Subrouter()
	control.Use(s.requireControlToken)
	s.registerControlRoutes(control)
	s.registerHealthRoutes(r)
	r.Handle("/openapi.json", openapi.Handler()).Methods(http.MethodGet, http.MethodHead)
	r.PathPrefix("/").Handler(envelopeErrors(web.Handler())).Methods(http.MethodGet, http.MethodHead)
	for _, router := range []*mux.Router{r, vendor, control} {
		router.NotFoundHandler = http.HandlerFunc(s.handleNoRoute)
		router.MethodNotAllowedHandler = http.HandlerFunc(s.handleWrongMethod)
	}
}

// handleNoRoute answers a request no route matched. gorilla/mux reports a method mismatch
// inside a subrouter as not found, so this asks the router whether the path exists under
// another method and answers 405 when it does.
func (s *Server) handleNoRoute(w http.ResponseWriter, r *http.Request) {
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodDelete} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		var match mux.RouteMatch
		if s.router.Match(probe, &match) && match.MatchErr == nil {
			s.handleWrongMethod(w, r)
			return
		}
	}
	s.writeError(w, r, Errorf(CodeNotFound, "no route %s %s", r.Method, redactPath(r.URL.Path)))
}

func (s *Server) handleWrongMethod(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, r, Errorf(CodeMethodNotAllowed, "%s is not allowed on %s", r.Method, redactPath(r.URL.Path)))
}

// registerVendorRoutes registers the API a vendor's integration calls. vendorDispatch answers
// the same routes first, without the router.
func (s *Server) registerVendorRoutes(r *mux.Router) {
	r.HandleFunc("/token", s.handleToken).Methods(http.MethodPost)
	r.HandleFunc("/students/{ssid}/reports", func(w http.ResponseWriter, r *http.Request) {
		s.serveReports(w, r, mux.Vars(r)["ssid"])
	}).Methods(http.MethodGet)
	r.HandleFunc("/files/{sbx}/{id}", func(w http.ResponseWriter, r *http.Request) {
		v := mux.Vars(r)
		s.serveFile(w, r, v["sbx"], v["id"])
	}).Methods(http.MethodGet, http.MethodHead)
}

// registerHealthRoutes registers the liveness and readiness probes, outside every API: no
// token, no journal.
func (s *Server) registerHealthRoutes(r *mux.Router) {
	r.HandleFunc("/healthz", s.handleHealthz).Methods(http.MethodGet)
	r.HandleFunc("/readyz", s.handleReadyz).Methods(http.MethodGet)
}

// registerControlRoutes registers the API that tests, the suite and demos steer sandboxes with.
func (s *Server) registerControlRoutes(r *mux.Router) {
	r.HandleFunc("/sandboxes", s.handleCreateSandbox).Methods(http.MethodPost)
	r.HandleFunc("/sandboxes", s.handleListSandboxes).Methods(http.MethodGet)
	r.HandleFunc("/sandboxes/{sbx}", s.handleGetSandbox).Methods(http.MethodGet)
	r.HandleFunc("/sandboxes/{sbx}", s.handleDeleteSandbox).Methods(http.MethodDelete)
	r.HandleFunc("/sandboxes/{sbx}/clock", s.handleGetClock).Methods(http.MethodGet)
	r.HandleFunc("/sandboxes/{sbx}/clock", s.handleMoveClock).Methods(http.MethodPost)
	r.HandleFunc("/sandboxes/{sbx}/leas", s.handleLEAs).Methods(http.MethodGet)
	r.HandleFunc("/sandboxes/{sbx}/leas/{lea}/credentials", s.handleGenerateCredentials).Methods(http.MethodPost)
	r.HandleFunc("/sandboxes/{sbx}/leas/{lea}/credentials", s.handleCredentialStatus).Methods(http.MethodGet)
	r.HandleFunc("/sandboxes/{sbx}/leas/{lea}/students", s.handleRoster).Methods(http.MethodGet)
	r.HandleFunc("/sandboxes/{sbx}/leas/{lea}/schools", s.handleSchools).Methods(http.MethodGet)
	r.HandleFunc("/sandboxes/{sbx}/leas/{lea}/schools/{school}/credentials", s.handleGenerateSchoolCredentials).Methods(http.MethodPost)
	r.HandleFunc("/sandboxes/{sbx}/leas/{lea}/schools/{school}/credentials", s.handleSchoolCredentialStatus).Methods(http.MethodGet)
	r.HandleFunc("/sandboxes/{sbx}/students/{ssid}", s.handleStudent).Methods(http.MethodGet)
	r.HandleFunc("/sandboxes/{sbx}/students/{ssid}/reports", s.handleGroundTruth).Methods(http.MethodGet)
	r.HandleFunc("/sandboxes/{sbx}/students/{ssid}/transfer", s.handleTransfer).Methods(http.MethodPost)
	r.HandleFunc("/sandboxes/{sbx}/reports/{id}/amend", s.handleAmend).Methods(http.MethodPost)
	r.HandleFunc("/sandboxes/{sbx}/faults", s.handleAddFault).Methods(http.MethodPost)
	r.HandleFunc("/sandboxes/{sbx}/faults", s.handleListFaults).Methods(http.MethodGet)
	r.HandleFunc("/sandboxes/{sbx}/faults", s.handleClearFaults).Methods(http.MethodDelete)
	r.HandleFunc("/sandboxes/{sbx}/faults/{id}", s.handleDeleteFault).Methods(http.MethodDelete)
	r.HandleFunc("/sandboxes/{sbx}/journal", s.handleJournal).Methods(http.MethodGet)
	r.HandleFunc("/sandboxes/{sbx}/findings", s.handleFindings).Methods(http.MethodGet)
}

// requireControlToken guards the control API with the configured bearer token, if any. The
// scheme is case-insensitive (RFC 9110, section 11.1); the token is compared in constant time.
func (s *Server) requireControlToken(next http.Handler) http.Handler {
	want := []byte(s.cfg.ControlToken)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.ControlToken != "" {
			scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
			if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), want) != 1 {
				s.writeError(w, r, Errorf(CodeUnauthorized, "the control API needs Authorization: Bearer <control token>"))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

// sortBy sorts list by a string key.
func sortBy[T any](list []T, key func(T) string) {
	slices.SortFunc(list, func(a, b T) int { return strings.Compare(key(a), key(b)) })
}

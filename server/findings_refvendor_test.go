package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
	"github.com/ssrmock/ssrmock/conformance/driver"
	"github.com/ssrmock/ssrmock/conformance/refvendor"
	"github.com/ssrmock/ssrmock/findings"
	"github.com/ssrmock/ssrmock/server"
)

// session is what a vendor team does against a plain server: configure pairs, open pages,
// while the mock misbehaves as scheduled. No suite runs; only the findings judge.
type session struct {
	t      *testing.T
	ctx    context.Context
	api    *controlapi.Client
	sb     controlapi.Sandbox
	v      *refvendor.Vendor
	leas   []string
	ssids  map[string]string // LEA → a student enrolled there with reports
	hc     *http.Client
	faults []controlapi.Fault
}

func (s *session) connect(lea string) controlapi.Credentials {
	s.t.Helper()
	cr, err := s.api.GenerateCredentials(s.ctx, s.sb.ID, lea, controlapi.CoordinatorCAASPP)
	if err != nil {
		s.t.Fatal(err)
	}
	s.configure(lea, cr)
	return cr
}

func (s *session) configure(lea string, cr controlapi.Credentials) {
	s.t.Helper()
	if err := s.v.Configure(s.ctx, driver.Config{LEA: lea, BaseURL: s.sb.APIBase, Username: cr.Username, SecretKey: cr.SecretKey}); err != nil {
		s.t.Fatal(err)
	}
}

// view opens the page of lea's student at lea and follows its links, as the parent's browser
// does.
func (s *session) view(lea string) {
	s.viewOf(lea, s.ssids[lea])
}

func (s *session) viewOf(lea, ssid string) {
	s.t.Helper()
	v, err := s.v.View(s.ctx, lea, ssid)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, r := range v.Reports {
		if r.URL == "" {
			continue
		}
		resp, err := s.hc.Get(r.URL)
		if err != nil {
			continue // the vendor's own proxy, say: not the service
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

func (s *session) advance(d time.Duration) {
	s.t.Helper()
	c, err := s.api.Advance(s.ctx, s.sb.ID, d)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := s.v.Clock(s.ctx, c.Now); err != nil {
		s.t.Fatal(err)
	}
}

func (s *session) fault(f controlapi.Fault) {
	s.t.Helper()
	if _, err := s.api.AddFault(s.ctx, s.sb.ID, f); err != nil {
		s.t.Fatal(err)
	}
}

func (s *session) now() time.Time {
	s.t.Helper()
	c, err := s.api.Clock(s.ctx, s.sb.ID)
	if err != nil {
		s.t.Fatal(err)
	}
	return c.Now
}

// scenarios are the sessions the faults show in, by name.
var scenarios = map[string]func(s *session){
	"wrong pair": func(s *session) {
		cr, err := s.api.GenerateCredentials(s.ctx, s.sb.ID, s.leas[0], controlapi.CoordinatorCAASPP)
		if err != nil {
			s.t.Fatal(err)
		}
		wrong := "X"
		if cr.SecretKey[0] == 'X' {
			wrong = "Y"
		}
		cr.SecretKey = wrong + cr.SecretKey[1:]
		s.configure(s.leas[0], cr)
		for range 3 {
			s.view(s.leas[0])
			s.advance(time.Minute)
		}
	},
	"regenerated pair": func(s *session) {
		s.connect(s.leas[0])
		s.view(s.leas[0])
		s.advance(time.Minute)
		s.connect(s.leas[0])
		for range 3 {
			s.view(s.leas[0])
			s.advance(time.Minute)
		}
	},
	"listings refused": func(s *session) {
		s.connect(s.leas[0])
		s.view(s.leas[0])
		now := s.now()
		s.fault(controlapi.Fault{Route: controlapi.RouteReports, Status: 401, Code: "invalid_token", From: now, Until: now.Add(time.Hour)})
		s.view(s.leas[0])
	},
	"rate limited": func(s *session) {
		s.connect(s.leas[0])
		s.view(s.leas[0])
		s.fault(controlapi.Fault{Route: controlapi.RouteReports, Status: 429, Code: "rate_limited", RetryAfter: controlapi.Duration(time.Minute), Count: 1})
		for range 3 {
			s.view(s.leas[0])
		}
	},
	"maintenance": func(s *session) {
		s.connect(s.leas[0])
		s.view(s.leas[0])
		now := s.now()
		s.fault(controlapi.Fault{Route: controlapi.RouteAll, Status: 503, Code: "maintenance", RetryAfter: controlapi.Duration(10 * time.Minute), From: now, Until: now.Add(10 * time.Minute)})
		for range 3 {
			s.view(s.leas[0])
		}
		s.advance(11 * time.Minute)
		s.view(s.leas[0])
	},
	"server errors": func(s *session) {
		s.connect(s.leas[0])
		now := s.now()
		s.fault(controlapi.Fault{Route: controlapi.RouteReports, Status: 500, Code: "internal", From: now, Until: now.Add(time.Hour)})
		s.view(s.leas[0])
	},
	"token renewals and links": func(s *session) {
		s.connect(s.leas[0])
		s.view(s.leas[0])
		s.advance(10 * time.Minute)
		s.view(s.leas[0])
		s.advance(40 * time.Minute) // past the token's life and the first links'
		s.view(s.leas[0])
		s.advance(time.Minute)
		s.view(s.leas[0])
	},
	"regenerated, not entered": func(s *session) {
		s.connect(s.leas[0])
		s.view(s.leas[0])
		if _, err := s.api.GenerateCredentials(s.ctx, s.sb.ID, s.leas[0], controlapi.CoordinatorELPAC); err != nil {
			s.t.Fatal(err)
		}
		for range 3 {
			s.advance(time.Minute)
			s.view(s.leas[0])
		}
	},
	"two LEAs": func(s *session) {
		s.connect(s.leas[0])
		s.connect(s.leas[1])
		s.view(s.leas[0])
		s.view(s.leas[1])
	},
	"slow listing": func(s *session) {
		s.connect(s.leas[0])
		s.view(s.leas[0])
		s.fault(controlapi.Fault{Route: controlapi.RouteReports, Delay: controlapi.Duration(findings.SlowAnswer), Count: 1})
		s.view(s.leas[0])
	},
	"slow token": func(s *session) {
		s.connect(s.leas[0])
		s.fault(controlapi.Fault{Route: controlapi.RouteToken, Delay: controlapi.Duration(findings.SlowAnswer), Count: 1})
		s.view(s.leas[0])
	},
}

// TestFindingsOfTheReferenceVendor drives the reference vendor, correct and with each of its
// journal-visible faults, against a plain server, and compares the findings with the rules
// each fault breaks.
func TestFindingsOfTheReferenceVendor(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the mock server and waits out held-back answers")
	}
	srv, err := server.New(server.Config{Seed: 1, Scenario: "2018-19", Scale: "tiny"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })

	cases := []struct {
		fault    string // "" is the correct vendor
		scenario string
		want     []string
	}{
		{"retries-rejected-pair", "wrong pair", []string{findings.RuleRejectedPair.ID}},
		{"retries-rejected-pair", "regenerated, not entered", []string{findings.RuleSupersededPair.ID}},
		{"retry-401-loop", "listings refused", []string{findings.RuleRetryLoop.ID}},
		{"ignores-retry-after", "rate limited", []string{findings.RuleRetryAfter429.ID}},
		{"ignores-retry-after", "maintenance", []string{findings.RuleRetryAfter503.ID}},
		{"retry-after-per-view", "maintenance", []string{findings.RuleRetryAfter503.ID}},
		{"no-backoff-5xx", "server errors", []string{findings.RuleServerErrors.ID}},
		{"secret-in-url", "token renewals and links", []string{findings.RuleSecretInURL.ID}},
		{"secret-as-param-name", "token renewals and links", []string{findings.RuleSecretInURL.ID}},
		{"token-in-query", "token renewals and links", []string{findings.RuleSecretInURL.ID}},
		{"token-in-link", "token renewals and links", []string{findings.RuleSecretInLink.ID}},
		{"credentials-in-link", "token renewals and links", []string{findings.RuleSecretInLink.ID}},
		{"never-reauthenticates", "token renewals and links", []string{findings.RuleDeadToken.ID}},
		{"gives-up-on-401", "regenerated, not entered", []string{findings.RuleDeadToken.ID}},
		{"retries-401-same-token", "regenerated, not entered", []string{findings.RuleDeadToken.ID}},
		{"expired-links", "token renewals and links", []string{findings.RuleExpiredLink.ID}},
		{"uses-first-lea-pair", "two LEAs", []string{findings.RuleOtherLEA.ID}},
		{"no-timeout", "slow listing", []string{findings.RuleSlowResponse.ID}},
		{"no-token-timeout", "slow token", []string{findings.RuleSlowToken.ID}},
	}
	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.fault] = true
	}
	for _, f := range refvendor.Faults() {
		if covered[f.Name] == (unseen[f.Name] != "") {
			t.Errorf("fault %s: either a case must show its finding or unseen must say why the journal cannot show it, not both", f.Name)
		}
	}
	for name := range scenarios {
		cases = append(cases, struct {
			fault, scenario string
			want            []string
		}{"", name, nil})
	}
	for _, tc := range cases {
		name := tc.fault
		if name == "" {
			name = "correct"
		}
		t.Run(name+"/"+tc.scenario, func(t *testing.T) {
			t.Parallel()
			s := newSession(t, ts, tc.fault)
			scenarios[tc.scenario](s)
			p, err := s.api.AllFindings(s.ctx, s.sb.ID)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range p.Findings {
				if !slices.Contains(got, f.Rule) {
					got = append(got, f.Rule)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("findings %v, want %v", got, tc.want)
				es, _, _, _ := s.api.JournalSince(s.ctx, s.sb.ID, 0)
				for _, e := range es {
					t.Logf("%s", e)
				}
				for _, f := range p.Findings {
					t.Logf("  %s ×%d: %s (entries %v)", f.Rule, f.Count, f.Detail, f.Evidence)
				}
			}
		})
	}
}

// unseen are the reference vendor's faults the journal cannot show, and why: they are about
// what the parent is shown, which only the suite (comparing a page view with the ground truth)
// can judge, or about time the vendor waits, which a frozen sandbox clock cannot tell apart.
var unseen = map[string]string{
	"accumulates-reports":         "what the page shows",
	"caches-empty-list":           "what the page shows (it calls less, which is no breach)",
	"caches-not-found":            "what the page shows",
	"caches-pdf-by-id":            "what the page serves",
	"caches-report-list":          "what the page shows",
	"caps-retry-after":            "it waits 60 s of real time, then calls inside a Retry-After window only if sandbox time did not pass: the same request as a correct retry",
	"district-pair-for-schools":   "which pair a school's student needs is the vendor's configuration, which the journal does not see",
	"drops-alternate-assessments": "what the page shows",
	"drops-initial-elpac":         "what the page shows",
	"drops-translation":           "what the page shows",
	"ignores-new-credentials":     "whether the LEA entered the new pair into the vendor is not in the journal: one rejected old pair looks like an LEA that has not entered it yet",
	"keeps-transferred-student":   "what the page shows",
	"latest-year-only":            "what the page shows",
	"mixes-up-students":           "what the page shows",
	"no-korean":                   "what the page shows",
	"no-reports-on-auth-error":    "what the page shows",
	"not-found-as-empty":          "what the page shows",
	"not-found-as-error":          "what the page shows",
	"pdf-only":                    "what the page shows",
	"primary-language-only":       "what the page shows",
	"retry-after-wall-clock":      "it stays quiet too long: fewer requests, which is no breach the journal can prove",
	"reuses-listing":              "what the page shows (its links are still valid)",
	"shows-superseded-report":     "what the page shows",
	"spanish-only":                "what the page shows",
	"token-failure-is-rejection":  "what the page shows (it calls less)",
	"unavailable-as-empty":        "what the page shows",
}

func newSession(t *testing.T, ts *httptest.Server, fault string) *session {
	t.Helper()
	ctx := context.Background()
	api := controlapi.New(ts.URL, "", ts.Client())
	sb, err := api.CreateSandbox(ctx, controlapi.SandboxSpec{Seed: 3, Scale: "county"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { api.DeleteSandbox(ctx, sb.ID) })
	leas, err := api.LEAs(ctx, sb.ID)
	if err != nil || len(leas) < 2 {
		t.Fatalf("LEAs: %d, %v", len(leas), err)
	}
	s := &session{t: t, ctx: ctx, api: api, sb: sb, hc: ts.Client(), ssids: map[string]string{},
		v: refvendor.MustNew(refvendor.Options{Fault: fault, HTTPClient: ts.Client()})}
	for _, l := range leas[:2] {
		students, _, err := api.Roster(ctx, sb.ID, l.CDS, controlapi.RosterFilter{SchoolYear: "2017-18"}, 1, "")
		if err != nil || len(students) == 0 {
			t.Fatalf("roster of %s: %v, %v", l.CDS, students, err)
		}
		s.leas = append(s.leas, l.CDS)
		s.ssids[l.CDS] = students[0].SSID
	}
	return s
}

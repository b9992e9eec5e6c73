package findings

import (
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2019, 2, 11, 8, 0, 0, 0, time.UTC)

// seq builds entries numbered from 1; each step moves sandbox time by at and real time by 1ms
// unless the entry sets its own times.
type step struct {
	e       Entry
	sandbox time.Duration // sandbox time since t0
	real    time.Duration // real time since t0
}

func entries(steps []step) []Entry {
	var out []Entry
	for i, s := range steps {
		e := s.e
		e.Seq = int64(i + 1)
		e.At = t0.Add(s.sandbox)
		e.RealAt = t0.Add(s.real)
		if s.real == 0 {
			e.RealAt = t0.Add(time.Duration(i) * time.Millisecond)
		}
		if e.LEA == "" {
			e.LEA = "01611920000000"
		}
		out = append(out, e)
	}
	return out
}

func repeat(n int, s step) []step {
	out := make([]step, n)
	for i := range out {
		out[i] = s
	}
	return out
}

var (
	tokenOK       = step{e: Entry{Route: RouteToken, Username: "u1", Credential: "current", Status: 200}}
	listOK        = step{e: Entry{Route: RouteReports, Username: "u1", TokenState: "valid", Status: 200, SSID: "1234567890"}}
	tokenRejected = step{e: Entry{Route: RouteToken, Username: "u1", Credential: "unknown", Status: 401, Code: "invalid_credentials"}}
	tokenOld      = step{e: Entry{Route: RouteToken, Username: "u1", Credential: "superseded", Status: 401, Code: "invalid_credentials"}}
	tokenExpired  = step{e: Entry{Route: RouteToken, Username: "u1", Credential: "expired", Status: 401, Code: "credentials_expired"}}
	list401       = step{e: Entry{Route: RouteReports, Status: 401, Code: "invalid_token"}}
	list429       = step{e: Entry{Route: RouteReports, Status: 429, Code: "rate_limited", RetryAfter: time.Minute}}
	list503       = step{e: Entry{Route: RouteReports, Status: 503, Code: "maintenance", RetryAfter: 10 * time.Minute}}
	list500       = step{e: Entry{Route: RouteReports, Status: 500, Code: "internal"}}
)

func at(s step, sandbox, real time.Duration) step {
	s.sandbox, s.real = sandbox, real
	return s
}

func with(s step, f func(*Entry)) step {
	f(&s.e)
	return s
}

func TestRules(t *testing.T) {
	for _, tc := range []struct {
		name  string
		steps []step
		want  []string // rule ids of the findings, in order
		count int      // Count of the first finding, when want is not empty
	}{
		{name: "correct session", steps: []step{tokenOK, listOK, listOK, at(tokenOK, 31*time.Minute, 10*time.Millisecond), at(listOK, 31*time.Minute, 11*time.Millisecond)}},
		{name: "rejected pair retried once", steps: []step{tokenRejected, tokenRejected}},
		{name: "rejected pair sent again", steps: []step{tokenRejected, tokenRejected, tokenRejected, tokenRejected},
			want: []string{RuleRejectedPair.ID}, count: 2},
		{name: "superseded pair sent again", steps: []step{tokenOld, tokenOld, tokenOld}, want: []string{RuleSupersededPair.ID}, count: 1},
		{name: "expired pair sent again", steps: []step{tokenExpired, tokenExpired, tokenExpired}, want: []string{RuleExpiredPair.ID}, count: 1},
		{name: "new pair accepted resets", steps: []step{tokenRejected, tokenRejected, tokenOK, tokenRejected, tokenRejected}},
		{name: "renew once on 401", steps: []step{tokenOK, listOK, list401, tokenOK, listOK}},
		{name: "401 loop", steps: slices.Concat([]step{tokenOK}, repeat(6, list401), repeat(6, tokenRejected)),
			want: []string{RuleRejectedPair.ID, RuleRetryLoop.ID}, count: 4},
		{name: "401s spread over a minute are no loop", steps: func() []step {
			var s []step
			for i := range 12 {
				s = append(s, at(list401, 0, time.Duration(i)*5*time.Second))
			}
			return s
		}()},
		{name: "an expired token renewed", steps: []step{tokenOK, listOK, with(list401, func(e *Entry) { e.Username = "u1"; e.TokenState = "expired"; e.Code = "token_expired" }), tokenOK, listOK}},
		{name: "an expired token sent again", steps: repeat(3, with(list401, func(e *Entry) { e.Username = "u1"; e.TokenState = "expired"; e.Code = "token_expired" })),
			want: []string{RuleDeadToken.ID}, count: 2},
		{name: "a token for every call", steps: []step{tokenOK, listOK, tokenOK, listOK, tokenOK, listOK},
			want: []string{RuleReuseToken.ID}, count: 1},
		{name: "a token after a refusal is needed", steps: []step{tokenOK, listOK, list401, tokenOK, list401, tokenOK, listOK}},
		{name: "a token after half its life is fine", steps: []step{tokenOK, at(tokenOK, 16*time.Minute, 0), at(tokenOK, 32*time.Minute, 0)}},
		{name: "429 honoured", steps: []step{tokenOK, list429, at(listOK, 0, 0), at(listOK, 2*time.Minute, 0)}},
		{name: "429 ignored", steps: []step{tokenOK, list429, listOK, listOK, listOK}, want: []string{RuleRetryAfter429.ID}, count: 2},
		{name: "503 ignored", steps: []step{list503, list503, list503}, want: []string{RuleRetryAfter503.ID}, count: 1},
		{name: "503 partway: one request before the end", steps: []step{list503, at(list503, 4*time.Minute, 0), at(listOK, 11*time.Minute, 0)}},
		{name: "5xx backed off", steps: []step{list500, at(list500, 0, 100*time.Millisecond), at(list500, 0, 300*time.Millisecond)}},
		{name: "5xx hammered", steps: repeat(21, list500), want: []string{RuleServerErrors.ID}, count: 1},
		{name: "5xx spread out", steps: func() []step {
			var s []step
			for i := range 12 {
				s = append(s, at(list500, 0, time.Duration(i)*time.Second))
			}
			return s
		}()},
		{name: "secret in a URL", steps: []step{with(tokenOK, func(e *Entry) { e.SecretInURL = true })}, want: []string{RuleSecretInURL.ID}, count: 1},
		{name: "secret in a link", steps: []step{{e: Entry{Route: RoutePDF, Status: 200, SecretInURL: true}}}, want: []string{RuleSecretInLink.ID}, count: 1},
		{name: "expired link", steps: []step{{e: Entry{Route: RoutePDF, Status: 403, Code: "link_expired"}}}, want: []string{RuleExpiredLink.ID}, count: 1},
		{name: "tampered link", steps: []step{{e: Entry{Route: RoutePDF, Status: 403, Code: "signature_invalid"}}}, want: []string{RuleTamperedLink.ID}, count: 1},
		{name: "student of another LEA", steps: []step{tokenOK, {e: Entry{Route: RouteReports, Status: 404, Code: "student_not_found", StudentLEA: "01100170000000"}}},
			want: []string{RuleOtherLEA.ID}, count: 1},
		{name: "unknown student", steps: []step{tokenOK, {e: Entry{Route: RouteReports, Status: 404, Code: "student_not_found"}}}},
		{name: "waited for a held-back listing", steps: []step{tokenOK, with(listOK, func(e *Entry) { e.Delay = 4 * time.Second })},
			want: []string{RuleSlowResponse.ID}, count: 1},
		{name: "waited for a held-back token", steps: []step{with(tokenOK, func(e *Entry) { e.Delay = 5 * time.Second })},
			want: []string{RuleSlowToken.ID}, count: 1},
		{name: "gave up on a held-back listing", steps: []step{tokenOK, with(listOK, func(e *Entry) { e.Delay = 4 * time.Second; e.Status = 0; e.Code = "client_gone" })}},
		{name: "suite's own downloads are not the integration's", steps: repeat(12, with(list401, func(e *Entry) { e.Client = SuiteClient }))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Judge(entries(tc.steps))
			var ids []string
			for _, f := range got {
				ids = append(ids, f.Rule)
			}
			if !slices.Equal(ids, tc.want) {
				t.Fatalf("findings %v, want %v", ids, tc.want)
			}
			if len(got) > 0 && got[0].Count != tc.count {
				t.Errorf("count %d, want %d", got[0].Count, tc.count)
			}
			for _, f := range got {
				if len(f.Evidence) == 0 || f.Detail == "" || f.Fix == "" || f.Title == "" {
					t.Errorf("finding %+v lacks evidence, detail, fix or title", f)
				}
			}
		})
	}
}

func TestTokenEvidence(t *testing.T) {
	got := Judge(entries([]step{tokenOK, listOK, tokenOK, listOK, tokenOK}))
	if len(got) != 1 || !slices.Equal(got[0].Evidence, []int64{1, 3, 5}) {
		t.Errorf("findings %+v, want one with evidence #1 #3 #5", got)
	}
}

func TestEvidenceBounded(t *testing.T) {
	got := Judge(entries(repeat(500, list429)))
	if len(got) != 1 {
		t.Fatalf("%d findings, want 1", len(got))
	}
	f := got[0]
	if len(f.Evidence) != MaxEvidence || f.Evidence[0] != 1 || f.Evidence[MaxEvidence-1] != 500 {
		t.Errorf("evidence %v: want %d entries from #1 to #500", f.Evidence, MaxEvidence)
	}
	if f.Count != 498 {
		t.Errorf("count %d, want 498", f.Count)
	}
}

func TestListPages(t *testing.T) {
	ev := New()
	for i, e := range entries(repeat(5, step{e: Entry{Route: RoutePDF, Status: 403, Code: "link_expired"}})) {
		e.LEA = string(rune('A' + i)) // one finding per LEA
		ev.Add(e)
	}
	var ids []int
	cursor := 0
	for pages := 0; ; pages++ {
		p := ev.List(cursor, 2)
		if p.Total != 5 || p.Evaluated != 5 {
			t.Fatalf("total %d evaluated %d, want 5 and 5", p.Total, p.Evaluated)
		}
		for _, f := range p.Findings {
			ids = append(ids, f.ID)
		}
		if p.NextCursor == "" {
			break
		}
		if pages > 5 {
			t.Fatal("the cursor never ends")
		}
		cursor = atoi(t, p.NextCursor)
	}
	if !slices.Equal(ids, []int{1, 2, 3, 4, 5}) {
		t.Errorf("ids %v, want 1..5", ids)
	}
}

func TestFindingsBounded(t *testing.T) {
	ev := New()
	for i := range MaxFindings + 10 {
		ev.Add(Entry{Seq: int64(i + 1), Route: RoutePDF, Status: 403, Code: "link_expired", LEA: time.Duration(i).String()})
	}
	if p := ev.List(0, 1); p.Total != MaxFindings || p.Dropped != 10 {
		t.Errorf("total %d dropped %d, want %d and 10", p.Total, p.Dropped, MaxFindings)
	}
}

func TestSubjectsBounded(t *testing.T) {
	var s subjects[int]
	for i := range maxSubjects * 3 {
		*s.get(time.Duration(i).String()) = i
	}
	if len(s) > maxSubjects {
		t.Errorf("%d subjects kept, want at most %d", len(s), maxSubjects)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("cursor %q is not a number", s)
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// TestJudgingAllocatesNothing checks that an entry that breaks no rule costs no allocation,
// once the rules hold state for its LEA and pair.
func TestJudgingAllocatesNothing(t *testing.T) {
	ev := New()
	es := entries([]step{tokenOK, listOK, {e: Entry{Route: RoutePDF, Status: 200}}})
	for _, e := range es {
		ev.Add(e)
	}
	allocs := testing.AllocsPerRun(100, func() {
		ev.Add(es[1])
		ev.Add(es[2])
	})
	if allocs != 0 {
		t.Errorf("%v allocations per clean listing and download, want 0", allocs)
	}
}

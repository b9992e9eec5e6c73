package refvendor

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ssrmock/ssrmock/conformance/driver"
)

// faultCase is a scenario in which one fault shows: misbehaved reports whether the vendor did
// what the fault's sentence says. The careful vendor must not misbehave in it; the faulty one
// must.
type faultCase struct {
	opts       Options
	misbehaved func(t *testing.T, f *fakeAPI, v *Vendor) bool
}

var faultCases = map[string]faultCase{
	FaultIgnoresNewCredentials: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		mustView(t, v, ssidA)
		f.with(func() {
			f.secrets = map[string]string{"lea1-regen": "REGEN-KEY-CCCCCCCCCC"}
			f.tokens = map[string]string{}
		})
		mustConfigure(t, v, f, "lea1-regen", "REGEN-KEY-CCCCCCCCCC")
		return mustView(t, v, ssidA).Outcome != driver.OK
	}},
	FaultNeverReauthenticates: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		mustView(t, v, ssidA)
		tick(f, v, 2*time.Hour)
		f.with(func() { f.tokens = map[string]string{} })
		return mustView(t, v, ssidA).Outcome == driver.AuthError && f.count("token") == 1
	}},
	FaultRetry401Loop: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		mustConfigure(t, v, f, user1, "WRONG-KEY-XXXXXXXXXX")
		mustView(t, v, ssidA)
		return f.count("token") > 2
	}},
	FaultCachesReportList: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		mustView(t, v, ssidB)
		f.with(func() {
			f.students[ssidB] = append(f.students[ssidB], fakeReport{ID: "r2-cast", Assessment: "cast", SchoolYear: "2018-19", Language: "en", Version: 1})
		})
		tick(f, v, 72*time.Hour)
		v.Sync(context.Background())
		return len(mustView(t, v, ssidB).Reports) != 2
	}},
	FaultExpiredLinks: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		mustView(t, v, ssidA)
		tick(f, v, 45*time.Minute)
		for _, r := range mustView(t, v, ssidA).Reports {
			if follow(t, r.URL) == http.StatusForbidden {
				return true
			}
		}
		return false
	}},
	FaultIgnoresRetryAfter: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		f.hook("reports", -1, status429("120"))
		mustView(t, v, ssidA)
		mustView(t, v, ssidA)
		return f.count("reports") > 2
	}},
	FaultNoBackoff5xx: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		f.hook("reports", -1, status500)
		mustView(t, v, ssidA)
		return f.count("reports") > 3
	}},
	FaultNoReportsOnAuthError: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		mustConfigure(t, v, f, user1, "WRONG-KEY-XXXXXXXXXX")
		return mustView(t, v, ssidA).Outcome == driver.OK
	}},
	FaultSecretInURL: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		mustView(t, v, ssidA)
		for _, e := range f.entries() {
			if strings.Contains(e.Query, secret) {
				return true
			}
		}
		return false
	}},
	FaultShowsSuperseded: {opts: Options{ServeBytes: true}, misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		before := mustView(t, v, ssidB).Reports[0].SHA256
		f.with(func() { f.students[ssidB][0].Version = 2 })
		tick(f, v, time.Hour)
		return mustView(t, v, ssidB).Reports[0].SHA256 == before
	}},
	FaultMixesUpStudents: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		mustView(t, v, ssidA)
		for _, r := range mustView(t, v, ssidB).Reports {
			if r.Assessment != "summative-elpac" {
				return true
			}
		}
		return false
	}},
	FaultKeepsTransferred: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		mustView(t, v, ssidA)
		f.with(func() { delete(f.students, ssidA) })
		tick(f, v, 24*time.Hour)
		return mustView(t, v, ssidA).Outcome != driver.NotFound
	}},
	FaultDropsTranslation: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		for _, r := range mustView(t, v, ssidA).Reports {
			if r.Language == "es" {
				return false
			}
		}
		return true
	}},
	FaultNoTimeout: {opts: Options{Timeout: 200 * time.Millisecond}, misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		f.hook("reports", 1, func(w http.ResponseWriter, r *http.Request) int {
			time.Sleep(600 * time.Millisecond)
			return f.answerNow(w, r)
		})
		return mustView(t, v, ssidA).Outcome == driver.OK
	}},
	FaultForgetsRejection: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		mustConfigure(t, v, f, user1, "WRONG-KEY-XXXXXXXXXX")
		for range 3 {
			mustView(t, v, ssidA)
			tick(f, v, time.Minute)
		}
		return f.count("token") > 1
	}},
}

func TestFaults(t *testing.T) {
	for _, fault := range Faults() {
		c, ok := faultCases[fault.Name]
		if !ok {
			t.Errorf("fault %s has no test case", fault.Name)
			continue
		}
		t.Run(fault.Name, func(t *testing.T) {
			t.Parallel()
			for _, name := range []string{"", fault.Name} {
				f := newFake(t)
				o := c.opts
				o.Fault = name
				v := mustVendor(t, f, o)
				got := c.misbehaved(t, f, v)
				if want := name != ""; got != want {
					t.Errorf("with fault %q: misbehaved = %v, want %v (%s)", name, got, want, fault.Description)
				}
			}
		})
	}
}

func status429(retryAfter string) func(http.ResponseWriter, *http.Request) int {
	return status(http.StatusTooManyRequests, "rate_limited", retryAfter)
}

var status500 = status(http.StatusInternalServerError, "internal", "")

// answerNow is the fake's ordinary answer, for hooks that only delay it.
func (f *fakeAPI) answerNow(w http.ResponseWriter, r *http.Request) int {
	st, _ := f.answer(w, r, route(r.URL.Path))
	return st
}

// follow follows a link as a browser would and returns the HTTP status.
func follow(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

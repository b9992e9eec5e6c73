package refvendor

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ssrmock/ssrmock/conformance/driver"
)

// ssidNew is a student the fake does not know until a case adds it.
const ssidNew = "1000000009"

func init() {
	for name, c := range moreFaultCases {
		faultCases[name] = c
	}
}

// addReport lists one more report of ssid.
func addReport(f *fakeAPI, ssid string, r fakeReport) {
	f.with(func() { f.students[ssid] = append(f.students[ssid], r) })
}

// shows reports whether view v shows a report in language lang of family assessment.
func shows(v driver.View, assessment, lang string) bool {
	for _, r := range v.Reports {
		if (assessment == "" || r.Assessment == assessment) && (lang == "" || r.Language == lang) {
			return true
		}
	}
	return false
}

// missesAdded is a case in which a report r of student A, added before the first view, is left
// out.
func missesAdded(r fakeReport) faultCase {
	return faultCase{misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		addReport(f, ssidA, r)
		return !shows(mustView(t, v, ssidA), r.Assessment, r.Language)
	}}
}

var moreFaultCases = map[string]faultCase{
	FaultCachesEmptyList: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		f.with(func() { f.students[ssidNew] = []fakeReport{} })
		mustView(t, v, ssidNew)
		addReport(f, ssidNew, fakeReport{ID: "r9-en", Assessment: "summative-elpac", SchoolYear: "2018-19", Language: "en", Version: 1})
		tick(f, v, 10*time.Minute)
		return len(mustView(t, v, ssidNew).Reports) == 0
	}},
	FaultCachesNotFound: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		wantOutcome(t, mustView(t, v, ssidNew), driver.NotFound)
		addReport(f, ssidNew, fakeReport{ID: "r9-en", Assessment: "summative-elpac", SchoolYear: "2018-19", Language: "en", Version: 1})
		tick(f, v, 10*time.Minute)
		return mustView(t, v, ssidNew).Outcome == driver.NotFound
	}},
	FaultReusesListing: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		mustView(t, v, ssidA)
		addReport(f, ssidA, fakeReport{ID: "r1c-en", Assessment: "cast", SchoolYear: "2018-19", Language: "en", Version: 1})
		tick(f, v, 10*time.Minute)
		return !shows(mustView(t, v, ssidA), "cast", "")
	}},
	FaultAccumulatesReports: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		mustView(t, v, ssidA)
		f.with(func() { f.students[ssidA] = f.students[ssidA][:1] })
		tick(f, v, time.Minute)
		return len(mustView(t, v, ssidA).Reports) != 1
	}},
	FaultSpanishOnly:       missesAdded(fakeReport{ID: "r1-vi", Assessment: "smarter-balanced", SchoolYear: "2017-18", Language: "vi", Version: 1}),
	FaultNoKorean:          missesAdded(fakeReport{ID: "r1-ko", Assessment: "smarter-balanced", SchoolYear: "2017-18", Language: "ko", Version: 1}),
	FaultDropsAlternate:    missesAdded(fakeReport{ID: "r1a-en", Assessment: "alternate-elpac", SchoolYear: "2025-26", Language: "en", Version: 1}),
	FaultDropsInitialELPAC: missesAdded(fakeReport{ID: "r1i-en", Assessment: "initial-elpac", SchoolYear: "2018-19", Language: "en", Version: 1}),
	FaultLatestYearOnly: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		addReport(f, ssidA, fakeReport{ID: "r1h-en", Assessment: "smarter-balanced", SchoolYear: "2016-17", Language: "en", Version: 1})
		for _, r := range mustView(t, v, ssidA).Reports {
			if r.SchoolYear == "2016-17" {
				return false
			}
		}
		return true
	}},
	FaultPrimaryLanguageOnly: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		return !shows(mustView(t, v, ssidA), "smarter-balanced", "en")
	}},
	FaultNoTokenTimeout: {opts: Options{Timeout: 200 * time.Millisecond}, misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		f.hook("token", 1, func(w http.ResponseWriter, r *http.Request) int {
			time.Sleep(600 * time.Millisecond)
			return f.answerNow(w, r)
		})
		return mustView(t, v, ssidA).Outcome == driver.OK
	}},
	FaultTokenFailureRejects: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		f.hook("token", 3, status500)
		mustView(t, v, ssidA)
		tick(f, v, time.Minute)
		return mustView(t, v, ssidA).Outcome != driver.OK
	}},
	FaultGivesUpOn401: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		mustView(t, v, ssidA)
		f.with(func() { f.tokens = map[string]string{} })
		return mustView(t, v, ssidA).Outcome != driver.OK
	}},
	FaultRetries401SameToken: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		mustView(t, v, ssidA)
		f.hook("reports", 1, status(http.StatusUnauthorized, "invalid_token", ""))
		mustView(t, v, ssidA)
		return f.count("token") == 1
	}},
	FaultCapsRetryAfter: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		f.hook("reports", -1, status429("600"))
		mustView(t, v, ssidA)
		tick(f, v, 2*time.Minute)
		mustView(t, v, ssidA)
		return f.count("reports") > 1
	}},
	FaultRetryAfterPerView: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		f.hook("reports", -1, status429("600"))
		mustView(t, v, ssidA)
		mustView(t, v, ssidA)
		return f.count("reports") > 1
	}},
	FaultRetryAfterWallClock: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		f.hook("reports", 1, status429("60"))
		mustView(t, v, ssidA)
		tick(f, v, 2*time.Minute)
		return mustView(t, v, ssidA).Outcome != driver.OK
	}},
	FaultTokenInQuery: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		mustView(t, v, ssidA)
		for _, e := range f.entries() {
			if e.Route == "reports" && strings.Contains(e.Query, "access_token=tok-") {
				return true
			}
		}
		return false
	}},
	FaultTokenInLink: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		for _, r := range mustView(t, v, ssidA).Reports {
			if strings.Contains(r.URL, "tok-") {
				return true
			}
		}
		return false
	}},
	FaultSecretAsParamName: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		mustView(t, v, ssidA)
		for _, e := range f.entries() {
			if strings.Contains(e.Query, secret) {
				return true
			}
		}
		return false
	}},
	FaultCredentialsInLink: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		for _, r := range mustView(t, v, ssidA).Reports {
			if strings.Contains(r.URL, secret) {
				return true
			}
		}
		return false
	}},
	FaultUsesFirstLEAPair: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		const lea2, user2, secret2 = "01611930000000", "lea2-user", "S3CRET-KEY-BBBBBBBBB"
		f.with(func() { f.secrets[user2] = secret2 })
		if err := v.Configure(context.Background(), driver.Config{LEA: lea2, BaseURL: f.base(), Username: user2, SecretKey: secret2}); err != nil {
			t.Fatal(err)
		}
		if _, err := v.View(context.Background(), lea2, ssidA); err != nil {
			t.Fatal(err)
		}
		for _, e := range f.entries() {
			if e.Route == "token" && e.Username == user2 {
				return false
			}
		}
		return true
	}},
	FaultNotFoundAsEmpty: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		return mustView(t, v, ssidNew).Outcome != driver.NotFound
	}},
	FaultNotFoundAsError: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		return mustView(t, v, ssidNew).Outcome != driver.NotFound
	}},
	FaultUnavailableAsEmpty: {misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		f.hook("reports", -1, status500)
		return mustView(t, v, ssidA).Outcome != driver.Unavailable
	}},
	FaultCachesPDFByID: {opts: Options{ServeBytes: true}, misbehaved: func(t *testing.T, f *fakeAPI, v *Vendor) bool {
		before := mustView(t, v, ssidB).Reports[0].SHA256
		f.with(func() { f.students[ssidB][0].Version = 2 })
		tick(f, v, time.Hour)
		return mustView(t, v, ssidB).Reports[0].SHA256 == before
	}},
}

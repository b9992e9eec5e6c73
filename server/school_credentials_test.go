package server

import (
	"net/http"
	"sync"
	"testing"

	"github.com/ssrmock/ssrmock/server/store"
)

// schoolFixture is an LEA's pair and a school of it with a student that has released
// reports, and a student of another school of the same LEA.
type schoolFixture struct {
	*testEnv
	sbx, lea, school string
	inSchool         string // a student of school with visible reports
	elsewhere        string // a student of another school of lea
	district         issuedCredential
}

func newSchoolFixture(t *testing.T) *schoolFixture {
	t.Helper()
	e := newTestEnv(t)
	sbx := e.newSandbox(map[string]any{"seed": 11, "scale": "tiny", "scenario": "2025-26"}).ID
	lea := e.firstLEA(sbx).CDS
	f := &schoolFixture{testEnv: e, sbx: sbx, lea: lea, district: e.generate(sbx, lea)}
	students := e.roster(sbx, lea, 400)
	for _, st := range students {
		for _, r := range e.truth(sbx, st.SSID, lea).Reports {
			if r.Visible {
				f.school, f.inSchool = st.School, st.SSID
				break
			}
		}
		if f.school != "" {
			break
		}
	}
	for _, st := range students {
		if st.School != f.school {
			f.elsewhere = st.SSID
			break
		}
	}
	if f.school == "" || f.elsewhere == "" {
		t.Fatal("the tiny world's first LEA has no two schools with students")
	}
	return f
}

// generateSchool makes the school's own pair.
func (f *schoolFixture) generateSchool(school string) issuedCredential {
	f.t.Helper()
	var c issuedCredential
	f.mustDo("POST", "/control/v1/sandboxes/"+f.sbx+"/leas/"+f.lea+"/schools/"+school+"/credentials",
		map[string]any{"authorizeRelease": true, "coordinator": "caaspp"}, http.StatusCreated, &c)
	return c
}

// TestSchoolPairOverridesDistrict checks the override: the school's pair lists its students
// and no other, the LEA's pair is refused for them and still serves the other schools.
func TestSchoolPairOverridesDistrict(t *testing.T) {
	f := newSchoolFixture(t)
	districtTok := f.token(f.district)
	before := f.list(districtTok, f.inSchool)

	sc := f.generateSchool(f.school)
	if sc.LEA != f.lea || sc.School != f.school || sc.Username == f.district.Username || len(sc.SecretKey) != secretLength {
		t.Fatalf("school pair %+v", sc)
	}
	schoolTok := f.token(sc)
	got := f.list(schoolTok, f.inSchool)
	if len(got.Reports) != len(before.Reports) || len(got.Reports) == 0 {
		t.Errorf("the school's pair lists %d reports, the district's listed %d before", len(got.Reports), len(before.Reports))
	}
	f.wantError("GET", "/api/v1/students/"+f.elsewhere+"/reports", nil, http.StatusNotFound, CodeStudentNotFound, "Authorization", "Bearer "+schoolTok)
	f.wantError("GET", "/api/v1/students/"+f.inSchool+"/reports", nil, http.StatusForbidden, CodeSchoolCredentialsRequired, "Authorization", "Bearer "+districtTok)
	// A token minted from the district pair after the school got its own is refused the same way.
	f.wantError("GET", "/api/v1/students/"+f.inSchool+"/reports", nil, http.StatusForbidden, CodeSchoolCredentialsRequired, "Authorization", "Bearer "+f.token(f.district))
	f.list(districtTok, f.elsewhere)

	var j store.JournalPage
	f.mustDo("GET", "/control/v1/sandboxes/"+f.sbx+"/journal", nil, http.StatusOK, &j)
	pairs := map[string]int{}
	for _, e := range j.Entries {
		if e.Route == routeReports {
			pairs[e.Pair+"/"+e.School+"/"+e.Code]++
			if e.LEA != f.lea {
				t.Errorf("journal entry %d: LEA %s, want %s", e.Seq, e.LEA, f.lea)
			}
		}
	}
	want := map[string]int{"district//": 2, "school/" + f.school + "/": 1, "school/" + f.school + "/" + CodeStudentNotFound: 1, "district//" + CodeSchoolCredentialsRequired: 2}
	for k, n := range want {
		if pairs[k] != n {
			t.Errorf("journal: %d listings by pair/school/code %q, want %d (all: %v)", pairs[k], k, n, pairs)
		}
	}
}

// TestSchoolPairNewestOnly checks that regeneration is per holder: a school's new pair
// supersedes its old one and its tokens, and leaves the LEA's pair and tokens alone; the
// LEA's regeneration leaves the school's alone.
func TestSchoolPairNewestOnly(t *testing.T) {
	f := newSchoolFixture(t)
	old := f.generateSchool(f.school)
	oldTok := f.token(old)
	districtTok := f.token(f.district)
	fresh := f.generateSchool(f.school)
	if fresh.Generation != 2 {
		t.Errorf("second school pair is generation %d, want 2", fresh.Generation)
	}
	f.wantError("POST", "/api/v1/token", map[string]string{"username": old.Username, "secretKey": old.SecretKey}, http.StatusUnauthorized, CodeInvalidCredentials)
	f.wantError("GET", "/api/v1/students/"+f.inSchool+"/reports", nil, http.StatusUnauthorized, CodeInvalidToken, "Authorization", "Bearer "+oldTok)
	f.list(districtTok, f.elsewhere)
	schoolTok := f.token(fresh)
	f.generate(f.sbx, f.lea)
	f.list(schoolTok, f.inSchool)

	var st credentialStatus
	f.mustDo("GET", "/control/v1/sandboxes/"+f.sbx+"/leas/"+f.lea+"/schools/"+f.school+"/credentials", nil, http.StatusOK, &st)
	if st.Status != "active" || st.Username != fresh.Username || st.School != f.school || st.LEA != f.lea || st.Generation != 2 {
		t.Errorf("school status %+v", st)
	}
	var schools struct{ Schools []schoolInfo }
	f.mustDo("GET", "/control/v1/sandboxes/"+f.sbx+"/leas/"+f.lea+"/schools", nil, http.StatusOK, &schools)
	states := map[string]string{}
	for _, s := range schools.Schools {
		states[s.CDS] = s.Credentials
	}
	if states[f.school] != "active" || len(states) < 2 {
		t.Errorf("schools %v: want %s active among several", states, f.school)
	}
}

// TestSchoolCredentialsBadInput checks the control API's answers to a wrong school.
func TestSchoolCredentialsBadInput(t *testing.T) {
	f := newSchoolFixture(t)
	body := map[string]any{"authorizeRelease": true, "coordinator": "caaspp"}
	base := "/control/v1/sandboxes/" + f.sbx + "/leas/" + f.lea + "/schools/"
	f.wantError("POST", base+"12/credentials", body, http.StatusBadRequest, CodeInvalidCDS)
	f.wantError("POST", base+f.lea+"/credentials", body, http.StatusBadRequest, CodeInvalidCDS)
	f.wantError("POST", base+"01234560123456/credentials", body, http.StatusNotFound, CodeNotFound)
	f.wantError("POST", base+f.school+"/credentials", map[string]any{"coordinator": "caaspp"}, http.StatusBadRequest, CodeAuthorizationRequired)
	f.wantError("GET", base+"01234560123456/credentials", nil, http.StatusNotFound, CodeNotFound)
	var st credentialStatus
	f.mustDo("GET", base+f.school+"/credentials", nil, http.StatusOK, &st)
	if st.Status != "none" || st.School != f.school {
		t.Errorf("status before generating: %+v", st)
	}
}

// TestSchoolRegenerationLinearizable regenerates a school's pair and the LEA's from many
// goroutines while others mint tokens and list: every pair but the newest of each holder is
// refused at the end, generations count every regeneration, and nothing races.
func TestSchoolRegenerationLinearizable(t *testing.T) {
	f := newSchoolFixture(t)
	const n = 8
	var wg sync.WaitGroup
	issued := make(chan issuedCredential, 2*n)
	firstTok := f.token(f.generateSchool(f.school))
	for i := range 2 * n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				issued <- f.generateSchool(f.school)
			} else {
				issued <- f.generate(f.sbx, f.lea)
			}
		}()
	}
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				status, _, body := f.do("GET", "/api/v1/students/"+f.inSchool+"/reports", nil, "Authorization", "Bearer "+firstTok)
				if status != http.StatusOK && status != http.StatusUnauthorized {
					t.Errorf("listing during regeneration: %d %s", status, body)
				}
			}
		}()
	}
	wg.Wait()
	close(issued)
	newest := map[string]issuedCredential{}
	var all []issuedCredential
	for c := range issued {
		all = append(all, c)
		if k := holderKey(c.LEA, c.School); c.Generation > newest[k].Generation {
			newest[k] = c
		}
	}
	if g := newest[f.school].Generation; g != n+1 {
		t.Errorf("school pair generation %d after the first and %d regenerations", g, n)
	}
	if g := newest[f.lea].Generation; g != n+1 {
		t.Errorf("LEA pair generation %d after %d regenerations and the first", g, n)
	}
	for _, c := range all {
		status, _, _ := f.do("POST", "/api/v1/token", map[string]string{"username": c.Username, "secretKey": c.SecretKey})
		if isNewest := newest[holderKey(c.LEA, c.School)].Username == c.Username; isNewest != (status == http.StatusOK) {
			t.Errorf("pair of %s generation %d: token answered %d (newest %v)", holderKey(c.LEA, c.School), c.Generation, status, isNewest)
		}
	}
}

package openapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
)

// scriptToday is the part of the session that only today's service has: HTML reports and
// school credentials, in a 2025-26 sandbox of its own.
func scriptToday(t *testing.T, x *exchange) {
	const sbxs = "/control/v1/sandboxes"
	sbx := decodeJSON[struct{ ID string }](t, x.do(call{op: "createSandbox", method: "POST", path: sbxs,
		body: `{"seed":3,"scenario":"2025-26","scale":"tiny"}`, status: 201})).ID
	base := sbxs + "/" + sbx
	lea := decodeJSON[struct{ LEAs []struct{ CDS string } }](t, x.do(call{op: "listLEAs", method: "GET", path: base + "/leas", status: 200})).LEAs[0].CDS
	type issued struct{ Username, SecretKey string }
	gen := `{"authorizeRelease":true,"coordinator":"caaspp"}`
	district := decodeJSON[issued](t, x.do(call{op: "generateCredentials", method: "POST", path: base + "/leas/" + lea + "/credentials", body: gen, status: 201}))
	token := func(p issued) string {
		b, _ := json.Marshal(map[string]string{"username": p.Username, "secretKey": p.SecretKey})
		return decodeJSON[struct {
			AccessToken string `json:"access_token"`
		}](t, x.do(call{op: "createToken", method: "POST", path: "/api/v1/token", body: string(b), status: 200})).AccessToken
	}
	bearer := func(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }
	districtTok := token(district)

	students := decodeJSON[struct {
		Students []struct{ SSID, School string }
	}](t, x.do(call{op: "listRoster", method: "GET",
		path: base + "/leas/" + lea + "/students?limit=100&schoolYear=2024-25", status: 200})).Students
	if len(students) == 0 {
		t.Fatal("no 2025-26 student with a 2024-25 report")
	}
	st := students[0]
	reports := "/api/v1/students/" + st.SSID + "/reports"
	list := decodeJSON[struct {
		Reports []struct{ Format, URL string }
	}](t, x.do(call{op: "listReports", method: "GET", path: reports, header: bearer(districtTok), status: 200}))
	html := ""
	for _, r := range list.Reports {
		if r.Format == "html" {
			html = r.URL
			break
		}
	}
	if html == "" {
		t.Fatal("a 2025-26 listing has no HTML report")
	}
	if page := x.do(call{op: "getReportPDF", method: "GET", path: html, status: 200}); !bytes.HasPrefix(page, []byte("<!DOCTYPE html>")) {
		t.Errorf("the HTML link served %.20q", page)
	}

	x.do(call{op: "listSchools", method: "GET", path: base + "/leas/" + lea + "/schools", status: 200})
	school := base + "/leas/" + lea + "/schools/" + st.School + "/credentials"
	x.do(call{op: "getSchoolCredentialStatus", method: "GET", path: school, status: 200})
	x.do(call{op: "generateSchoolCredentials", method: "POST", path: base + "/leas/" + lea + "/schools/" + lea + "/credentials", body: gen, status: 400})
	x.do(call{op: "generateSchoolCredentials", method: "POST", path: base + "/leas/" + lea + "/schools/99999999999999/credentials", body: gen, status: 404})
	own := decodeJSON[issued](t, x.do(call{op: "generateSchoolCredentials", method: "POST", path: school, body: gen, status: 201}))
	x.do(call{op: "getSchoolCredentialStatus", method: "GET", path: school, status: 200})
	x.do(call{op: "listReports", method: "GET", path: reports, header: bearer(token(own)), status: 200})
	x.do(call{op: "listReports", method: "GET", path: reports, header: bearer(districtTok), status: 403})
	x.do(call{op: "readJournal", method: "GET", path: base + "/journal", status: 200})
	x.do(call{op: "deleteSandbox", method: "DELETE", path: base, status: 204})
}

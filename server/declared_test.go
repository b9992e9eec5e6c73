package server

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestDeclaredLEAs creates a sandbox with its own LEAs and wants them served everywhere: the
// LEA list, rosters, credentials, the vendor API and the ground truth.
func TestDeclaredLEAs(t *testing.T) {
	e := newTestEnv(t)
	leas := []map[string]any{
		{"cds": "19647330000000", "name": "Our Unified School District", "students": 120},
		{"cds": "01611920000000", "name": "Bay Side District", "students": 60},
	}
	info := e.newSandbox(map[string]any{"seed": 3, "scenario": "2025-26", "leas": leas})
	if info.Scale != "declared" || info.LEAs != 2 || info.Students != 180 {
		t.Fatalf("sandbox %+v, want scale declared, 2 LEAs, 180 students", info)
	}
	var out struct{ LEAs []leaInfo }
	e.mustDo("GET", "/control/v1/sandboxes/"+info.ID+"/leas", nil, http.StatusOK, &out)
	if len(out.LEAs) != 2 || out.LEAs[0].CDS != "01611920000000" || out.LEAs[0].Name != "Bay Side District" ||
		out.LEAs[0].County != "Alameda" || out.LEAs[1].CDS != "19647330000000" || out.LEAs[1].Students != 120 {
		t.Fatalf("LEAs = %+v", out.LEAs)
	}
	lea := "19647330000000"
	roster := e.rosterAll(info.ID, lea)
	if len(roster) != 120 {
		t.Fatalf("roster of %d students, want 120", len(roster))
	}
	tok := e.token(e.generate(info.ID, lea))
	listed := 0
	for _, st := range roster {
		gt := e.truth(info.ID, st.SSID, "")
		if gt.LEA != lea {
			t.Fatalf("student %s enrolled in %s, want %s", st.SSID, gt.LEA, lea)
		}
		visible := 0
		for _, r := range gt.Reports {
			if r.Visible {
				visible++
			}
		}
		if visible == 0 {
			continue
		}
		if got := len(e.list(tok, st.SSID).Reports); got != visible {
			t.Errorf("vendor API lists %d reports of %s, ground truth %d", got, st.SSID, visible)
		}
		if listed++; listed == 5 {
			break
		}
	}
	if listed == 0 {
		t.Errorf("no student of the declared LEA has a listed report")
	}
}

func TestDeclaredLEAsRejected(t *testing.T) {
	e := newTestEnv(t)
	one := func(cds, name string, students int) []map[string]any {
		return []map[string]any{{"cds": cds, "name": name, "students": students}}
	}
	tests := []struct {
		name string
		spec map[string]any
		want string
	}{
		{"empty list", map[string]any{"leas": []map[string]any{}}, "give 1 to 50"},
		{"school code", map[string]any{"leas": one("19647336000000", "X", 50)}, "names a school"},
		{"county 60", map[string]any{"leas": one("60647330000000", "X", 50)}, "county code 60"},
		{"no name", map[string]any{"leas": one("19647330000000", "", 50)}, "printable"},
		{"too few", map[string]any{"leas": one("19647330000000", "X", 3)}, "students 3"},
		{"with scale", map[string]any{"scale": "tiny", "leas": one("19647330000000", "X", 50)}, "not both"},
		{"unknown field", map[string]any{"leas": []map[string]any{{"cds": "19647330000000", "name": "X", "students": 50, "kind": "unified"}}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := e.wantError("POST", "/control/v1/sandboxes", tt.spec, http.StatusBadRequest, "bad_request")
			if !strings.Contains(msg, tt.want) {
				t.Errorf("message %q, want it to contain %q", msg, tt.want)
			}
		})
	}
}

// TestInitialELPACOffPortals wants 2025-26 Initial ELPAC reports out of the vendor API (TOMS
// keeps them off portals) and every report reaching portals a day after TOMS.
func TestInitialELPACOffPortals(t *testing.T) {
	e := newTestEnv(t)
	info := e.newSandbox(map[string]any{"seed": 5, "scenario": "2025-26", "scale": "tiny"})
	lea := e.firstLEA(info.ID).CDS
	tok := e.token(e.generate(info.ID, lea))
	found := false
	for _, st := range e.rosterAll(info.ID, lea) {
		gt := e.truth(info.ID, st.SSID, "")
		initial := false
		for _, r := range gt.Reports {
			if got := r.ReleasedAt.Sub(r.TOMSAt); got != 24*time.Hour {
				t.Fatalf("%s reaches portals %v after TOMS, want 24h", r.ID, got)
			}
			if r.Assessment == "initial-elpac" {
				initial = true
				if r.Visible {
					t.Errorf("%s: Initial ELPAC report visible to vendors", r.ID)
				}
			}
		}
		if !initial {
			continue
		}
		found = true
		for _, r := range e.list(tok, st.SSID).Reports {
			if r.Assessment == "initial-elpac" {
				t.Errorf("vendor API lists Initial ELPAC report %s", r.ID)
			}
		}
		break
	}
	if !found {
		t.Fatal("no student with an Initial ELPAC report")
	}
}

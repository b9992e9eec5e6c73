package server

import (
	"strings"
	"time"

	"github.com/ssrmock/ssrmock/server/store"
)

// School-level credentials. An LEA may give one of its schools its own User Name and Secret
// Key; for that school's students the school's pair then overrides the LEA's. Vendor help
// pages describe exactly this: "If individual school credentials are being used by your
// school district, these override the school district credentials. If individual school
// credentials are being used, they also need to be re-generated every year" (SchoolWise,
// https://help.schoolwise.com/docs/how-to-link-toms-sis-vendor-credentials-in-schoolwise);
// Aeries stores such per-school pairs beside the district's (https://support.aeries.com/
// support/solutions/articles/14000085664). How the real service enforces the override is not
// public; these rules are our choice, stated in docs/api.md:
//
//   - A school's pair lists only the students whose school in that LEA is that school (the
//     school of their latest enrollment in the LEA); any other SSID is student_not_found.
//   - The LEA's pair is refused with school_credentials_required for a student whose school
//     has a pair of its own, expired or not, so that a vendor cannot keep using the district
//     pair by mistake.
//   - Each pair is regenerated on its own: only the newest pair of each holder is valid.

// districtPart is the school part of an LEA's own CDS code.
const districtPart = "0000000"

// holderKey names the holder of a pair in the credentials table: the LEA's code, or the
// school's when the school has its own pair.
func holderKey(lea, school string) string {
	if school != "" {
		return school
	}
	return lea
}

// holderScope is holderKey's inverse: the LEA and (for a school's pair) the school.
func (sb *Sandbox) holderScope(holder string) (lea, school string) {
	if _, isLEA := sb.world.LEA(holder); isLEA || strings.HasSuffix(holder, districtPart) || len(holder) != 14 {
		return holder, ""
	}
	if s, ok := sb.world.School(holder); ok {
		return s.LEA, holder
	}
	return holder[:7] + districtPart, holder
}

// journalScope is what the journal records of a holder: LEA, school and which pair.
func (sb *Sandbox) journalScope(holder string) (lea, school, pair string) {
	lea, school = sb.holderScope(holder)
	if school != "" {
		return lea, school, "school"
	}
	return lea, "", "district"
}

// schoolIn is the school of the student's latest enrollment in lea that began by at, or "".
func (v studentView) schoolIn(lea string, at time.Time) string {
	school := ""
	for _, e := range v.Enrollments {
		if e.LEA == lea && !e.Start.After(at) {
			school = e.School
		}
	}
	return school
}

// schoolScope applies the school rules, in state st, to a listing of v through the pair of
// lea or, when school is not "", of school.
func (sb *Sandbox) schoolScope(st store.State, v studentView, lea, school string, now time.Time) error {
	home := v.schoolIn(lea, now)
	if school != "" {
		if home != school {
			return notVisible(v.SSID)
		}
		return nil
	}
	if _, own := st.Credentials[home]; home != "" && own {
		name := home
		if s, ok := sb.world.School(home); ok {
			name = s.Name + " (" + home + ")"
		}
		return Errorf(CodeSchoolCredentialsRequired, "student %s attends %s, which has its own credentials: they override the LEA's for its students; use the school's User Name and Secret Key", v.SSID, name)
	}
	return nil
}

// schoolPairs reports, for each school of lea, whether it has a pair of its own.
func (sb *Sandbox) schoolPairs(lea string) []schoolInfo {
	schools := sb.world.Schools(lea)
	out := make([]schoolInfo, 0, len(schools))
	for _, s := range schools {
		st := sb.credentialStatus(s.CDS, sb.scenario.CredentialReminders)
		out = append(out, schoolInfo{CDS: s.CDS, Name: s.Name, Credentials: st.Status})
	}
	return out
}

// schoolInfo is a school as the control API lists it, with the state of its own pair:
// "none" (the LEA's pair serves its students), "active" or "expired".
type schoolInfo struct {
	CDS         string `json:"cds"`
	Name        string `json:"name"`
	Credentials string `json:"credentials"`
}

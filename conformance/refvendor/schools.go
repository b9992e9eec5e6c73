package refvendor

import (
	"context"

	"github.com/ssrmock/ssrmock/conformance/driver"
)

var _ driver.SchoolViewer = (*Vendor)(nil)

// holder names the pair a state belongs to: the LEA's, or one school's own ("lea/school").
// An LEA may give a school its own pair, which overrides the LEA's for that school's
// students; the vendor keeps each pair, with its token and its verdicts, apart.
func holder(lea, school string) string {
	if school == "" {
		return lea
	}
	return lea + "/" + school
}

// ViewSchool is View for a student of school in lea: through the school's own pair when the
// LEA's admin entered one, through the LEA's otherwise.
func (v *Vendor) ViewSchool(ctx context.Context, lea, school, ssid string) (driver.View, error) {
	key := lea
	if school != "" && !v.has(FaultDistrictPairForSchools) {
		v.mu.Lock()
		if _, ok := v.leas[holder(lea, school)]; ok {
			key = holder(lea, school)
		}
		v.mu.Unlock()
	}
	return v.View(ctx, key, ssid)
}

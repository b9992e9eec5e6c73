package conformance

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"

	"github.com/ssrmock/ssrmock/conformance/controlapi"
	"github.com/ssrmock/ssrmock/conformance/driver"
)

// School pairs: an LEA may give a school its own pair, which overrides the LEA's for that
// school's students (SchoolWise help: "If individual school credentials are being used by your
// school district, these override the school district credentials").

// generateSchool has lea's coordinator generate (or regenerate) school's own pair in TOMS.
func (w *world) generateSchool(lea, school string) controlapi.Credentials {
	cr, err := w.h.api.GenerateSchoolCredentials(w.ctx, w.sb.ID, lea, school, controlapi.CoordinatorCAASPP)
	w.controlErr(err, "generating credentials for school "+school)
	return cr
}

// configureSchool pastes school's own pair into the vendor's settings for lea.
func (w *world) configureSchool(lea, school string, cr controlapi.Credentials) {
	w.creds[lea+"/"+school] = cr
	err := w.h.drv.Configure(w.ctx, driver.Config{LEA: lea, School: school, BaseURL: w.sb.APIBase, Username: cr.Username, SecretKey: cr.SecretKey})
	w.driverErr(err, "configure")
}

// viewAt asks the vendor what a parent sees on ssid's page at lea, telling it the student's
// school as its SIS knows it.
func (w *world) viewAt(lea, school, ssid string) driver.View {
	v, err := w.h.drv.ViewSchool(w.ctx, lea, school, ssid)
	w.driverErr(err, "view")
	return v
}

// schoolPair is an LEA with its pair, a student of a school that has its own pair as well, and
// a student of another school of the LEA that does not.
type schoolPair struct {
	lea, school     string
	inSchool, other candidate
	district, own   controlapi.Credentials
}

// connectSchool finds the students, connects the LEA's pair and gives the first student's
// school its own pair, both entered in the vendor's settings.
func (w *world) connectSchool() schoolPair {
	c := w.find(need{what: "enrolled with a visible report", roster: controlapi.RosterFilter{SchoolYear: "2024-25"},
		match: func(c candidate) bool { return c.visibleCount(nil) > 0 }})
	o := w.findAnother(c.lea, c.student.SSID, need{what: "of another school with a visible report", roster: controlapi.RosterFilter{SchoolYear: "2024-25"},
		student: func(s controlapi.Student) bool { return s.School != c.student.School },
		match:   func(o candidate) bool { return o.visibleCount(nil) > 0 }})
	p := schoolPair{lea: c.lea, school: c.student.School, inSchool: c, other: o}
	p.district = w.connect(c.lea)
	p.own = w.generateSchool(c.lea, p.school)
	w.configureSchool(c.lea, p.school, p.own)
	return p
}

// expectPair checks that every report listing of ssid since the cursor went through the
// wanted pair: the school's own (school != "") or the LEA's.
func (w *world) expectPair(ssid, school string, since int64, context string) {
	entries := w.journal(since)
	lists := count(entries, controlapi.RouteReports, func(e controlapi.Entry) bool { return e.SSID == ssid })
	var wrong []controlapi.Entry
	for _, e := range lists {
		if e.School != school {
			wrong = append(wrong, e)
		}
	}
	if len(lists) == 0 || len(wrong) == 0 {
		return
	}
	if school != "" {
		violation(fmt.Sprintf("%s, listed student %s's reports %d time(s) with the LEA's pair", context, ssid, len(wrong)),
			fmt.Sprintf("used school %s's own pair, which overrides the LEA's for its students (docs/api.md, \"School credentials\")", school), entries)
	}
	violation(fmt.Sprintf("%s, listed student %s's reports %d time(s) with school %s's pair", context, ssid, len(wrong), wrong[0].School),
		"used the LEA's pair: the student attends another school, which has no pair of its own", entries)
}

var _ = Describe("school credentials", Label(AreaAuthentication), func() {
	When("the LEA gave a school its own pair", func() {
		ConformanceIt("authentication/school-pair-overrides",
			"A vendor holding an LEA's pair and a school's own pair MUST use the school's pair for that school's students and the LEA's pair for the other schools' students.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2025)
				p := w.connectSchool()
				for _, c := range []candidate{p.inSchool, p.other} {
					school := ""
					if c.student.School == p.school {
						school = p.school
					}
					since := w.cursor()
					v := w.viewAt(p.lea, c.student.School, c.student.SSID)
					context := "When the parent of a student of school " + c.student.School + " opened the page"
					w.expectPair(c.student.SSID, school, since, context)
					w.expectMatches(p.lea, c.student.SSID, v, since, context)
				}
			})
	})
})

var _ = Describe("school credentials", Label(AreaRegeneration), func() {
	When("the LEA regenerates a school's own pair", func() {
		ConformanceIt("regeneration/school-pair-newest",
			"A vendor MUST use only the newest pair of each school: once the new school pair is entered the old one MUST NOT be sent again, and regenerating the LEA's pair MUST NOT replace the school's.",
			func(ctx SpecContext) {
				w := newWorld(ctx, scenario2025)
				p := w.connectSchool()
				ssid := p.inSchool.student.SSID
				w.viewAt(p.lea, p.school, ssid)
				fresh := w.generateSchool(p.lea, p.school)
				w.configureSchool(p.lea, p.school, fresh)
				since := w.cursor()
				v := w.viewAt(p.lea, p.school, ssid)
				context := "After the LEA regenerated the school's pair and entered the new one"
				entries := w.journal(since)
				if old := count(entries, controlapi.RouteToken, func(e controlapi.Entry) bool { return e.Username == p.own.Username }); len(old) > 0 {
					violation(fmt.Sprintf("%s, sent the superseded school pair %d time(s)", context, len(old)),
						"used only the newest school pair: regeneration supersedes the old one at once", entries)
				}
				w.expectPair(ssid, p.school, since, context)
				w.expectMatches(p.lea, ssid, v, since, context)

				w.configure(p.lea, w.generate(p.lea, controlapi.CoordinatorCAASPP))
				since = w.cursor()
				v = w.viewAt(p.lea, p.school, ssid)
				context = "After the LEA regenerated its own pair and entered it"
				w.expectPair(ssid, p.school, since, context)
				w.expectMatches(p.lea, ssid, v, since, context)
			})
	})
})

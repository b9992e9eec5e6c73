package findings

import "fmt"

// otherLEA finds one LEA's pair used to look up a student enrolled in another LEA.
type otherLEA struct{}

func (otherLEA) observe(e *Entry, report func(hit)) {
	if !integration(*e) || e.Route != RouteReports || e.Status != 404 || e.Code != "student_not_found" ||
		e.StudentLEA == "" || e.StudentLEA == e.LEA {
		return
	}
	report(hit{rule: RuleOtherLEA, lea: e.LEA, entry: e, evidence: []int64{e.Seq},
		detail: fmt.Sprintf("listed student %s, enrolled in LEA %s, with LEA %s's pair (404 student_not_found)", e.SSID, e.StudentLEA, e.LEA)})
}

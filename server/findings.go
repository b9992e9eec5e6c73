package server

import (
	"time"

	"github.com/ssrmock/ssrmock/findings"
)

// record journals a finished vendor request. A listing answered student_not_found for a
// student who exists notes the student's LEA, so that the findings can tell a lookup with
// another LEA's pair.
func (sb *Sandbox) record(e *JournalEntry) {
	if e.Route == routeReports && e.Code == CodeStudentNotFound && e.SSID != "" && e.SSID != "(invalid)" {
		if v, ok := sb.student(e.SSID); ok {
			e.StudentLEA = v.LEA
		}
	}
	sb.journal.add(*e)
}

// judge feeds one numbered journal entry to the sandbox's findings.
func (sb *Sandbox) judge(e JournalEntry) {
	sb.findings.Add(findings.Entry{Seq: int64(e.Seq), At: e.At, RealAt: e.RealAt, Method: e.Method, Path: e.Path,
		Route: e.Route, LEA: e.LEA, Username: e.Username, Credential: e.Credential, TokenState: e.TokenState,
		SSID: e.SSID, Status: e.Status, Code: e.Code, RetryAfter: time.Duration(e.RetryAfter) * time.Second,
		Delay: time.Duration(e.Delay * float64(time.Second)), StudentLEA: e.StudentLEA,
		SecretInURL: e.SecretInURL, Client: e.Client})
}

// findingsPage is a page of the sandbox's findings; with findings off, an empty one.
func (sb *Sandbox) findingsPage(cursor, limit int) findings.Page {
	if sb.findings == nil {
		return findings.Page{Findings: []findings.Finding{}}
	}
	return sb.findings.List(cursor, limit)
}

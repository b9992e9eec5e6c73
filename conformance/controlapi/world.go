package controlapi

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Clock is a sandbox's simulated clock after a read or a move.
type Clock struct {
	Now time.Time `json:"now"`
	// Released lists reports released by a move; it may be capped, ReleasedCount is exact.
	Released      []Release `json:"released"`
	ReleasedCount int       `json:"releasedCount"`
}

// Release is one report released by a clock move.
type Release struct {
	ID         string    `json:"id"`
	SSID       string    `json:"ssid"`
	Assessment string    `json:"assessment"`
	SchoolYear string    `json:"schoolYear"`
	ReleasedAt time.Time `json:"releasedAt"`
}

// Clock reads sandbox sbx's clock.
func (c *Client) Clock(ctx context.Context, sbx string) (Clock, error) {
	var ck Clock
	err := c.do(ctx, http.MethodGet, sbxPath(sbx, "/clock"), nil, &ck, http.StatusOK)
	return ck, err
}

// Advance moves sandbox sbx's clock forward by d.
func (c *Client) Advance(ctx context.Context, sbx string, d time.Duration) (Clock, error) {
	var ck Clock
	err := c.do(ctx, http.MethodPost, sbxPath(sbx, "/clock"), map[string]string{"advance": d.String()}, &ck, http.StatusOK)
	return ck, err
}

// AdvanceTo moves sandbox sbx's clock forward to t.
func (c *Client) AdvanceTo(ctx context.Context, sbx string, t time.Time) (Clock, error) {
	var ck Clock
	err := c.do(ctx, http.MethodPost, sbxPath(sbx, "/clock"), map[string]string{"to": t.Format(time.RFC3339Nano)}, &ck, http.StatusOK)
	return ck, err
}

// LEA is one local educational agency of a sandbox.
type LEA struct {
	CDS      string `json:"cds"`
	Name     string `json:"name"`
	County   string `json:"county"`
	Students int    `json:"students"`
}

// LEAs lists sandbox sbx's LEAs.
func (c *Client) LEAs(ctx context.Context, sbx string) ([]LEA, error) {
	var out struct {
		LEAs []LEA `json:"leas"`
	}
	err := c.do(ctx, http.MethodGet, sbxPath(sbx, "/leas"), nil, &out, http.StatusOK)
	return out.LEAs, err
}

// Credentials is a freshly generated User Name and Secret Key pair.
type Credentials struct {
	LEA string `json:"lea"`
	// School is set for a school's own pair.
	School      string    `json:"school"`
	Username    string    `json:"username"`
	SecretKey   string    `json:"secretKey"`
	GeneratedAt time.Time `json:"generatedAt"`
	ExpiresAt   time.Time `json:"expiresAt"`
	Coordinator string    `json:"coordinator"`
	Generation  int       `json:"generation"`
}

// CredentialStatus is what TOMS shows about an LEA's pair; never the secret.
type CredentialStatus struct {
	LEA string `json:"lea"`
	// Status is "none", "active" or "expired".
	Status      string    `json:"status"`
	Username    string    `json:"username"`
	GeneratedAt time.Time `json:"generatedAt"`
	ExpiresAt   time.Time `json:"expiresAt"`
	Coordinator string    `json:"coordinator"`
	Generation  int       `json:"generation"`
}

// Coordinators who may generate an LEA's pair.
const (
	CoordinatorCAASPP = "caaspp"
	CoordinatorELPAC  = "elpac"
)

// GenerateCredentials generates or regenerates lea's pair as coordinator ("caaspp" or "elpac"),
// with "Authorization to Release Student Data to Vendors" ticked.
func (c *Client) GenerateCredentials(ctx context.Context, sbx, lea, coordinator string) (Credentials, error) {
	var cr Credentials
	in := map[string]any{"authorizeRelease": true, "coordinator": coordinator}
	err := c.do(ctx, http.MethodPost, sbxPath(sbx, "/leas/"+url.PathEscape(lea)+"/credentials"), in, &cr, http.StatusCreated)
	return cr, err
}

// CredentialStatus reads lea's credential status.
func (c *Client) CredentialStatus(ctx context.Context, sbx, lea string) (CredentialStatus, error) {
	var st CredentialStatus
	err := c.do(ctx, http.MethodGet, sbxPath(sbx, "/leas/"+url.PathEscape(lea)+"/credentials"), nil, &st, http.StatusOK)
	return st, err
}

// Student is one synthetic student as the control API describes it.
type Student struct {
	SSID            string       `json:"ssid"`
	FirstName       string       `json:"firstName"`
	MiddleName      string       `json:"middleName"`
	LastName        string       `json:"lastName"`
	BirthDate       string       `json:"birthDate"`
	Grade           string       `json:"grade"`
	PrimaryLanguage string       `json:"primaryLanguage"`
	ReportLanguage  string       `json:"reportLanguage"`
	ELStatus        string       `json:"elStatus"`
	LEA             string       `json:"lea"`
	School          string       `json:"school"`
	Enrollments     []Enrollment `json:"enrollments"`
}

// Enrollment is one stretch of a student's enrollment.
type Enrollment struct {
	SchoolYear string `json:"schoolYear"`
	Grade      string `json:"grade"`
	School     string `json:"school"`
	LEA        string `json:"lea"`
	Start      string `json:"start"`
	End        string `json:"end"`
}

// RosterFilter narrows a roster to students with a report of one family (Assessment, e.g.
// "summative-elpac") and/or in one school year (SchoolYear, e.g. "2018-19"); zero means all.
type RosterFilter struct {
	Assessment string
	SchoolYear string
}

// Roster reads one page of lea's students that match f; cursor "" is the first page. The next
// cursor is "" after the last page.
func (c *Client) Roster(ctx context.Context, sbx, lea string, f RosterFilter, limit int, cursor string) ([]Student, string, error) {
	q := url.Values{}
	if f.Assessment != "" {
		q.Set("assessment", f.Assessment)
	}
	if f.SchoolYear != "" {
		q.Set("schoolYear", f.SchoolYear)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	var out struct {
		Students   []Student `json:"students"`
		NextCursor string    `json:"nextCursor"`
	}
	err := c.do(ctx, http.MethodGet, sbxPath(sbx, "/leas/"+url.PathEscape(lea)+"/students?"+q.Encode()), nil, &out, http.StatusOK)
	return out.Students, out.NextCursor, err
}

// Student reads one student.
func (c *Client) Student(ctx context.Context, sbx, ssid string) (Student, error) {
	var st Student
	err := c.do(ctx, http.MethodGet, sbxPath(sbx, "/students/"+url.PathEscape(ssid)), nil, &st, http.StatusOK)
	return st, err
}

// Transfer enrolls the student in lea from the sandbox's now on.
func (c *Client) Transfer(ctx context.Context, sbx, ssid, lea string) (Student, error) {
	var st Student
	err := c.do(ctx, http.MethodPost, sbxPath(sbx, "/students/"+url.PathEscape(ssid)+"/transfer"), map[string]string{"lea": lea}, &st, http.StatusOK)
	return st, err
}

// Amended is the new version of a rescored report.
type Amended struct {
	ReportID string `json:"reportId"`
	Version  int    `json:"version"`
}

// Amend rescores a report (by its language-independent reportId): a new version with new bytes
// replaces the old one.
func (c *Client) Amend(ctx context.Context, sbx, reportID string) (Amended, error) {
	var a Amended
	err := c.do(ctx, http.MethodPost, sbxPath(sbx, "/reports/"+url.PathEscape(reportID)+"/amend"), nil, &a, http.StatusOK)
	return a, err
}

func sbxPath(sbx, rest string) string { return "/sandboxes/" + url.PathEscape(sbx) + rest }

// LEAAt returns the LEA s is enrolled in at instant t, by the rule of the service's listing:
// the LEA of the last enrollment started by t, or of the first enrollment when none had
// started. An unreadable start counts as started.
func (s Student) LEAAt(t time.Time) string {
	lea := ""
	for _, e := range s.Enrollments {
		start, err := time.Parse(time.RFC3339Nano, e.Start)
		if err != nil || !start.After(t) {
			lea = e.LEA
		}
	}
	if lea == "" && len(s.Enrollments) > 0 {
		lea = s.Enrollments[0].LEA
	}
	return lea
}

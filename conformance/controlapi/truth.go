package controlapi

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// Truth is the ground truth about one student's reports, as seen by one LEA at one instant.
type Truth struct {
	SSID    string        `json:"ssid"`
	LEA     string        `json:"lea"`
	At      time.Time     `json:"at"`
	Reports []TruthReport `json:"reports"`
}

// TruthReport is one report in one language, released or not.
type TruthReport struct {
	// ID is the vendor-API listing id of this language's report.
	ID string `json:"id"`
	// ReportID names the report independently of language; amendments use it.
	ReportID   string `json:"reportId"`
	Program    string `json:"program"`
	Assessment string `json:"assessment"`
	SchoolYear string `json:"schoolYear"`
	Language   string `json:"language"`
	// Format is "pdf" or "html"; each format of a report is its own entry.
	Format     string    `json:"format"`
	Version    int       `json:"version"`
	ReleasedAt time.Time `json:"releasedAt"`
	Released   bool      `json:"released"`
	// Visible says whether the LEA may see the report at the instant asked about.
	Visible bool   `json:"visible"`
	SHA256  string `json:"sha256"`
}

// Visible returns the reports of t that are visible.
func (t Truth) Visible() []TruthReport {
	var out []TruthReport
	for _, r := range t.Reports {
		if r.Visible {
			out = append(out, r)
		}
	}
	return out
}

// Truth reads the ground truth of ssid's reports for lea at instant at. lea "" means the
// student's current LEA; a zero at means the sandbox's now.
func (c *Client) Truth(ctx context.Context, sbx, ssid, lea string, at time.Time) (Truth, error) {
	q := url.Values{}
	if lea != "" {
		q.Set("lea", lea)
	}
	if !at.IsZero() {
		q.Set("at", at.Format(time.RFC3339Nano))
	}
	path := sbxPath(sbx, "/students/"+url.PathEscape(ssid)+"/reports")
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var t Truth
	err := c.do(ctx, http.MethodGet, path, nil, &t, http.StatusOK)
	return t, err
}

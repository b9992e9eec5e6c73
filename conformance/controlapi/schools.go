package controlapi

import (
	"context"
	"net/http"
	"net/url"
)

// School is a school of an LEA with the state of its own pair: "none" (the LEA's pair serves
// its students), "active" or "expired".
type School struct {
	CDS         string `json:"cds"`
	Name        string `json:"name"`
	Credentials string `json:"credentials"`
}

// Schools lists lea's schools.
func (c *Client) Schools(ctx context.Context, sbx, lea string) ([]School, error) {
	var out struct {
		Schools []School `json:"schools"`
	}
	err := c.do(ctx, http.MethodGet, sbxPath(sbx, "/leas/"+url.PathEscape(lea)+"/schools"), nil, &out, http.StatusOK)
	return out.Schools, err
}

// GenerateSchoolCredentials generates or regenerates the own pair of school, a school of lea,
// as coordinator, with "Authorization to Release Student Data to Vendors" ticked. The pair
// overrides the LEA's for the school's students.
func (c *Client) GenerateSchoolCredentials(ctx context.Context, sbx, lea, school, coordinator string) (Credentials, error) {
	var cr Credentials
	in := map[string]any{"authorizeRelease": true, "coordinator": coordinator}
	path := sbxPath(sbx, "/leas/"+url.PathEscape(lea)+"/schools/"+url.PathEscape(school)+"/credentials")
	err := c.do(ctx, http.MethodPost, path, in, &cr, http.StatusCreated)
	return cr, err
}

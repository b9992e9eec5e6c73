package controlapi

import (
	"context"
	"net/http"
	"net/url"

	"github.com/ssrmock/ssrmock/findings"
)

// Findings reads one page of sandbox sbx's findings, from cursor ("" for the first page).
func (c *Client) Findings(ctx context.Context, sbx, cursor string) (findings.Page, error) {
	var p findings.Page
	q := url.Values{"limit": {"1000"}}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	err := c.do(ctx, http.MethodGet, sbxPath(sbx, "/findings?"+q.Encode()), nil, &p, http.StatusOK)
	return p, err
}

// AllFindings reads every finding of sandbox sbx, following pages. The page returned holds
// them all, with the counts of the last page read.
func (c *Client) AllFindings(ctx context.Context, sbx string) (findings.Page, error) {
	var all findings.Page
	cursor := ""
	for range 1000 {
		p, err := c.Findings(ctx, sbx, cursor)
		if err != nil {
			return all, err
		}
		all.Findings = append(all.Findings, p.Findings...)
		all.Total, all.Evaluated, all.Dropped = p.Total, p.Evaluated, p.Dropped
		if p.NextCursor == "" || p.NextCursor == cursor {
			break
		}
		cursor = p.NextCursor
	}
	if all.Findings == nil {
		all.Findings = []findings.Finding{}
	}
	return all, nil
}

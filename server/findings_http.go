package server

import "net/http"

// handleFindings lists the findings of the sandbox's vendor traffic, in the order they were
// first seen: ?cursor= (from a page's nextCursor) and ?limit= (default 100, at most 1,000).
func (s *Server) handleFindings(w http.ResponseWriter, r *http.Request) {
	s.withSandbox(w, r, func(sb *Sandbox) error {
		cursor, err := intParam(r, "cursor", 0, 0, 1<<30)
		if err != nil {
			return err
		}
		limit, err := intParam(r, "limit", 100, 1, 1000)
		if err != nil {
			return err
		}
		page, err := sb.findingsPage(r.Context(), cursor, limit)
		if err != nil {
			return err
		}
		encode(w, http.StatusOK, page)
		return nil
	})
}

package server

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/ssrmock/ssrmock/fixtures"
	"github.com/ssrmock/ssrmock/server/store"
)

// clockRequest moves a sandbox's clock: by Advance, or to To; FollowRealTime switches
// following real time on or off.
type clockRequest struct {
	Advance        *Duration `json:"advance"`
	To             time.Time `json:"to"`
	FollowRealTime *bool     `json:"followRealTime"`
}

// clockReply is a sandbox's time after a move, with what the move released.
type clockReply struct {
	Now            time.Time            `json:"now"`
	FollowRealTime bool                 `json:"followRealTime"`
	Released       []releasedReport     `json:"released"`
	ReleasedCount  int                  `json:"releasedCount"`
	Milestones     []fixtures.Milestone `json:"milestones"`
}

// releasedReport is a report released by a clock move.
type releasedReport struct {
	ID         string    `json:"id"`
	SSID       string    `json:"ssid"`
	Assessment string    `json:"assessment"`
	SchoolYear string    `json:"schoolYear"`
	ReleasedAt time.Time `json:"releasedAt"`
}

// maxReleasedListed caps the released list of one clock reply; releasedCount stays exact.
const maxReleasedListed = 500

func (s *Server) handleGetClock(w http.ResponseWriter, r *http.Request) {
	s.withSandbox(w, r, func(sb *Sandbox) error {
		encode(w, http.StatusOK, clockReply{Now: sb.now(), FollowRealTime: sb.following(), Released: []releasedReport{}, Milestones: sb.milestones(time.Time{}, sb.now())})
		return nil
	})
}

func (s *Server) handleMoveClock(w http.ResponseWriter, r *http.Request) {
	s.withSandbox(w, r, func(sb *Sandbox) error {
		var req clockRequest
		if err := decode(w, r, &req); err != nil {
			return err
		}
		if req.Advance != nil && !req.To.IsZero() {
			return Errorf(CodeBadRequest, "give advance or to, not both")
		}
		if req.Advance == nil && req.To.IsZero() && req.FollowRealTime == nil {
			return Errorf(CodeBadRequest, `give {"advance":"72h"}, {"to":"2019-05-15T08:00:00-07:00"} or {"followRealTime":true}`)
		}
		if req.Advance != nil && *req.Advance < 0 {
			return Errorf(CodeBadRequest, "the clock only moves forward: advance must not be negative")
		}
		if req.Advance != nil && time.Duration(*req.Advance) > 20*365*24*time.Hour {
			return Errorf(CodeBadRequest, "advance at most 20 years at a time")
		}
		if !req.To.IsZero() {
			if err := checkClock("to", req.To); err != nil {
				return err
			}
		}
		var from time.Time
		st, err := sb.update(r.Context(), func(st *store.State) error {
			real := sb.real.Now()
			from = clockAt(st.Clock, real)
			switch {
			case req.Advance != nil:
				to := from.Add(time.Duration(*req.Advance))
				if err := checkClock("the clock moved by advance", to); err != nil {
					return err
				}
				st.Clock = st.Clock.Set(to, real)
			case !req.To.IsZero():
				if req.To.Before(from) {
					return Errorf(CodeBadRequest, "the clock only moves forward: it is %s, after %s", pacificTime(from), pacificTime(req.To))
				}
				st.Clock = st.Clock.Set(req.To, real)
			}
			if req.FollowRealTime != nil {
				st.Clock = st.Clock.Set(clockAt(st.Clock, real), real)
				st.Clock.Following = *req.FollowRealTime
			}
			return nil
		})
		if err != nil {
			return err
		}
		now := sb.nowIn(st.Clock)
		released, err := sb.releasedBetween(r.Context(), from, now)
		if err != nil {
			return err
		}
		reply := clockReply{Now: now, FollowRealTime: st.Clock.Following, ReleasedCount: len(released), Milestones: sb.milestones(from, now)}
		reply.Released = released[:min(len(released), maxReleasedListed)]
		encode(w, http.StatusOK, reply)
		return nil
	})
}

// releasedBetween lists the reports released in (from, to] of the students this sandbox has
// been asked about. Walking every student of a statewide world on each move would cost what
// sandboxes are designed not to, so the reply speaks of the students in play.
func (sb *Sandbox) releasedBetween(ctx context.Context, from, to time.Time) ([]releasedReport, error) {
	ssids, err := sb.store.Seen(ctx, sb.ID)
	if err != nil {
		return nil, storeError(err)
	}
	slices.Sort(ssids)
	out := []releasedReport{}
	for _, ssid := range ssids {
		v, ok := sb.student(ssid)
		if !ok {
			continue
		}
		for rep := range sb.reports(v) {
			if rep.Released.After(from) && !rep.Released.After(to) {
				out = append(out, releasedReport{ID: rep.ID, SSID: ssid, Assessment: string(rep.Family), SchoolYear: rep.Year.String(), ReleasedAt: rep.Released})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b releasedReport) int { return a.ReleasedAt.Compare(b.ReleasedAt) })
	return out, nil
}

// milestones returns the scenario's milestones passed in (from, to]; a zero from means all
// of them, passed or not.
func (sb *Sandbox) milestones(from, to time.Time) []fixtures.Milestone {
	out := []fixtures.Milestone{}
	for _, m := range sb.scenario.Milestones {
		if from.IsZero() || (m.At.After(from) && !m.At.After(to)) {
			out = append(out, m)
		}
	}
	return out
}

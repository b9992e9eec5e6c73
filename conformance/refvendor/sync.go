package refvendor

import (
	"context"
	"sort"
)

// maxKnown bounds the students per LEA the scheduled job watches.
const maxKnown = 1000

// notice adds a student's listing to what the scheduled job watches.
func (v *Vendor) notice(lea, ssid string, reports []apiReport) {
	v.mu.Lock()
	defer v.mu.Unlock()
	st := v.leas[lea]
	if st == nil {
		return
	}
	ids := st.known[ssid]
	if ids == nil {
		if len(st.known) >= maxKnown {
			return
		}
		ids = map[string]bool{}
		st.known[ssid] = ids
	}
	for _, r := range reports {
		ids[r.ID] = true
	}
}

// Sync runs the vendor's scheduled job: it lists the reports of every student viewed so far
// and logs the reports released since (where a real portal would notify the parents). A
// failure is logged and the job carries on: it runs again next time.
func (v *Vendor) Sync(ctx context.Context) error {
	type student struct{ lea, ssid string }
	var todo []student
	v.mu.Lock()
	for lea, st := range v.leas {
		for ssid := range st.known {
			todo = append(todo, student{lea, ssid})
		}
	}
	v.mu.Unlock()
	sort.Slice(todo, func(i, j int) bool {
		if todo[i].lea != todo[j].lea {
			return todo[i].lea < todo[j].lea
		}
		return todo[i].ssid < todo[j].ssid
	})
	for _, s := range todo {
		if err := ctx.Err(); err != nil {
			return err
		}
		reports, fail := v.list(ctx, s.lea, s.ssid)
		if fail != nil {
			v.log.Info("sync: skipped a student", "lea", s.lea, "outcome", fail.Outcome)
			continue
		}
		v.mu.Lock()
		var fresh int
		if st := v.leas[s.lea]; st != nil {
			for _, r := range reports {
				if ids := st.known[s.ssid]; ids != nil && !ids[r.ID] {
					ids[r.ID] = true
					fresh++
				}
			}
		}
		v.mu.Unlock()
		if fresh > 0 {
			v.log.Info("sync: new reports released", "lea", s.lea, "reports", fresh)
		}
	}
	return nil
}

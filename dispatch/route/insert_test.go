package route

import (
	"math"
	"testing"
)

// bruteInsertion is bestInsertion without bounds, memo or blinks: every
// position of every tour, and every empty vehicle.
func (s *solver) bruteInsertion(st *state, u int32) (best float64, ok bool) {
	best = math.Inf(1)
	for v := range st.tours {
		veh := &s.p.Vehicles[v]
		if !veh.CanServe(&s.p.Jobs[u]) {
			continue
		}
		t := &st.tours[v]
		m := len(t.jobs)
		if m == 0 {
			x := s.join3(&s.startSeg[v], &s.jobSeg[u], &s.endSeg[v])
			if c, feasible := s.routeCost(v, &x, 1); feasible && c < best {
				best, ok = c, true
			}
			continue
		}
		for pos := 1; pos <= m+1; pos++ {
			x := s.join3(&t.fwd[pos-1], &s.jobSeg[u], &t.bwd[pos])
			if c, feasible := s.routeCost(v, &x, m+1); feasible && c-t.cost < best {
				best, ok = c-t.cost, true
			}
		}
	}
	return best, ok
}

// TestInsertionBoundsAndMemo checks on over-subscribed waves that the
// pruning bounds of bestInsertion and its memo of failed scans lose no
// feasible insertion: the best position of each ruined job costs what a
// brute-force scan finds, and after each ruin-and-recreate step no
// unassigned job has a feasible position.
func TestInsertionBoundsAndMemo(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    *Problem
	}{
		{"over300", overProblem(2, 300, overVans(300))},
		{"install40", installProblem(2, 40)},
		{"random200", randomProblem(3, 200, 8)},
	} {
		s := newSolver(tc.p, Options{Seed: 5})
		st := s.construct()
		s.localSearch(st, 0)
		checked := 0
		for it := range 60 {
			s.order = s.order[:0]
			s.ruin(st)
			for _, u := range s.order {
				want, wok := s.bruteInsertion(st, u)
				v, _, got := s.bestInsertion(st, u, 0, false)
				if (v >= 0) != wok || wok && math.Abs(got-want) > 1e-9*max(1, math.Abs(want)) {
					t.Fatalf("%s iteration %d: job %d: bestInsertion %v (vehicle %d), brute force %v (%v)", tc.name, it, u, got, v, want, wok)
				}
			}
			s.order = append(s.order, st.unassigned...)
			st.unassigned = st.unassigned[:0]
			s.recreate(st, s.order, 0)
			for _, u := range st.unassigned {
				if _, ok := s.bruteInsertion(st, u); ok {
					t.Fatalf("%s iteration %d: unassigned job %d has a feasible position", tc.name, it, u)
				}
				checked++
			}
		}
		if checked == 0 && tc.name != "random200" {
			t.Errorf("%s: no unassigned jobs to check", tc.name)
		}
	}
}

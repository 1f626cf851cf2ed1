package route

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// TestEliminateRemovesRoute checks on small random problems that route
// elimination removes routes the construction (and its local search) used,
// that the result is feasible and complete, and that Solve, which runs the
// same phases with the same random stream, never ends with more vehicles
// than elimination reached.
func TestEliminateRemovesRoute(t *testing.T) {
	for _, tt := range []struct {
		seed  uint64
		steps int
	}{{1, 3000}, {2, 3000}, {3, 3000}, {1, 3}} {
		seed, steps := tt.seed, tt.steps
		interrupted := steps < 100 // stopped within an attempt, which is undone
		// Capacity to spare: time windows and the shift limit the routes.
		p := randomProblem(seed, 60, 20)
		for v := range p.Vehicles {
			p.Vehicles[v].Capacity = Load{1000, 10000}
			p.Vehicles[v].ShiftEnd = 500
		}
		opt := Options{Iterations: 2 * steps, Seed: seed, MinimizeVehicles: true}
		s := newSolver(p, opt)
		st := s.construct()
		s.localSearch(st, 0)
		before := st.used
		s.eliminate(st, steps, time.Time{})
		after := st.used
		if after >= before && !interrupted {
			t.Errorf("seed %d: %d vehicles before elimination, %d after; want fewer", seed, before, after)
		}
		if lb := s.vehicleBound(); after < lb {
			t.Errorf("seed %d: %d vehicles, below the bound %d", seed, after, lb)
		}
		sol := s.solution(st)
		if err := Check(p, sol); err != nil {
			t.Errorf("seed %d: after elimination: %v", seed, err)
		}
		if len(sol.Unassigned) > 0 {
			t.Errorf("seed %d: %d jobs unassigned after elimination", seed, len(sol.Unassigned))
		}
		full, err := Solve(context.Background(), p, opt)
		if err != nil {
			t.Fatal(err)
		}
		if err := Check(p, full); err != nil {
			t.Errorf("seed %d: %v", seed, err)
		}
		if len(full.Routes) > after {
			t.Errorf("seed %d: Solve ended with %d vehicles, elimination had reached %d", seed, len(full.Routes), after)
		}
		t.Logf("seed %d: construction %d vehicles, elimination %d, Solve %d (bound %d)", seed, before, after, len(full.Routes), s.vehicleBound())
	}
}

// TestEliminateDeterministic: with Iterations set, Solve with
// MinimizeVehicles gives the same solution for the same seed.
func TestEliminateDeterministic(t *testing.T) {
	for _, n := range []int{60, 200} {
		p := randomProblem(7, n, n/3)
		opt := Options{Iterations: 1000, Seed: 11, MinimizeVehicles: true}
		a, err := Solve(context.Background(), p, opt)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Solve(context.Background(), p, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("n=%d: same seed, different solutions: %d routes %.4f vs %d routes %.4f", n, len(a.Routes), a.Distance, len(b.Routes), b.Distance)
		}
		if err := Check(p, a); err != nil {
			t.Errorf("n=%d: %v", n, err)
		}
	}
}

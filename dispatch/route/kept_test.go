package route

import (
	"context"
	"reflect"
	"testing"
)

// TestKeptArraysSameSolutions solves problems of different sizes and kinds one after another, so each solve
// reuses arrays an earlier, different one left (larger and smaller, with stale values), and checks every
// solution against the one solved with fresh arrays.
func TestKeptArraysSameSolutions(t *testing.T) {
	problems := []*Problem{
		waveProblem(1, 300), randomProblem(2, 40, 6), installProblem(3, 60), waveProblem(4, 120),
		overProblem(5, 200, overVans(200)), randomProblem(6, 8, 2), waveProblem(7, 300),
	}
	opts := []Options{{Iterations: 400, Seed: 1}, {Iterations: 0, Seed: 2}, {Iterations: 200, Seed: 3, MinimizeVehicles: true}}
	solve := func(p *Problem, o Options) *Solution {
		t.Helper()
		sol, err := Solve(context.Background(), p, o)
		if err != nil {
			t.Fatal(err)
		}
		return sol
	}
	keepArrays = false
	var fresh [][]*Solution
	for _, p := range problems {
		var row []*Solution
		for _, o := range opts {
			row = append(row, solve(p, o))
		}
		fresh = append(fresh, row)
	}
	keepArrays = true
	// Twice over, in two orders: every solve after the first reuses what another left.
	for round := range 2 {
		for k := range problems {
			i := k
			if round == 1 {
				i = len(problems) - 1 - k
			}
			for j, o := range opts {
				if got := solve(problems[i], o); !reflect.DeepEqual(got, fresh[i][j]) {
					t.Fatalf("round %d, problem %d, options %+v: the solution with kept arrays differs from the one with fresh arrays (cost %v, want %v)",
						round, i, o, got.Cost, fresh[i][j].Cost)
				}
			}
		}
	}
}

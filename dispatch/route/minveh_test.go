package route_test

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/carriersim/carriersim/dispatch/route"
)

// TestSolveMinVehiclesFeasible solves benchmark instances with
// MinimizeVehicles and checks the solutions with Check and the independent
// checker, and that they use no more vehicles than without it.
func TestSolveMinVehiclesFeasible(t *testing.T) {
	tests := []struct {
		file  string
		iters int
	}{
		{"solomon/R211.txt", 4000},
		{"solomon/RC105.txt", 4000},
		{"solomon/C203.txt", 4000},
		{"homberger/rc2_2_1.txt", 3000},
		{"homberger/r1_2_1.txt", 3000},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			if testing.Short() && filepath.Dir(tt.file) == "homberger" {
				t.Skip("200 customers")
			}
			path := filepath.Join(dataDir, tt.file)
			in := loadInstance(t, path)
			p := in.Problem()
			solve := func(minVeh bool) *route.Solution {
				sol, err := route.Solve(context.Background(), p, route.Options{Iterations: tt.iters, Seed: 3, MinimizeVehicles: minVeh})
				if err != nil {
					t.Fatal(err)
				}
				return sol
			}
			sol, plain := solve(true), solve(false)
			if len(sol.Unassigned) > 0 {
				t.Errorf("%d jobs unassigned", len(sol.Unassigned))
			}
			if err := route.Check(p, sol); err != nil {
				t.Error(err)
			}
			if d := checkRoutes(t, path, in.Routes(sol)); math.Abs(d-sol.Distance) > 1e-6 {
				t.Errorf("distance %v, recomputed %v", sol.Distance, d)
			}
			if len(sol.Routes) > len(plain.Routes) {
				t.Errorf("%d vehicles with MinimizeVehicles, %d without", len(sol.Routes), len(plain.Routes))
			}
			t.Logf("%d vehicles (%d without MinimizeVehicles), distance %.2f", len(sol.Routes), len(plain.Routes), sol.Distance)
		})
	}
}

package route_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/carriersim/carriersim/dispatch/route"
)

// timeMargin is how far past its TimeLimit Solve may return in the tests:
// far above the documented margin (a few milliseconds on 1,000 jobs), since
// the test machine may be busy with other work.
const timeMargin = 250 * time.Millisecond

// TestSolveTimeLimit checks the promise of Options.TimeLimit on a
// 1,000-customer instance: Solve returns within the limit plus a margin,
// with a complete and feasible solution. It is timed, so its bound is
// generous; -v logs the measured overrun.
func TestSolveTimeLimit(t *testing.T) {
	in := loadInstance(t, filepath.Join(dataDir, "homberger", "rc1_10_1.txt"))
	p := in.Problem()
	const limit = 200 * time.Millisecond
	for _, minVeh := range []bool{false, true} {
		start := time.Now()
		sol, err := route.Solve(context.Background(), p, route.Options{TimeLimit: limit, Seed: 1, MinimizeVehicles: minVeh})
		took := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("minimize vehicles %v: took %v, %v past the limit", minVeh, took.Round(time.Microsecond), (took - limit).Round(time.Microsecond))
		if took > limit+timeMargin {
			t.Errorf("minimize vehicles %v: Solve took %v with a time limit of %v", minVeh, took, limit)
		}
		if err := route.Check(p, sol); err != nil {
			t.Error(err)
		}
		if len(sol.Unassigned) > 0 {
			t.Errorf("minimize vehicles %v: %d jobs unassigned", minVeh, len(sol.Unassigned))
		}
	}
}

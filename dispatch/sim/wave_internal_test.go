package sim

import (
	"context"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/carriersim/carriersim/dispatch/route"
	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/geo"
	"github.com/paulmach/orb"
)

// testWave is a wave of n stops scattered up to ~10 km around a station in Beijing, with veh vans of 60
// parcels.
func testWave(n, veh int, seed uint64) *wave {
	r := rand.New(rand.NewPCG(seed, 9))
	wv := &wave{pts: []orb.Point{{116.40, 39.90}}, p: &route.Problem{}}
	for i := range n {
		a, d := r.Float64()*2*math.Pi, 0.1*math.Sqrt(r.Float64())
		wv.pts = append(wv.pts, orb.Point{116.40 + d*math.Cos(a)/math.Cos(39.9*math.Pi/180), 39.90 + d*math.Sin(a)})
		wv.p.Jobs = append(wv.p.Jobs, route.Job{Loc: i + 1, Demand: route.Load{1, int64(1 + r.IntN(20)), 10}, Service: 3, Due: 240})
	}
	for range veh {
		wv.p.Vehicles = append(wv.p.Vehicles, route.Vehicle{Capacity: route.Load{60, 800, 3000}, ShiftEnd: 300, PerDist: 0.001})
	}
	return wv
}

// TestSplitWavePartitions checks that sectors cover every stop exactly once, share out exactly the wave's
// vehicles (each at least one), share the iterations and keep small waves whole.
func TestSplitWavePartitions(t *testing.T) {
	for _, tc := range []struct {
		n, veh, k, iters, perStop, wantParts int
	}{
		{n: 100, veh: 3, k: 500, iters: 200, perStop: 0, wantParts: 1},
		{n: 100, veh: 3, k: 0, iters: 200, perStop: 0, wantParts: 1},
		{n: 1200, veh: 26, k: 500, iters: 200, perStop: 10, wantParts: 3},
		{n: 1001, veh: 20, k: 100, iters: 200, perStop: 0, wantParts: 11},
		{n: 900, veh: 4, k: 100, iters: 200, perStop: 0, wantParts: 4}, // no more sectors than vehicles
		{n: 5, veh: 2, k: 500, iters: 200, perStop: 10, wantParts: 1},
	} {
		s := &sim{w: &World{Scenario: &scenario.Scenario{Routing: scenario.Routing{Iterations: tc.iters, MaxWaveStops: tc.k,
			MaxIterationsPerStop: tc.perStop}}}, seed: 3}
		wv := testWave(tc.n, tc.veh, uint64(tc.n))
		parts := s.splitWave(wv)
		if len(parts) != tc.wantParts {
			t.Errorf("%+v: %d parts, want %d", tc, len(parts), tc.wantParts)
			continue
		}
		seen := make([]int, tc.n)
		vehicles, iters := 0, 0
		for _, pt := range parts {
			if len(pt.p.Vehicles) < 1 {
				t.Errorf("%+v: a sector without vehicles", tc)
			}
			vehicles += len(pt.p.Vehicles)
			iters += pt.iters
			for i, j := range pt.jobs {
				seen[j]++
				if pt.p.Jobs[i].Loc != i+1 || pt.p.Jobs[i].Demand != wv.p.Jobs[j].Demand {
					t.Fatalf("%+v: part job %d is not wave job %d", tc, i, j)
				}
			}
			if tc.k > 0 && (tc.n+tc.k-1)/tc.k <= tc.veh && len(pt.jobs) > tc.k {
				t.Errorf("%+v: a sector of %d stops", tc, len(pt.jobs))
			}
		}
		for j, c := range seen {
			if c != 1 {
				t.Fatalf("%+v: stop %d in %d sectors", tc, j, c)
			}
		}
		if vehicles != tc.veh {
			t.Errorf("%+v: sectors have %d vehicles, the wave %d", tc, vehicles, tc.veh)
		}
		want := tc.iters
		if tc.perStop > 0 {
			want = min(want, tc.perStop*tc.n)
		}
		if iters < want || iters > want+len(parts) {
			t.Errorf("%+v: %d iterations over the sectors, want %d (+ rounding)", tc, iters, want)
		}
	}
}

// TestSectoredWaveRoutes routes a cut wave end to end: every stop is on exactly one route or unassigned,
// no more vehicles are used than the wave has, and one or two workers give the same solution.
func TestSectoredWaveRoutes(t *testing.T) {
	solve := func(workers int) *route.Solution {
		s := &sim{w: &World{Scenario: &scenario.Scenario{Routing: scenario.Routing{Iterations: 50, MaxWaveStops: 150}}}, seed: 5,
			workers: workers}
		s.w.Travel = geo.DefaultTravel()
		wv := testWave(700, 9, 11) // tight: some stops are left for the repair, or unassigned
		wv.speed = 30
		parts := s.splitWave(wv)
		s.solveParts(context.Background(), parts)
		var repair []*part
		if r := s.repairPart(wv, parts); r != nil {
			repair = append(repair, r)
			s.solveParts(context.Background(), repair)
		}
		for _, pt := range append(slices.Clone(parts), repair...) {
			if pt.err != nil {
				t.Fatal(pt.err)
			}
		}
		if len(repair) == 0 {
			return mergeParts(parts, nil)
		}
		return mergeParts(parts, repair[0])
	}
	sol := solve(1)
	if len(sol.Routes) > 9 {
		t.Fatalf("%d routes on 9 vehicles", len(sol.Routes))
	}
	seen := make([]int, 700)
	for _, r := range sol.Routes {
		for _, j := range r.Jobs {
			seen[j]++
		}
	}
	for _, u := range sol.Unassigned {
		seen[u.Job]++
	}
	for j, c := range seen {
		if c != 1 {
			t.Fatalf("stop %d appears %d times in the merged solution", j, c)
		}
	}
	if len(sol.Unassigned) == 0 || len(sol.Unassigned) == 700 {
		t.Errorf("%d unassigned: the test wave should be tight but feasible in part", len(sol.Unassigned))
	}
	if !reflect.DeepEqual(sol, solve(2)) {
		t.Error("one and two workers gave different merged solutions")
	}
}

// TestWaveBatchesDoNotChangeResults routes each minute's waves one at a time and all at once: the outcomes
// and routes must be the same, as a batch is applied before the next is prepared.
func TestWaveBatchesDoNotChangeResults(t *testing.T) {
	in := dispatchInput(t, 3000)
	run := func(batch int) *Run {
		r, err := Simulate(context.Background(), in.w, in.pol, in.orders, 1, Options{Workers: 2, batch: batch})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	one, all := run(1), run(1<<20)
	if !reflect.DeepEqual(one.Outcomes, all.Outcomes) || !reflect.DeepEqual(one.Routes, all.Routes) {
		t.Error("routing a minute's waves one at a time and all at once gave different results")
	}
	if len(one.Routes) == 0 {
		t.Error("no routes")
	}
}

// TestWaveMatrixOnDemand checks that the matrix computed on demand, read in any order, holds what a full
// table of the points would: float32 road metres, the same both ways, 0 on the diagonal and between two
// stops at the same door, and times at the wave's pace; Trip gives both of a trip at once.
func TestWaveMatrixOnDemand(t *testing.T) {
	wv := testWave(60, 1, 3)
	pts := append(slices.Clone(wv.pts), wv.pts[7]) // a second stop at stop 6's door
	tr := geo.DefaultTravel()
	m := newWaveMatrix(tr, pts, 25, 8*60)
	n := len(pts)
	want := func(i, j int) float64 {
		vi, vj := geo.UnitVectorOf(pts[min(i, j)]), geo.UnitVectorOf(pts[max(i, j)])
		return float64(float32(tr.Circuity * float64(vi.Distance(vj))))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 3 * n * n {
		i, j := r.IntN(n), r.IntN(n)
		d := m.Dist(i, j)
		if w := want(i, j); d != w {
			t.Fatalf("Dist(%d, %d) = %v, want %v", i, j, d, w)
		}
		if d != m.Dist(j, i) {
			t.Fatalf("Dist(%d, %d) = %v but Dist(%d, %d) = %v", i, j, d, j, i, m.Dist(j, i))
		}
		if tm := m.Time(i, j); tm != d*m.minPerM {
			t.Fatalf("Time(%d, %d) = %v, want %v", i, j, tm, d*m.minPerM)
		}
		if tm, dm := m.Trip(i, j); tm != m.Time(i, j) || dm != d {
			t.Fatalf("Trip(%d, %d) = %v, %v, want %v, %v", i, j, tm, dm, m.Time(i, j), d)
		}
	}
	if d := m.Dist(7, n-1); d != 0 {
		t.Errorf("two stops at one door are %v m apart", d)
	}
	if d := m.Dist(5, 5); d != 0 {
		t.Errorf("Dist(5, 5) = %v", d)
	}
	if want := tr.Minutes(1000, 25, 8*60) / 1000; m.minPerM != want {
		t.Errorf("minPerM = %v, want %v", m.minPerM, want)
	}
}

package route

import (
	"context"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
	"time"
)

// waveMatrix mirrors the simulation's matrix: metres computed on demand from
// the points (no n×n table) and rounded to float32, travel time proportional
// to distance. Each call costs a few nanoseconds, as in the simulation.
type waveMatrix struct {
	xs, ys  []float64
	minPerM float64
}

func (m *waveMatrix) Dist(i, j int) float64 {
	dx, dy := m.xs[i]-m.xs[j], m.ys[i]-m.ys[j]
	return float64(float32(1.3 * math.Sqrt(dx*dx+dy*dy)))
}
func (m *waveMatrix) Time(i, j int) float64 { return m.Dist(i, j) * m.minPerM }
func (m *waveMatrix) Len() int              { return len(m.xs) }

// cluster is a Gaussian cloud of stops (metres from the depot).
type cluster struct{ x, y, sd float64 }

// drawClusters draws the 8+n/60 clusters of an n-stop wave, centred 0.5 km to 0.5 km + spread from the depot.
func drawClusters(r *rand.Rand, n int, spread float64) []cluster {
	cs := make([]cluster, 8+n/60)
	for i := range cs {
		d := 500 + math.Sqrt(r.Float64())*spread
		a := r.Float64() * 2 * math.Pi
		cs[i] = cluster{d * math.Cos(a), d * math.Sin(a), 300 + r.Float64()*2500}
	}
	return cs
}

// point draws a stop of the cluster.
func (c cluster) point(r *rand.Rand) (x, y float64) {
	return c.x + r.NormFloat64()*c.sd, c.y + r.NormFloat64()*c.sd
}

// waveProblem returns a station wave like the simulation's: n parcel stops in
// clusters centred 0.5-12.5 km from a depot at location 0 (metres, road factor 1.3, 30
// km/h), one window [t0, t0+270] for all, 3 minutes of service, identical vans
// and a fleet about 1.3 times what capacity needs.
func waveProblem(seed uint64, n int) *Problem {
	r := rand.New(rand.NewPCG(seed, 2))
	xs, ys := make([]float64, n+1), make([]float64, n+1)
	cs := drawClusters(r, n, 12000)
	for i := 1; i <= n; i++ {
		xs[i], ys[i] = cs[r.IntN(len(cs))].point(r)
	}
	m := roadMatrix(xs, ys, 60/30000.0)
	const t0 = 480.0
	p := &Problem{Matrix: m}
	for i := 1; i <= n; i++ {
		p.Jobs = append(p.Jobs, Job{Loc: i, Demand: Load{1, 1 + r.Int64N(15), 1 + r.Int64N(60)}, Service: 3, Ready: t0, Due: t0 + 270})
	}
	// About 45 stops fill a van's time; 65 parcels its capacity.
	const capacity, perVan = 65, 45
	nv := int(math.Ceil(1.3*float64(n)/perVan)) + 1
	for range nv {
		p.Vehicles = append(p.Vehicles, Vehicle{Capacity: Load{capacity, 800, 3000}, ShiftStart: t0, ShiftEnd: t0 + 330,
			Fixed: 80, PerDist: 0.00075, PerTime: 0.6})
	}
	return p
}

// BenchmarkWave solves simulation-sized station waves with the simulation's
// options (200 iterations, no time limit).
func BenchmarkWave(b *testing.B) {
	for _, n := range []int{300, 1500} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			p := waveProblem(1, n)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Solve(context.Background(), p, Options{Iterations: 200, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "jobs/s")
		})
	}
}

func TestWave(t *testing.T) {
	for _, n := range []int{300, 1500} {
		p := waveProblem(1, n)
		start := time.Now()
		sol, err := Solve(context.Background(), p, Options{Iterations: 200, Seed: 1})
		el := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		if err := Check(p, sol); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d jobs: %v, %d routes of %d vehicles, %d unassigned, cost %.1f, %.0f km", n, el, len(sol.Routes), len(p.Vehicles), len(sol.Unassigned), sol.Cost, sol.Distance/1000)
		if len(sol.Unassigned) > 0 {
			t.Errorf("%d jobs: %d unassigned", n, len(sol.Unassigned))
		}
	}
}

// overProblem returns an over-subscribed station wave like the simulation's
// busy days: n parcel stops, three quarters in clusters up to 15 km from the
// depot and a quarter scattered 20-50 km out (road factor 1.3, 27 km/h), one
// window [t0, t0+270] for all, and nv vans with a 330-minute shift and room
// for 120 parcels. overVans gives fleets that can serve in time only about
// n/1.4 of the stops.
func overProblem(seed uint64, n, nv int) *Problem {
	r := rand.New(rand.NewPCG(seed, 3))
	xs, ys := make([]float64, n+1), make([]float64, n+1)
	cs := drawClusters(r, n, 15000)
	for i := 1; i <= n; i++ {
		if r.IntN(4) == 0 {
			d := 20000 + r.Float64()*30000
			a := r.Float64() * 2 * math.Pi
			xs[i], ys[i] = d*math.Cos(a), d*math.Sin(a)
			continue
		}
		xs[i], ys[i] = cs[r.IntN(len(cs))].point(r)
	}
	m := roadMatrix(xs, ys, 60/27000.0)
	const t0 = 480.0
	p := &Problem{Matrix: m}
	for i := 1; i <= n; i++ {
		p.Jobs = append(p.Jobs, Job{Loc: i, Demand: Load{1, 1 + r.Int64N(15), 1 + r.Int64N(60)}, Service: 3, Ready: t0, Due: t0 + 270})
	}
	for range nv {
		p.Vehicles = append(p.Vehicles, Vehicle{Capacity: Load{120, 1500, 6000}, ShiftStart: t0, ShiftEnd: t0 + 330,
			Fixed: 80, PerDist: 0.00075, PerTime: 0.6})
	}
	return p
}

// overVans is the fleet size for overProblem with n stops that leaves about
// 30% of them unassigned (0.4/1.4).
func overVans(n int) int {
	if n <= 300 {
		return max(1, n/50)
	}
	return n / 72
}

// installProblem returns an install-crew wave: n jobs within 25 km of the
// depot (27 km/h) with 70-190 minutes of service and windows [t0, t0+240];
// half need skill 1, which 2 of the 4 crews have. Crews may leave 90 minutes
// before t0 and return until t0+480. Most jobs cannot be served.
func installProblem(seed uint64, n int) *Problem {
	r := rand.New(rand.NewPCG(seed, 4))
	xs, ys := make([]float64, n+1), make([]float64, n+1)
	for i := 1; i <= n; i++ {
		d := 1000 + math.Sqrt(r.Float64())*24000
		a := r.Float64() * 2 * math.Pi
		xs[i], ys[i] = d*math.Cos(a), d*math.Sin(a)
	}
	m := roadMatrix(xs, ys, 60/27000.0)
	const t0 = 480.0
	p := &Problem{Matrix: m}
	for i := 1; i <= n; i++ {
		j := Job{Loc: i, Demand: Load{1, 20 + r.Int64N(60), 100 + r.Int64N(400)}, Service: 70 + r.Float64()*120, Ready: t0, Due: t0 + 240}
		if r.IntN(2) == 0 {
			j.Skills = 1
		}
		p.Jobs = append(p.Jobs, j)
	}
	for c := range 4 {
		v := Vehicle{Capacity: Load{6, 500, 3000}, ShiftStart: t0 - 90, ShiftEnd: t0 + 480, Fixed: 200, PerDist: 0.001, PerTime: 1}
		if c < 2 {
			v.Skills = 1
		}
		p.Vehicles = append(p.Vehicles, v)
	}
	return p
}

// BenchmarkOverWave solves over-subscribed station waves (some stops stay
// unassigned) with the simulation's options.
func BenchmarkOverWave(b *testing.B) {
	for _, n := range []int{300, 1500} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			p := overProblem(1, n, overVans(n))
			b.ReportAllocs()
			var sol *Solution
			for b.Loop() {
				var err error
				if sol, err = Solve(context.Background(), p, Options{Iterations: 200, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "jobs/s")
			b.ReportMetric(float64(len(sol.Unassigned)), "unassigned")
		})
	}
}

// BenchmarkInstallWave solves an install-crew wave with the simulation's options.
func BenchmarkInstallWave(b *testing.B) {
	p := installProblem(1, 40)
	b.ReportAllocs()
	var sol *Solution
	for b.Loop() {
		var err error
		if sol, err = Solve(context.Background(), p, Options{Iterations: 200, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(sol.Unassigned)), "unassigned")
}

// TestOverWave solves over-subscribed and install waves over a few seeds,
// checks the solutions and that a second solve gives the same one, and logs
// time, unassigned jobs and cost.
func TestOverWave(t *testing.T) {
	cases := []struct {
		name string
		p    func(seed uint64) *Problem
	}{
		{"over300", func(seed uint64) *Problem { return overProblem(seed, 300, overVans(300)) }},
		{"over1500", func(seed uint64) *Problem { return overProblem(seed, 1500, overVans(1500)) }},
		{"install40", func(seed uint64) *Problem { return installProblem(seed, 40) }},
	}
	for _, c := range cases {
		var el time.Duration
		un, cost := 0, 0.0
		for seed := uint64(1); seed <= 3; seed++ {
			p := c.p(seed)
			start := time.Now()
			sol, err := Solve(context.Background(), p, Options{Iterations: 200, Seed: seed})
			el += time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			if err := Check(p, sol); err != nil {
				t.Fatalf("%s seed %d: %v", c.name, seed, err)
			}
			if seed == 1 {
				again, _ := Solve(context.Background(), p, Options{Iterations: 200, Seed: seed})
				if !reflect.DeepEqual(sol, again) {
					t.Errorf("%s seed %d: same seed, different solutions: cost %.4f vs %.4f", c.name, seed, sol.Cost, again.Cost)
				}
			}
			un += len(sol.Unassigned)
			cost += sol.Cost
			t.Logf("%s seed %d: %d jobs, %d vehicles, %d routes, %d unassigned, cost %.1f", c.name, seed, len(p.Jobs), len(p.Vehicles), len(sol.Routes), len(sol.Unassigned), sol.Cost)
		}
		t.Logf("%s: %v per solve, %d unassigned in all, cost %.1f in all", c.name, el/3, un, cost)
	}
}

// roadMatrix is a wave matrix over planar points in metres: 1.3 x straight-line distance (the simulation's
// circuity), travel minutes = metres x minPerM.
func roadMatrix(xs, ys []float64, minPerM float64) *waveMatrix {
	return &waveMatrix{xs: xs, ys: ys, minPerM: minPerM}
}

package route

import (
	"math"
	"math/rand/v2"
)

// plane is a Euclidean test matrix with travel time = distance / speed.
type plane struct {
	xs, ys []float64
	speed  float64
}

func (m *plane) Dist(i, j int) float64 { return math.Hypot(m.xs[i]-m.xs[j], m.ys[i]-m.ys[j]) }
func (m *plane) Time(i, j int) float64 { return m.Dist(i, j) / m.speed }
func (m *plane) Len() int              { return len(m.xs) }

// randomProblem returns a delivery-wave-like problem: n jobs around a depot at
// location 0, nv vans, windows of varying width within an 8-hour shift.
func randomProblem(seed uint64, n, nv int) *Problem {
	r := rand.New(rand.NewPCG(seed, 1))
	m := &plane{xs: make([]float64, n+1), ys: make([]float64, n+1), speed: 1}
	for i := 1; i <= n; i++ {
		m.xs[i], m.ys[i] = r.Float64()*100, r.Float64()*100
	}
	m.xs[0], m.ys[0] = 50, 50
	p := &Problem{Matrix: m}
	for i := 1; i <= n; i++ {
		ready := r.Float64() * 400
		width := 30 + r.Float64()*300
		p.Jobs = append(p.Jobs, Job{Loc: i, Demand: Load{1 + r.Int64N(5), r.Int64N(20)}, Service: 2 + r.Float64()*5, Ready: ready, Due: ready + width})
	}
	for range nv {
		p.Vehicles = append(p.Vehicles, Vehicle{Capacity: Load{int64(4 * n / nv), int64(40 * n / nv)}, ShiftEnd: 900, Fixed: 50, PerDist: 1, PerTime: 0.2})
	}
	return p
}

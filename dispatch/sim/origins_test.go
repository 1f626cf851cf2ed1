package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// TestGravityOrigins checks the origin draw against its definition: two cities of equal population at 100
// and 1,000 km are drawn 1:1 with decay 0 and 10:1 with decay 1; a city within 50 km is never drawn.
func TestGravityOrigins(t *testing.T) {
	centre := orb.Point{116.4, 39.9}
	// Due east along the parallel is not a great circle, but the distances are measured, not assumed.
	cities := []OriginCity{
		{Name: "near", Point: orb.Point{117.57, 39.9}, Population: 1e6},
		{Name: "far", Point: orb.Point{128.2, 39.9}, Population: 1e6},
		{Name: "local", Point: orb.Point{116.5, 39.9}, Population: 1e9},
	}
	for _, tt := range []struct {
		decay float64
	}{{0}, {1}} {
		var o originSampler
		o.init(cities, centre, tt.decay, nil)
		if len(o.km) != 2 {
			t.Fatalf("decay %v: %d cities kept, want the two beyond 50 km", tt.decay, len(o.km))
		}
		want := math.Pow(o.km[1]/o.km[0], tt.decay) // near over far
		rng := rand.New(rand.NewPCG(1, 2))
		near := 0
		const n = 200000
		for range n {
			if o.draw(rng) == o.km[0] {
				near++
			}
		}
		got := float64(near) / float64(n-near)
		if math.Abs(got-want)/want > 0.03 {
			t.Errorf("decay %v: near/far drawn %.3f, want %.3f (km %.0f and %.0f)", tt.decay, got, want, o.km[0], o.km[1])
		}
	}
}

// TestOriginShares checks measured masses against their definition: a city given a share s of the country's
// parcels weighs s × all cities' population, the others share the rest by population, and a scenario
// without shares weighs by population exactly.
func TestOriginShares(t *testing.T) {
	centre := orb.Point{116.4, 39.9}
	cities := []OriginCity{
		{Name: "producer", Code: "330700", Point: orb.Point{119.65, 29.1}, Population: 1e6},
		{Name: "a", Code: "440100", Point: orb.Point{113.26, 23.13}, Population: 3e6},
		{Name: "b", Code: "510100", Point: orb.Point{104.07, 30.67}, Population: 6e6},
	}
	weights := func(o *originSampler) []float64 {
		w := make([]float64, len(o.cum))
		for i := range o.cum {
			w[i] = o.cum[i]
			if i > 0 {
				w[i] -= o.cum[i-1]
			}
		}
		return w
	}
	var plain originSampler
	plain.init(cities, centre, 0, nil)
	for i, w := range weights(&plain) {
		if w != cities[i].Population {
			t.Errorf("no shares: city %d weighs %v, want its population %v", i, w, cities[i].Population)
		}
	}
	var o originSampler
	o.init(cities, centre, 0, map[string]float64{"330700": 0.4})
	w := weights(&o)
	// All population 10 M: the producer 0.4 × 10 M = 4 M; the others 6 M in the ratio 3:6.
	for i, want := range []float64{4e6, 2e6, 4e6} {
		if math.Abs(w[i]-want) > 1e-6 {
			t.Errorf("shares: city %d weighs %v, want %v", i, w[i], want)
		}
	}
}

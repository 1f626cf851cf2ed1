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
		o.init(cities, centre, tt.decay)
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

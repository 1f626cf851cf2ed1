package metrics

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRoundedCountsExact checks that quantiles from counts of rounded values equal the rounded nearest-rank
// quantiles of the values themselves, for latencies in minutes (0.1) and durations in hours (0.01).
func TestRoundedCountsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, places := range []int{1, 2} {
		for _, n := range []int{1, 2, 7, 100, 5000} {
			c := newRoundedCounts(places)
			v := make([]float64, n)
			for i := range v {
				v[i] = rng.ExpFloat64()*900 - 30 // a few negative values too
				c.add(v[i])
			}
			slices.Sort(v)
			for _, q := range []float64{0, 0.01, 0.5, 0.9, 0.99, 1} {
				if got, want := c.quantile(q), round(quantile(v, q), places); got != want {
					t.Errorf("places %d, n %d, q %v: got %v, want %v", places, n, q, got, want)
				}
			}
		}
	}
	empty := newRoundedCounts(1)
	if got := empty.quantile(0.5); got != 0 {
		t.Errorf("empty: got %v, want 0", got)
	}
}

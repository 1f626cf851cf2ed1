package metrics

import (
	"math"
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

// TestDistributionQuantiles checks Distribution's quantiles against the nearest-rank quantiles of the
// values rounded and sorted, for values in any order, negative ones and repeats included.
func TestDistributionQuantiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 7, 100, 1013} {
		d := NewDistribution(1)
		var vals []float64
		for range n {
			v := math.Round((rng.ExpFloat64()*600-30)*1000) / 1000
			if rng.IntN(5) == 0 && len(vals) > 0 {
				v = vals[rng.IntN(len(vals))]
			}
			vals = append(vals, v)
			d.Add(v)
		}
		got := d.Quantiles(100)
		if n == 0 {
			if got != nil {
				t.Errorf("no values: Quantiles = %v, want nil", got)
			}
			continue
		}
		rounded := make([]float64, n)
		for i, v := range vals {
			rounded[i] = math.Round(v*10) / 10
		}
		slices.Sort(rounded)
		for k := range 100 {
			i := int(math.Ceil(float64(k+1)/100*float64(n))) - 1
			if want := rounded[max(0, min(i, n-1))]; math.Abs(got[k]-want) > 1e-9 {
				t.Fatalf("n=%d: quantile %d%% = %v, want %v", n, k+1, got[k], want)
			}
		}
		if d.Len() != n {
			t.Errorf("Len() = %d, want %d", d.Len(), n)
		}
	}
}

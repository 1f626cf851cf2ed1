package metrics

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSketchQuantiles checks the sketch against exact nearest-rank quantiles: within SketchAccuracy
// relative error (one more bin of slack for the rank convention).
func TestSketchQuantiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 10, 1000, 100000} {
		k := NewSketch()
		v := make([]float64, n)
		for i := range v {
			v[i] = math.Exp(rng.NormFloat64()*0.8 + 7) // latency-like minutes
			k.Add(v[i])
		}
		slices.Sort(v)
		for _, q := range []float64{0.5, 0.9, 0.99} {
			exact, got := quantile(v, q), k.Quantile(q)
			// The sketch's rank is q(n-1), nearest-rank's ceil(qn)-1: compare with the neighbours too.
			lo := v[max(0, int(math.Ceil(q*float64(n)))-2)]
			if got < lo*(1-2*SketchAccuracy) || got > exact*(1+2*SketchAccuracy) {
				t.Errorf("n=%d q=%g: sketch %g, exact %g (neighbour %g), beyond %g relative", n, q, got, exact, lo, SketchAccuracy)
			}
		}
		if k.Count() != n {
			t.Errorf("n=%d: count %d", n, k.Count())
		}
	}
}

// TestSketchMergeOrder checks that merging is exact and order-free: the same bytes whatever the grouping.
func TestSketchMergeOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	parts := make([]*Sketch, 5)
	for i := range parts {
		parts[i] = NewSketch()
		for range 200 * (i + 1) {
			parts[i].Add(rng.Float64() * 5000)
		}
		parts[i].Add(0)
	}
	merged := func(order []int) string {
		k := NewSketch()
		for _, i := range order {
			k.Merge(parts[i])
		}
		b, err := json.Marshal(k)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	want := merged([]int{0, 1, 2, 3, 4})
	for _, order := range [][]int{{4, 3, 2, 1, 0}, {2, 0, 4, 1, 3}} {
		if got := merged(order); got != want {
			t.Errorf("merge order %v gives other bytes", order)
		}
	}
	// Round trip through JSON.
	var back Sketch
	if err := json.Unmarshal([]byte(want), &back); err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(&back); string(b) != want {
		t.Errorf("JSON round trip changed the sketch:\n%s\n%s", b, want)
	}
}

func TestSketchUnmarshalErrors(t *testing.T) {
	for _, in := range []string{
		`{"relative_accuracy":0.01,"zero":0,"bins":[]}`,
		`{"relative_accuracy":0.005,"zero":-1,"bins":[]}`,
		`{"relative_accuracy":0.005,"zero":0,"bins":[[1.5,2]]}`,
		`{"relative_accuracy":0.005,"zero":0,"bins":[[1,0]]}`,
	} {
		var k Sketch
		if err := json.Unmarshal([]byte(in), &k); err == nil {
			t.Errorf("%s: decoded without error", in)
		}
	}
}

func TestMergeFleets(t *testing.T) {
	a := []FleetReport{{Carrier: "jdl", Fleet: "van", Unit: "parcels", UnitsPerWave: 3, Booked: 50, Offered: 100, ToDay: 2},
		{Carrier: "jdl", Fleet: "crew", Unit: "crew_minutes", UnitsPerWave: 1, Booked: 30, Offered: 60, FromDay: 1, ToDay: 2}}
	b := []FleetReport{{Carrier: "jdl", Fleet: "van", Unit: "parcels", UnitsPerWave: 2, Booked: 25, Offered: 100, ToDay: 2}}
	got := MergeFleets(a, b)
	if len(got) != 2 || got[0].UnitsPerWave != 5 || got[0].Booked != 75 || got[0].Offered != 200 || got[0].Utilisation != 0.375 ||
		got[1].Utilisation != 0.5 || got[1].FromDay != 1 {
		t.Errorf("MergeFleets = %+v", got)
	}
}

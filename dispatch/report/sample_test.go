package report

import (
	"slices"
	"testing"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/sim"
)

// sampleComparison has warm warm-up orders, then day day orders; ids are indices.
func sampleComparison(seed uint64, warm, day int) *dispatch.Comparison {
	c := &dispatch.Comparison{Seed: seed, Orders: make([]sim.Order, warm+day)}
	for i := range c.Orders {
		c.Orders[i].Warmup = i < warm
	}
	return c
}

func sampledIDs(c *dispatch.Comparison, s *Sample) []int32 {
	var ids []int32
	for i := range c.Orders {
		if s.Order(int32(i)) {
			ids = append(ids, int32(i))
		}
	}
	return ids
}

func TestSampleDrawsNDayOrdersSpreadOverIDs(t *testing.T) {
	const warm, day, n = 1000, 20000, 2000
	c := sampleComparison(7, warm, day)
	s := NewSample(c, n)
	if s.Size() != n {
		t.Fatalf("Size() = %d, want %d", s.Size(), n)
	}
	ids := sampledIDs(c, s)
	if len(ids) != n {
		t.Fatalf("%d orders sampled, want %d", len(ids), n)
	}
	// The sample is the n smallest keys of the day orders.
	var keys []uint64
	for i := warm; i < warm+day; i++ {
		keys = append(keys, s.key(int32(i)))
	}
	slices.Sort(keys)
	if s.threshold != keys[n-1] {
		t.Errorf("threshold %x, want the %dth smallest key %x", s.threshold, n, keys[n-1])
	}
	// No warm-up order, and every tenth of the day's ids holds about a tenth of the sample (binomial,
	// sd about 13).
	tenths := make([]int, 10)
	for _, id := range ids {
		if id < warm {
			t.Fatalf("warm-up order %d sampled", id)
		}
		tenths[(int(id)-warm)*10/day]++
	}
	for i, k := range tenths {
		if k < n/10-80 || k > n/10+80 {
			t.Errorf("tenth %d of the ids has %d sampled orders, want about %d: %v", i, k, n/10, tenths)
		}
	}
	// Deterministic for a seed, different for another.
	if again := sampledIDs(c, NewSample(sampleComparison(7, warm, day), n)); !slices.Equal(ids, again) {
		t.Error("the same seed drew a different sample")
	}
	other := sampledIDs(c, NewSample(sampleComparison(8, warm, day), n))
	common := 0
	for _, id := range other {
		if _, ok := slices.BinarySearch(ids, id); ok {
			common++
		}
	}
	if common > n/5 { // about n*n/day = 200 expected by chance
		t.Errorf("seeds 7 and 8 share %d of %d sampled orders", common, n)
	}
}

func TestSampleEverythingIsNil(t *testing.T) {
	c := sampleComparison(1, 10, 100)
	for _, n := range []int{0, -1, 100, 101} {
		if s := NewSample(c, n); s != nil {
			t.Errorf("NewSample(n=%d) of 100 day orders = %+v, want nil (every order)", n, s)
		}
	}
	var s *Sample
	if s.Size() != 0 || !s.Order(0) {
		t.Error("a nil sample must draw every order")
	}
	if got := len(sampledIDs(c, NewSample(c, 99))); got != 99 {
		t.Errorf("n=99 drew %d orders", got)
	}
}

func TestSampleRoutes(t *testing.T) {
	c := sampleComparison(3, 5, 1000)
	s := NewSample(c, 50)
	ids := sampledIDs(c, s)
	var other int32 = 5
	for s.Order(other) {
		other++
	}
	for _, tc := range []struct {
		stops []int32
		want  bool
	}{
		{[]int32{other}, false},
		{[]int32{other, ids[3]}, true},
		{[]int32{0, 1, 2}, false}, // warm-up only
		{nil, false},
	} {
		r := &sim.RouteRecord{Stops: tc.stops}
		if got := s.Route(c, r); got != tc.want {
			t.Errorf("Route(stops %v) = %v, want %v", tc.stops, got, tc.want)
		}
	}
	var all *Sample
	if !all.Route(c, &sim.RouteRecord{Stops: []int32{0, other}}) || all.Route(c, &sim.RouteRecord{Stops: []int32{0, 1}}) {
		t.Error("a nil sample draws the routes that serve a day order")
	}
}

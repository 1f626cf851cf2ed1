package ledger

import (
	"flag"
	"math/rand/v2"
	"testing"
)

var degree = flag.Int("degree", DefaultDegree, "B-tree degree for the ledger benchmarks")

// benchLedger returns a ledger of resources x slots two-hour slots, each with
// room for 4 parcels and 400 l.
func benchLedger(b *testing.B, resources, slots int) *Ledger {
	b.Helper()
	l := New(*degree)
	for r := range resources {
		for s := range slots {
			start := int64(s) * 120
			if err := l.Add(Resource(r), start, start+120, Amount{Count: 4, Volume: 400}); err != nil {
				b.Fatal(err)
			}
		}
	}
	return l
}

// BenchmarkEarliestReserve measures the dispatch hot path: for a random
// resource and ready time, find the earliest slot with room and reserve it.
// To hold the ledger in a steady state about half full, each op also releases
// the reservation made len(held) ops earlier, so ns/op covers one Earliest,
// one Reserve and one Release.
func BenchmarkEarliestReserve(b *testing.B) {
	const resources, slots = 1000, 8
	l := benchLedger(b, resources, slots)
	type reservation struct {
		res   Resource
		start int64
		ok    bool
	}
	held := make([]reservation, resources*slots*2) // half of the 4-parcel capacity
	need := Amount{Count: 1, Volume: 30}
	rng := rand.New(rand.NewPCG(1, 2))
	reserves, i := 0, 0
	b.ReportAllocs()
	for b.Loop() {
		h := &held[i]
		if h.ok {
			if err := l.Release(h.res, h.start, need); err != nil {
				b.Fatal(err)
			}
		}
		res, t := Resource(rng.IntN(resources)), int64(rng.IntN(slots*120))
		s, ok := l.Earliest(res, t, need)
		if ok {
			if err := l.Reserve(res, s.Start, need); err != nil {
				b.Fatal(err)
			}
			reserves++
		}
		*h = reservation{res, s.Start, ok}
		if i++; i == len(held) {
			i = 0
		}
	}
	b.ReportMetric(float64(reserves)/b.Elapsed().Seconds(), "reserves/s")
	if err := l.Check(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkEarliest measures the query alone on a ledger whose first half of
// slots is full, so each query walks over four full slots.
func BenchmarkEarliest(b *testing.B) {
	const resources, slots = 1000, 8
	l := benchLedger(b, resources, slots)
	for r := range resources {
		for s := range slots / 2 {
			if err := l.Reserve(Resource(r), int64(s)*120, Amount{Count: 4}); err != nil {
				b.Fatal(err)
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	need := Amount{Count: 1}
	found := 0
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := l.Earliest(Resource(rng.IntN(resources)), 0, need); ok {
			found++
		}
	}
	if found == 0 {
		b.Fatal("no query found a slot")
	}
	b.ReportMetric(float64(found)/b.Elapsed().Seconds(), "queries/s")
}

// BenchmarkAdd measures building a ledger of 1,000 resources x 8 slots in
// random resource order; ns/op is per slot.
func BenchmarkAdd(b *testing.B) {
	const resources, slots = 1000, 8
	order := rand.New(rand.NewPCG(5, 6)).Perm(resources * slots)
	l := New(*degree)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if i == len(order) {
			l, i = New(*degree), 0
		}
		k := order[i]
		start := int64(k%slots) * 120
		if err := l.Add(Resource(k/slots), start, start+120, Amount{Count: 4}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "slots/s")
}

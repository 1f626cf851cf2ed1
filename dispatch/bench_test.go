package dispatch

import (
	"bytes"
	"testing"

	"github.com/carriersim/carriersim/fixtures"
)

// BenchmarkDispatch measures quote + choose + reserve for every order on one core, no routing: the
// event-loop work of each order (issue target: 1,000,000 orders/s). Both carriers quote every order
// (open policy).
func BenchmarkDispatch(b *testing.B) {
	raw, _ := fixtures.Scenario("beijing-default")
	sc, err := DecodeScenario(bytes.NewReader(raw), "beijing-default")
	if err != nil {
		b.Fatal(err)
	}
	const n = 200000
	sc.Demand.Orders = n
	w, err := NewWorld(sc)
	if err != nil {
		b.Fatal(err)
	}
	orders := OrderStream(w, 1, n)
	pol, _ := sc.PolicyByName("open")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := newSim(w, pol, orders, 1)
		b.StartTimer()
		for id := range orders {
			s.dispatch(int32(id))
		}
	}
	b.ReportMetric(float64(len(orders)*b.N)/b.Elapsed().Seconds(), "orders/s")
}

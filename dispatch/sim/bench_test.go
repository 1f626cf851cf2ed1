package sim

import (
	"bytes"
	"sync"
	"testing"

	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/fixtures"
	"github.com/carriersim/carriersim/geo"
)

// benchInput is a world and the order stream dispatched into it.
type benchInput struct {
	w      *World
	pol    *scenario.Policy
	orders []Order
	err    error
}

// benchInputs memoises the inputs per size: the testing package calls a benchmark function again for each
// b.N it tries and for each -count, and building the 1M stream takes seconds.
var benchInputs sync.Map // int -> func() benchInput

// dispatchInput returns the beijing-default world sized for n orders and the stream of seed 1 (n orders plus
// the warm-up days' installs), with the open policy.
func dispatchInput(tb testing.TB, n int) benchInput {
	tb.Helper()
	f, _ := benchInputs.LoadOrStore(n, sync.OnceValue(func() benchInput {
		raw, _ := fixtures.Scenario("beijing-default")
		sc, err := scenario.Decode(bytes.NewReader(raw), "beijing-default")
		if err != nil {
			return benchInput{err: err}
		}
		sc.Demand.Orders = n
		w, err := NewWorld(sc)
		if err != nil {
			return benchInput{err: err}
		}
		pol, _ := sc.PolicyByName("open")
		return benchInput{w: w, pol: pol, orders: OrderStream(w, 1, n)}
	}))
	in := f.(func() benchInput)()
	if in.err != nil {
		tb.Fatal(in.err)
	}
	return in
}

// benchDispatch dispatches the whole stream once per op, one order after another on one goroutine.
func benchDispatch(b *testing.B, n int) {
	in := dispatchInput(b, n)
	stations := 0
	for _, nw := range in.w.Carriers {
		stations += len(nw.Stations)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := newSim(in.w, in.pol, in.orders, 1, false)
		b.StartTimer()
		for id := range in.orders {
			s.dispatch(int32(id))
		}
	}
	b.ReportMetric(float64(len(in.orders)*b.N)/b.Elapsed().Seconds(), "orders/s")
	b.ReportMetric(float64(stations), "stations")
}

// BenchmarkDispatch measures quote + choose + reserve for every order on one core, no routing: the
// event-loop work of each order (issue target: 1,000,000 orders/s). Both carriers quote every order
// (open policy).
func BenchmarkDispatch(b *testing.B) { benchDispatch(b, 200000) }

// BenchmarkDispatch1M is BenchmarkDispatch at city scale: the world built for 1M orders (about 166 stations
// per carrier, against about 34 at 200k) and its whole stream of about 1.1M orders, so the station count,
// ledger size and slot fill are those of the 1M pipeline run.
func BenchmarkDispatch1M(b *testing.B) { benchDispatch(b, 1000000) }

// BenchmarkQuote measures one carrier's quote alone (nearest station, earliest wave with room, cost and ETA
// estimate), for every order of the 200k stream and each carrier, against an empty ledger.
func BenchmarkQuote(b *testing.B) {
	in := dispatchInput(b, 200000)
	s := newSim(in.w, in.pol, in.orders, 1, false)
	us := make([]geo.UnitVector, len(in.orders))
	for i := range in.orders {
		us[i] = geo.UnitVectorOf(in.orders[i].Dest)
	}
	var q quote
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for id := range in.orders {
			for ci := range in.w.Carriers {
				s.quote(&q, &in.orders[id], us[id], ci)
			}
		}
	}
	b.ReportMetric(float64(len(in.orders)*len(in.w.Carriers)*b.N)/b.Elapsed().Seconds(), "quotes/s")
}

// Package bench holds whole-pipeline benchmarks: generation, dispatch, routing and report at city scale.
// Run them with `go test -bench . -benchtime 1x ./bench/`; `make bench-micro` runs the package micro-benchmarks and `make bench`
// the scale harness (go run ./bench/scale).
package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/report"
	"github.com/carriersim/carriersim/fixtures"
)

func world(b *testing.B, orders int) *dispatch.World {
	raw, _ := fixtures.Scenario("beijing-default")
	sc, err := dispatch.DecodeScenario(bytes.NewReader(raw), "beijing-default")
	if err != nil {
		b.Fatal(err)
	}
	sc.Demand.Orders = orders
	w, err := dispatch.NewWorld(sc)
	if err != nil {
		b.Fatal(err)
	}
	return w
}

// BenchmarkCompare runs the default compare (closed and open, routing included) and reports orders/s over
// both policies.
func BenchmarkCompare(b *testing.B) {
	for _, n := range []int{10000, 50000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			w := world(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c, err := dispatch.Compare(context.Background(), w, []string{"closed", "open"}, 1, n)
				if err != nil {
					b.Fatal(err)
				}
				if err := report.WriteJSON(io.Discard, &c.Report); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(2*n*b.N)/b.Elapsed().Seconds(), "orders/s")
		})
	}
}

// BenchmarkGenerate measures the seeded order generator alone.
func BenchmarkGenerate(b *testing.B) {
	w := world(b, 100000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dispatch.GenerateOrders(w, uint64(i), 100000)
	}
	b.ReportMetric(float64(100000*b.N)/b.Elapsed().Seconds(), "orders/s")
}

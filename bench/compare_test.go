// Package bench holds whole-pipeline benchmarks: generation, dispatch, routing and report at city scale.
// Run them with `go test -bench . -benchtime 1x ./bench/`; `make bench-micro` runs the package micro-benchmarks and `make bench`
// the scale harness (go run ./bench/scale).
package bench

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/report"
	"github.com/carriersim/carriersim/dispatch/scenario"
)

func defaultScenario(b *testing.B) *scenario.Scenario {
	sc, err := scenario.Load("beijing-default")
	if err != nil {
		b.Fatal(err)
	}
	return sc
}

// BenchmarkCompare runs the default compare (closed and open, routing included) and reports orders/s over
// both policies.
func BenchmarkCompare(b *testing.B) {
	for _, n := range []int{10000, 50000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			opt := dispatch.Options{Scenario: defaultScenario(b), Policies: []string{"closed", "open"}, Seed: 1, Orders: n}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c, err := dispatch.Compare(context.Background(), opt)
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

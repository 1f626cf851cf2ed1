package dispatch_test

import (
	"context"
	"encoding/json"
	"math"
	"testing"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/metrics"
)

// TestReplicationsEqualOneByOne checks that each replication's report is, byte for byte, the report of
// Compare run alone with that replication's seeds, with and without a varied network.
func TestReplicationsEqualOneByOne(t *testing.T) {
	for _, vary := range []bool{false, true} {
		opt := dispatch.Options{Scenario: defaultScenario(t), Policies: []string{"closed", "open"}, Seed: 11, Orders: 1000}
		rep, err := dispatch.Replicate(context.Background(), opt, 3, vary)
		if err != nil {
			t.Fatal(err)
		}
		for i := range rep.Reports {
			o := opt
			o.Seed = opt.Seed + uint64(i)
			o.Workers = 1
			if vary {
				sc := *opt.Scenario
				sc.Demand.NetworkSeed += uint64(i)
				o.Scenario = &sc
			}
			alone, err := dispatch.Compare(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			got := rep.Reports[i]
			got.Replications = nil // the summary rides on replication 0's report only
			a, _ := json.Marshal(got)
			b, _ := json.Marshal(alone.Report)
			if string(a) != string(b) {
				t.Errorf("vary network %v: replication %d differs from its seeds run alone", vary, i)
			}
		}
		if rep.First.Report.Replications == nil || rep.First.Report.Replications.Replications != 3 {
			t.Errorf("replication 0's report lacks the summary of 3 replications")
		}
	}
}

// TestConfidenceIntervalShrinks checks that the 95% interval of the paired cost difference narrows roughly
// as 1/sqrt(N) from 5 to 20 replications (the ratio of half-widths near sqrt(20/5) = 2, allowing for the
// noise of the standard deviation estimated from few replications).
func TestConfidenceIntervalShrinks(t *testing.T) {
	if testing.Short() {
		t.Skip("25 small compares: not in -short")
	}
	opt := dispatch.Options{Scenario: defaultScenario(t), Policies: []string{"closed", "open"}, Seed: 100, Orders: 1000}
	half := map[int]float64{}
	for _, n := range []int{5, 20} {
		rep, err := dispatch.Replicate(context.Background(), opt, n, false)
		if err != nil {
			t.Fatal(err)
		}
		d := rep.Summary.Differences[0]
		if d.Policy != "open" || d.Baseline != "closed" || d.Metrics[0].Metric != "cost_per_order_cny" {
			t.Fatalf("first difference %s - %s %s, want open - closed cost_per_order_cny", d.Policy, d.Baseline, d.Metrics[0].Metric)
		}
		half[n] = d.Metrics[0].HalfWidth()
		t.Logf("N=%d: open-closed cost %.3f ± %.3f CNY/order", n, d.Metrics[0].Mean, half[n])
	}
	if ratio := half[5] / half[20]; ratio < 1.3 || ratio > 3.5 {
		t.Errorf("half-width ratio N=5 / N=20 is %.2f, want about 2 (1/sqrt(N))", ratio)
	}
}

func TestEstimated(t *testing.T) {
	e := metrics.Estimated([]float64{1, 2, 3, 4, 5})
	// mean 3, sd sqrt(2.5), t(4) = 2.7764: half-width 2.7764 * 1.5811 / 2.2361 = 1.9632.
	if e.Mean != 3 || math.Abs(e.SD-math.Sqrt(2.5)) > 1e-12 || math.Abs(e.HalfWidth()-1.96317) > 1e-4 {
		t.Errorf("Estimated = %+v, want mean 3, sd 1.5811, half-width 1.9632", e)
	}
	if one := metrics.Estimated([]float64{7}); one.Low != 7 || one.High != 7 || one.SD != 0 {
		t.Errorf("one value: %+v, want a zero-width interval at 7", one)
	}
	// Above the table the expansion must continue it smoothly towards the normal quantile.
	if a, b := metrics.TQuantile975(30), metrics.TQuantile975(31); !(b < a && a-b < 0.004) {
		t.Errorf("t(30) = %v, t(31) = %v: not continuous", a, b)
	}
	if v := metrics.TQuantile975(1000); math.Abs(v-1.9623) > 1e-3 {
		t.Errorf("t(1000) = %v, want 1.9623", v)
	}
}

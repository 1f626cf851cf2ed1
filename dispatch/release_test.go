package dispatch_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/metrics"
	"github.com/carriersim/carriersim/dispatch/report"
	"github.com/carriersim/carriersim/dispatch/scenario"
)

// TestReleaseOrdersSameReport runs the same compare twice, once keeping every order and route and once
// releasing each order as soon as it is folded into the report (Options.ReleaseOrders), and requires the
// JSON report, the table and the summary to be byte-identical; and the kept run's report to equal
// metrics.Summarize of its kept orders. Both scenarios have installs (split and integrated); the second
// simulates two days (day 0 a warm-up) of the nine-carrier market.
func TestReleaseOrdersSameReport(t *testing.T) {
	cases := []struct {
		scenario string
		set      map[string]string
		orders   int
	}{
		{"beijing-default", nil, 2500},
		{"beijing-2024", map[string]string{"demand.days": "2"}, 1500},
	}
	for _, tc := range cases {
		t.Run(tc.scenario, func(t *testing.T) {
			sc, err := scenario.Load(tc.scenario)
			if err != nil {
				t.Fatal(err)
			}
			for p, v := range tc.set {
				if err := sc.Override(p, v); err != nil {
					t.Fatal(err)
				}
			}
			outputs := func(release bool) ([]byte, *dispatch.Comparison) {
				opt := dispatch.Options{Scenario: sc, Policies: []string{"closed", "open"}, Seed: 3, Orders: tc.orders,
					ReleaseOrders: release}
				c, err := dispatch.Compare(context.Background(), opt)
				if err != nil {
					t.Fatal(err)
				}
				var b bytes.Buffer
				for _, write := range []func(*bytes.Buffer, *metrics.Report) error{
					func(b *bytes.Buffer, r *metrics.Report) error { return report.WriteJSON(b, r) },
					func(b *bytes.Buffer, r *metrics.Report) error { return report.WriteTable(b, r) },
					func(b *bytes.Buffer, r *metrics.Report) error { return report.WriteSummary(b, r) },
				} {
					if err := write(&b, &c.Report); err != nil {
						t.Fatal(err)
					}
				}
				return b.Bytes(), c
			}
			kept, kc := outputs(false)
			released, rc := outputs(true)
			if !bytes.Equal(kept, released) {
				t.Errorf("the report of a run that released its orders differs from one that kept them (%d vs %d bytes)",
					len(released), len(kept))
			}
			for i, run := range rc.Runs {
				if run.Outcomes != nil || run.Routes != nil || run.Finished != nil {
					t.Errorf("%s: a released run still holds its orders or routes", run.Policy.Name)
				}
				kr := kc.Runs[i]
				if len(kr.Finished) != len(kc.Orders) {
					t.Errorf("%s: %d orders finished, want each of %d once", kr.Policy.Name, len(kr.Finished), len(kc.Orders))
				}
				var a, b bytes.Buffer
				again := metrics.Report{Policies: []metrics.PolicyReport{metrics.Summarize(kc.World, kc.Orders, kr)}}
				one := metrics.Report{Policies: []metrics.PolicyReport{kc.Report.Policies[i]}}
				again.Policies[0].Carriers, one.Policies[0].Carriers = nil, nil // share changes need every policy
				if err := report.WriteJSON(&a, &again); err != nil {
					t.Fatal(err)
				}
				if err := report.WriteJSON(&b, &one); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(a.Bytes(), b.Bytes()) {
					t.Errorf("%s: Summarize of the kept run differs from the report folded during the run", kr.Policy.Name)
				}
			}
		})
	}
}

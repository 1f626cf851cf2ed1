package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/carriersim/carriersim/dispatch/metrics"
)

// WriteSummary writes the narrow table: a first line per policy saying in words what it does against the
// first policy, one row per policy with the headline figures (latency in hours), and every pairwise
// difference with its percent change. With replications every figure is a mean ± the half-width of its 95%
// confidence interval, and differences are paired. WriteTable writes the wide tables.
func WriteSummary(out io.Writer, r *metrics.Report) error {
	s := summaryOf(r)
	fmt.Fprintf(out, "scenario %s, %s; money in CNY per delivered order (cost/order: the networks as built, idle capacity paid; long run: resized to the policy's demand), latency in hours from order to door (to installed)\n",
		r.Scenario, replicationsLine(r))
	for _, d := range s.Differences {
		if d.Baseline == s.Policies[0].Policy {
			fmt.Fprintln(out, answer(d))
		}
	}
	fmt.Fprintln(out)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "policy\torders\tdelivered\tunserved\tcost/order\tlong run\tp50 h\tp90 h\ton time\tkm/order\t")
	for pi, pe := range s.Policies {
		m := byName(pe.Metrics)
		p := &r.Policies[pi]
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", pe.Policy, p.Orders,
			est(m["delivered"], "%.0f"), est(m["unserved"], "%.0f"), est(m["cost_per_order_cny"], "%.2f"),
			est(m["cost_per_order_long_run_cny"], "%.2f"),
			est(m["latency_p50_h"], "%.1f"), est(m["latency_p90_h"], "%.1f"), pctEst(m["on_time_rate"]), est(m["km_per_order"], "%.2f"))
	}
	if len(s.Differences) > 0 {
		fmt.Fprintln(tw, "\t\t\t\t\t\t\t\t\t\t")
		fmt.Fprintln(tw, "difference\t\tdelivered\tunserved\tcost/order\tlong run\tp50 h\tp90 h\ton time (points)\tkm/order\t")
		for _, d := range s.Differences {
			m := diffByName(d.Metrics)
			fmt.Fprintf(tw, "%s - %s\t\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", d.Policy, d.Baseline,
				diff(m["delivered"], "%+.0f"), diff(m["unserved"], "%+.0f"), diff(m["cost_per_order_cny"], "%+.2f"),
				diff(m["cost_per_order_long_run_cny"], "%+.2f"),
				diff(m["latency_p50_h"], "%+.1f"), diff(m["latency_p90_h"], "%+.1f"), points(m["on_time_rate"]), diff(m["km_per_order"], "%+.2f"))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := writeCarriers(out, r); err != nil {
		return err
	}
	_, err := fmt.Fprintln(out, "\n(--wide adds the tables by platform, carrier and category, installs and fleets)")
	return err
}

// summaryOf is the report's replication summary, or one made from its single run.
func summaryOf(r *metrics.Report) *metrics.ReplicationSummary {
	if r.Replications != nil {
		return r.Replications
	}
	s := metrics.SummarizeReplications([]metrics.Report{*r})
	return &s
}

func replicationsLine(r *metrics.Report) string {
	if r.Replications == nil || r.Replications.Replications < 2 {
		return fmt.Sprintf("seed %d, one replication (no confidence interval: --replications N gives one)", r.Seed)
	}
	s := r.Replications
	line := fmt.Sprintf("%d paired replications, seeds %d-%d", s.Replications, s.Seeds[0], s.Seeds[len(s.Seeds)-1])
	if len(s.NetworkSeeds) > 0 {
		line += fmt.Sprintf(", network seeds %d-%d", s.NetworkSeeds[0], s.NetworkSeeds[len(s.NetworkSeeds)-1])
	}
	return line + "; mean ± half-width of the 95% confidence interval"
}

// answer says in words what a policy does against the baseline.
func answer(d metrics.DifferenceEstimates) string {
	m := diffByName(d.Metrics)
	cost, p50, ot := m["cost_per_order_cny"], m["latency_p50_h"], m["on_time_rate"]
	verb := func(e metrics.MetricDifference, less, more string) string {
		if e.Mean < 0 {
			return less
		}
		return more
	}
	return fmt.Sprintf("%s vs %s: cost per delivered order %s (%s), median order to door %s (%s), on time %s points.",
		d.Policy, d.Baseline, diffUnit(cost, "%+.2f", "CNY"), verb(cost, "cheaper", "dearer"),
		diffUnit(p50, "%+.1f", "h"), verb(p50, "sooner", "later"), points(ot))
}

func byName(ms []metrics.MetricEstimate) map[string]metrics.Estimate {
	out := make(map[string]metrics.Estimate, len(ms))
	for _, m := range ms {
		out[m.Metric] = m.Estimate
	}
	return out
}

func diffByName(ms []metrics.MetricDifference) map[string]metrics.MetricDifference {
	out := make(map[string]metrics.MetricDifference, len(ms))
	for _, m := range ms {
		out[m.Metric] = m
	}
	return out
}

// est formats an estimate: the mean, and ± the interval's half-width when there are replications.
func est(e metrics.Estimate, format string) string {
	s := fmt.Sprintf(format, e.Mean)
	if e.N > 1 {
		s += " ± " + strings.TrimPrefix(fmt.Sprintf(format, e.HalfWidth()), "+")
	}
	return s
}

func pctEst(e metrics.Estimate) string {
	e.Mean, e.Low, e.High = 100*e.Mean, 100*e.Low, 100*e.High
	return est(e, "%.1f") + "%"
}

// diff formats a difference with its percent change.
func diff(d metrics.MetricDifference, format string) string { return diffUnit(d, format, "") }

// diffUnit is diff with a unit after the figure, before the percent change.
func diffUnit(d metrics.MetricDifference, format, unit string) string {
	e := d.Estimate
	s := fmt.Sprintf(format, e.Mean)
	if e.N > 1 {
		s += " ± " + strings.TrimPrefix(fmt.Sprintf(format, e.HalfWidth()), "+")
	}
	if unit != "" {
		s += " " + unit
	}
	if d.Percent != 0 {
		s += fmt.Sprintf(" (%+.1f%%)", d.Percent)
	}
	return s
}

// points formats a difference of rates in percentage points.
func points(d metrics.MetricDifference) string {
	e := d.Estimate
	s := fmt.Sprintf("%+.1f", 100*e.Mean)
	if e.N > 1 {
		s += fmt.Sprintf(" ± %.1f", 100*e.HalfWidth())
	}
	return s
}

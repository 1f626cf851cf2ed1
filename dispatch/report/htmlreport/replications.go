package htmlreport

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/carriersim/carriersim/dispatch/metrics"
)

// IntervalsFrom gives the page's confidence intervals from a replication summary (nil for none or one
// replication).
func IntervalsFrom(s *metrics.ReplicationSummary) []PolicyIntervals {
	if s == nil || s.Replications < 2 {
		return nil
	}
	var out []PolicyIntervals
	for _, p := range s.Policies {
		pi := PolicyIntervals{Policy: p.Policy, Replications: s.Replications}
		for _, m := range p.Metrics {
			iv := Interval{Mean: m.Mean, Lo: m.Low, Hi: m.High}
			switch m.Metric {
			case "cost_per_order_cny":
				pi.CostPerOrder = iv
			case "latency_p50_h":
				pi.P50Minutes = Interval{Mean: 60 * m.Mean, Lo: 60 * m.Low, Hi: 60 * m.High}
			case "on_time_rate":
				pi.OnTimeRate = iv
			}
		}
		out = append(out, pi)
	}
	return out
}

// SweepFrom gives the page's sweep chart data: one line per policy and headline metric against the swept
// values. Only a sweep of one field with numeric values is drawn; others return nil (the CSV has them).
func SweepFrom(s *metrics.Sweep) *Sweep {
	if s == nil || len(s.Vary) != 1 || len(s.Points) == 0 {
		return nil
	}
	out := &Sweep{Parameter: s.Vary[0].Path}
	points := slices.Clone(s.Points)
	value := func(p metrics.SweepPoint) float64 { v, _ := strconv.ParseFloat(p.Values[0], 64); return v }
	for _, p := range points {
		if _, err := strconv.ParseFloat(p.Values[0], 64); err != nil {
			return nil
		}
	}
	slices.SortStableFunc(points, func(a, b metrics.SweepPoint) int { return cmp.Compare(value(a), value(b)) })
	for _, p := range points {
		out.Values = append(out.Values, value(p))
	}
	for hi, h := range metrics.Headlines {
		sm := SweepMetric{Name: h.Name, Unit: h.Unit}
		for pi, pol := range s.Points[0].Summary.Policies {
			ser := SweepSeries{Policy: pol.Policy}
			for _, p := range points {
				e := p.Summary.Policies[pi].Metrics[hi].Estimate
				ser.Mean = append(ser.Mean, e.Mean)
				if e.N > 1 {
					ser.Lo, ser.Hi = append(ser.Lo, e.Low), append(ser.Hi, e.High)
				}
			}
			sm.Series = append(sm.Series, ser)
		}
		out.Metrics = append(out.Metrics, sm)
	}
	return out
}

package report

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/carriersim/carriersim/dispatch/metrics"
)

// WriteSweepCSV writes a sweep as a tidy table: one row per point x policy (or pairwise difference) x
// headline metric, with the point's value of each swept field, the mean, standard deviation and 95%
// confidence interval over the replications, their number, and for differences the percent change.
func WriteSweepCSV(w io.Writer, s *metrics.Sweep) error {
	cw := csv.NewWriter(w)
	header := make([]string, 0, len(s.Vary)+9)
	for _, a := range s.Vary {
		header = append(header, a.Path)
	}
	header = append(header, "kind", "policy", "baseline", "metric", "mean", "sd", "ci95_low", "ci95_high", "n", "percent")
	if err := cw.Write(header); err != nil {
		return err
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	for _, p := range s.Points {
		row := func(kind, policy, baseline, metric string, e metrics.Estimate, pct string) error {
			r := append(append([]string(nil), p.Values...), kind, policy, baseline, metric,
				num(e.Mean), num(e.SD), num(e.Low), num(e.High), strconv.Itoa(e.N), pct)
			return cw.Write(r)
		}
		for _, pe := range p.Summary.Policies {
			for _, m := range pe.Metrics {
				if err := row("policy", pe.Policy, "", m.Metric, m.Estimate, ""); err != nil {
					return err
				}
			}
		}
		for _, d := range p.Summary.Differences {
			for _, m := range d.Metrics {
				if err := row("difference", d.Policy, d.Baseline, m.Metric, m.Estimate, num(m.Percent)); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

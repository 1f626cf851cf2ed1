package dispatch

import (
	"context"
	"strings"

	"github.com/carriersim/carriersim/dispatch/metrics"
)

// MaxSweepPoints bounds the grid of a sweep.
const MaxSweepPoints = 10_000

// SweepResult is a sweep's summary per point and the comparison of its first point's first replication
// (for maps and the HTML report).
type SweepResult struct {
	metrics.Sweep
	First *Comparison
}

// Sweep runs opt at every point of the grid of axes (each a scenario field path and its values, applied to
// a copy of opt.Scenario with Scenario.Override and validated like a file), n paired replications per point
// with the same seeds at every point (so points differ only by the swept values), and summarises each point.
func Sweep(ctx context.Context, opt Options, axes []metrics.SweepAxis, n int, varyNetwork bool) (*SweepResult, error) {
	if opt.Scenario == nil {
		return nil, badInput("no scenario given")
	}
	points := 1
	for _, a := range axes {
		if len(a.Values) == 0 {
			return nil, badInput("--vary %s: expected at least one value", a.Path)
		}
		points *= len(a.Values)
		if points > MaxSweepPoints {
			return nil, badInput("--vary: the grid has more than %d points", MaxSweepPoints)
		}
	}
	res := &SweepResult{Sweep: metrics.Sweep{Vary: axes}}
	for p := range points {
		values := make([]string, len(axes))
		rest := p
		for i := len(axes) - 1; i >= 0; i-- {
			values[i] = axes[i].Values[rest%len(axes[i].Values)]
			rest /= len(axes[i].Values)
		}
		sc, err := opt.Scenario.Clone()
		if err != nil {
			return nil, err
		}
		var set []string
		for i, a := range axes {
			if err := sc.Override(a.Path, values[i]); err != nil {
				return nil, badInput("--vary %s=%s: %w", a.Path, values[i], err)
			}
			set = append(set, a.Path+"="+values[i])
		}
		if err := sc.Validate(); err != nil {
			return nil, badInput("--vary %s: %w", strings.Join(set, " "), err)
		}
		o := opt
		o.Scenario = sc
		rep, err := Replicate(ctx, o, n, varyNetwork)
		if err != nil {
			return nil, err
		}
		if p == 0 {
			res.First = rep.First
		}
		res.Points = append(res.Points, metrics.SweepPoint{Values: values, Summary: rep.Summary})
	}
	return res, nil
}

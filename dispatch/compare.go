package dispatch

import (
	"context"
	"fmt"
)

// Comparison is the result of running several policies on one order stream.
type Comparison struct {
	World  *World
	Seed   uint64
	Orders []Order
	Runs   []*Run
	Report Report
}

// Compare generates one order stream for seed (n orders on the simulated day; 0 means the scenario's
// DayOrders) and simulates each named policy on it, in the order given.
func Compare(ctx context.Context, w *World, policies []string, seed uint64, n int) (*Comparison, error) {
	if n <= 0 {
		n = w.Scenario.DayOrders()
	}
	var pols []*Policy
	for _, name := range policies {
		p, ok := w.Scenario.PolicyByName(name)
		if !ok {
			return nil, fmt.Errorf("%w: no policy %q in scenario %s (it has %s)", ErrInvalid, name, w.Scenario.Name, w.Scenario.policyNames())
		}
		pols = append(pols, p)
	}
	return CompareOrders(ctx, w, pols, seed, OrderStream(w, seed, n))
}

// CompareOrders simulates each policy on the given order stream (generated or replayed).
func CompareOrders(ctx context.Context, w *World, pols []*Policy, seed uint64, orders []Order) (*Comparison, error) {
	c := &Comparison{World: w, Seed: seed, Orders: orders}
	c.Report = Report{Scenario: w.Scenario.Name, Seed: seed}
	for _, p := range pols {
		run, err := Simulate(ctx, w, p, c.Orders, seed)
		if err != nil {
			return nil, fmt.Errorf("policy %s: %w", p.Name, err)
		}
		c.Runs = append(c.Runs, run)
		c.Report.Policies = append(c.Report.Policies, Summarize(w, c.Orders, run))
	}
	return c, nil
}

func (s *Scenario) policyNames() string {
	out := ""
	for i, p := range s.Policies {
		if i > 0 {
			out += ", "
		}
		out += p.Name
	}
	return out
}

package dispatch

import (
	"context"
	"fmt"
	"runtime"
	"sync"
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

// CompareOrders simulates each policy on the given order stream (generated or replayed). The policies run
// concurrently, sharing the cores; the world and the orders are only read, and every run's result is
// independent of how many workers it had, so the report is the same as a one-core run's.
func CompareOrders(ctx context.Context, w *World, pols []*Policy, seed uint64, orders []Order) (*Comparison, error) {
	c := &Comparison{World: w, Seed: seed, Orders: orders, Runs: make([]*Run, len(pols))}
	c.Report = Report{Scenario: w.Scenario.Name, Seed: seed, Policies: make([]PolicyReport, len(pols))}
	errs := make([]error, len(pols))
	workers := max(1, runtime.GOMAXPROCS(0)/max(1, len(pols)))
	var wg sync.WaitGroup
	for i, p := range pols {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run, err := SimulateWorkers(ctx, w, p, orders, seed, workers)
			if err != nil {
				errs[i] = fmt.Errorf("policy %s: %w", p.Name, err)
				return
			}
			c.Runs[i] = run
			c.Report.Policies[i] = Summarize(w, orders, run)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
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

package dispatch

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/carriersim/carriersim/dispatch/metrics"
)

// MaxReplications bounds Replicate's n.
const MaxReplications = 1000

// Replication is the result of paired replications of one comparison.
type Replication struct {
	// First is replication 0 (seed Options.Seed) kept whole: its world, orders and runs draw maps and
	// per-order files, and its report carries the summary of all.
	First *Comparison
	// Reports holds every replication's report, replication i at index i.
	Reports []metrics.Report
	// NetworkSeeds, when the layout varied, is each replication's network seed.
	NetworkSeeds []uint64
	Summary      metrics.ReplicationSummary
}

// Replicate runs n paired replications of the comparison opt describes: replication i uses order seed
// opt.Seed+i and, with varyNetwork, the scenario's network_seed+i (a new station layout), and every policy
// runs on the same orders within a replication. Replications run concurrently on the cores; each one's
// report is byte for byte what Compare gives for its seeds alone. opt.Progress, if set, is called with
// policy "replications" and the replications done.
func Replicate(ctx context.Context, opt Options, n int, varyNetwork bool) (*Replication, error) {
	if n < 1 || n > MaxReplications {
		return nil, badInput("replications: expected a number within [1, %d], found %d", MaxReplications, n)
	}
	if opt.Scenario == nil {
		return nil, badInput("no scenario given")
	}
	cores := opt.Workers
	if cores <= 0 {
		cores = runtime.GOMAXPROCS(0)
	}
	parallel := min(n, cores)
	progress := opt.Progress
	opt.Progress = nil
	opt.Workers = max(1, cores/parallel)

	rep := &Replication{Reports: make([]metrics.Report, n)}
	if varyNetwork {
		for i := range n {
			rep.NetworkSeeds = append(rep.NetworkSeeds, opt.Scenario.Demand.NetworkSeed+uint64(i))
		}
	}
	errs := make([]error, n)
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if ctx.Err() != nil {
				errs[i] = ctx.Err()
				return
			}
			o := opt
			o.Seed = opt.Seed + uint64(i)
			if i > 0 {
				o.Observe = nil // only replication 0 is kept for maps and per-order files
			}
			if varyNetwork {
				sc := *opt.Scenario
				sc.Demand.NetworkSeed = rep.NetworkSeeds[i]
				o.Scenario = &sc
			}
			c, err := Compare(ctx, o)
			if err != nil {
				errs[i] = fmt.Errorf("replication %d (seed %d): %w", i, o.Seed, err)
				return
			}
			rep.Reports[i] = c.Report
			if i == 0 {
				rep.First = c // the others are let go at once: only their reports are kept
			}
			mu.Lock()
			done++
			if progress != nil {
				progress("replications", int64(done), int64(n))
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	rep.Summary = metrics.SummarizeReplications(rep.Reports)
	rep.Summary.NetworkSeeds = rep.NetworkSeeds
	if n > 1 {
		rep.First.Report.Replications = &rep.Summary
	}
	return rep, nil
}

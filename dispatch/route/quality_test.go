package route

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// threadCPU returns the CPU time used by the calling OS thread: unlike wall
// time, it does not count waiting for a core on a shared machine.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var waveCost = flag.Int("wavecost", 0, "TestWaveCost: solve the benchmark waves over this many seeds and print mean cost and time")

// TestWaveCost measures the solution cost of the benchmark problems at the
// simulation's options over several seeds, for before/after comparisons of
// changes that alter results:
//
//	go test ./dispatch/route -run TestWaveCost -wavecost 5 -v
func TestWaveCost(t *testing.T) {
	if *waveCost <= 0 {
		t.Skip("quality measurement; enable with -wavecost N")
	}
	cases := []struct {
		name  string
		iters int
		p     func(seed uint64) *Problem
	}{
		{"wave300", 200, func(seed uint64) *Problem { return waveProblem(seed, 300) }},
		{"wave1500", 200, func(seed uint64) *Problem { return waveProblem(seed, 1500) }},
		{"solve1500", 100, func(seed uint64) *Problem { return randomProblem(seed+1, 1500, 60) }},
		{"over1500", 200, func(seed uint64) *Problem { return overProblem(seed, 1500, overVans(1500)) }},
		{"install40", 200, func(seed uint64) *Problem { return installProblem(seed, 40) }},
		{"install40x", 200, func(seed uint64) *Problem { return installProblem(seed, 40) }}, // again, warm
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for _, c := range cases {
		var el, cpu time.Duration
		cost, un := 0.0, 0
		for seed := uint64(1); seed <= uint64(*waveCost); seed++ {
			p := c.p(seed)
			start, c0 := time.Now(), threadCPU()
			sol, err := Solve(context.Background(), p, Options{Iterations: c.iters, Seed: seed})
			el += time.Since(start)
			cpu += threadCPU() - c0
			if err != nil {
				t.Fatal(err)
			}
			if err := Check(p, sol); err != nil {
				t.Fatalf("%s seed %d: %v", c.name, seed, err)
			}
			cost += sol.Cost
			un += len(sol.Unassigned)
		}
		k := float64(*waveCost)
		fmt.Printf("%-10s mean cost %12.3f  unassigned %6.1f  time %8.2fms  cpu %8.2fms\n", c.name, cost/k, float64(un)/k,
			el.Seconds()*1000/k, cpu.Seconds()*1000/k)
	}
}

package route

import (
	"context"
	"strconv"
	"testing"
)

// benchState returns a solver and a constructed solution of a random problem.
func benchState(b *testing.B, n, nv int) (*solver, *state) {
	p := randomProblem(1, n, nv)
	s := newSolver(p, Options{Seed: 1})
	return s, s.construct()
}

// BenchmarkJoin3 measures one O(1) insertion feasibility and cost evaluation.
func BenchmarkJoin3(b *testing.B) {
	s, st := benchState(b, 200, 20)
	t := &st.tours[0]
	m := len(t.jobs)
	b.ReportAllocs()
	var sink float64
	for i := 0; b.Loop(); i++ {
		pos := 1 + i%(m+1)
		x := s.join3(&t.fwd[pos-1], &s.jobSeg[i%s.n], &t.bwd[pos])
		sink += x.dur
	}
	_ = sink
}

// BenchmarkBestInsertion measures the scan of every position of every route for one job.
func BenchmarkBestInsertion(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			s, st := benchState(b, n, n/10)
			b.ReportAllocs()
			evals := 0
			for i := 0; b.Loop(); i++ {
				s.bestInsertion(st, int32(i%n), 0, false)
				evals += n + st.used
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(evals), "ns/position")
		})
	}
}

// BenchmarkIteration measures one ruin-and-recreate iteration with acceptance.
func BenchmarkIteration(b *testing.B) {
	p := randomProblem(1, 200, 20)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Solve(context.Background(), p, Options{Iterations: 1000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1000), "ns/iteration")
}

// BenchmarkSolve1500 is the simulation's large wave: 1,500 stops, 60 vans, few iterations.
func BenchmarkSolve1500(b *testing.B) {
	p := randomProblem(2, 1500, 60)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Solve(context.Background(), p, Options{Iterations: 100, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSolve1500Feasible checks the large-wave benchmark's solution; its speed is BenchmarkSolve1500's.
func TestSolve1500Feasible(t *testing.T) {
	p := randomProblem(2, 1500, 60)
	sol, err := Solve(context.Background(), p, Options{Iterations: 100, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(p, sol); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkNewSolver measures the set-up of a solve: neighbour lists and
// per-vehicle tables, dominated by buildNeighbours.
func BenchmarkNewSolver(b *testing.B) {
	for _, n := range []int{300, 1500} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			p := waveProblem(1, n)
			b.ReportAllocs()
			for b.Loop() {
				newSolver(p, Options{Seed: 1})
			}
		})
	}
}

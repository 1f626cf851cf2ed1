package route

import (
	"context"
	"testing"
	"time"
)

// TestSolveStopsInConstruction checks that a time limit too short to build
// a first solution of a large wave still bounds Solve, and that every job
// then is in a route or listed unassigned: the ones never tried with
// ReasonTimeLimit.
func TestSolveStopsInConstruction(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000 jobs")
	}
	p := randomProblem(1, 20000, 2000)
	p.Vehicles[0].Fixed++ // two classes of vehicles: construction by insertion only
	// 1 ms stops the preparation, 400 ms (on the machines this was written
	// on) the construction by insertion about half-way.
	for _, limit := range []time.Duration{time.Millisecond, 400 * time.Millisecond} {
		start := time.Now()
		sol, err := Solve(context.Background(), p, Options{TimeLimit: limit, Seed: 1})
		took := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		if took > limit+250*time.Millisecond {
			t.Errorf("limit %v: Solve took %v", limit, took)
		}
		if err := Check(p, sol); err != nil {
			t.Fatalf("limit %v: %v", limit, err)
		}
		untried := 0
		for _, u := range sol.Unassigned {
			if u.Reason == ReasonTimeLimit {
				untried++
			}
		}
		if limit == time.Millisecond && untried == 0 {
			t.Errorf("limit %v: no job left untried in %v (%d routes): construction was not stopped", limit, took, len(sol.Routes))
		}
		t.Logf("limit %v: took %v, %d routes, %d jobs untried", limit, took, len(sol.Routes), untried)
	}
}

// TestSolveCancelledBeforeStart checks that a context cancelled before Solve
// stops it at once with every routable job listed as untried.
func TestSolveCancelledBeforeStart(t *testing.T) {
	p := randomProblem(2, 300, 30)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sol, err := Solve(ctx, p, Options{Iterations: 1000, Seed: 1, MinimizeVehicles: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(p, sol); err != nil {
		t.Fatal(err)
	}
	if len(sol.Routes) != 0 || len(sol.Unassigned) != len(p.Jobs) {
		t.Fatalf("got %d routes and %d of %d jobs unassigned, want no route", len(sol.Routes), len(sol.Unassigned), len(p.Jobs))
	}
	for _, u := range sol.Unassigned {
		if u.Reason != ReasonTimeLimit && u.Reason != reasonOf(t, p, u.Job) {
			t.Errorf("job %d: reason %q", u.Job, u.Reason)
		}
	}
}

// reasonOf returns why job u cannot be routed even alone, "" if it can.
func reasonOf(t *testing.T, p *Problem, u int) Reason {
	t.Helper()
	return newSolver(p, Options{}).reason[u]
}

// TestBudgetWithoutLimit checks that a budget without a time limit and with
// a live context never expires, so a search bounded by iterations does not
// depend on the clock.
func TestBudgetWithoutLimit(t *testing.T) {
	b := budget{ctx: context.Background()}
	for range 3 {
		if b.expired() {
			t.Fatal("expired without a time limit")
		}
	}
	b = budget{ctx: context.Background(), at: time.Now().Add(-time.Second)}
	if !b.expired() {
		t.Fatal("not expired a second past its deadline")
	}
}

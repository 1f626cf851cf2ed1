package route

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// Options bound and steer the search.
type Options struct {
	TimeLimit  time.Duration // 0 = no time limit (then Iterations must bound the search)
	Iterations int           // 0 = until TimeLimit; with Iterations set, results are deterministic
	Seed       uint64
	// MinimizeVehicles makes the objective hierarchical: fewer vehicles first,
	// then cost. Solve then spends up to the first half of its budget (of
	// TimeLimit, or Iterations/2 pool steps) eliminating routes and the rest
	// on ruin-and-recreate at the vehicle count reached, which never grows
	// again (see the package documentation).
	MinimizeVehicles bool
}

// ErrOptions is wrapped by the error Solve returns for invalid Options.
var ErrOptions = errors.New("route: invalid options")

// Simulated annealing temperatures, as multiples of the mean edge cost of the
// first solution.
const (
	tempStart = 3.0
	tempEnd   = 0.03
)

// finalSearchIters is the number of ruin-and-recreate iterations per job
// from which the best solution gets a final local search.
const finalSearchIters = 10

// Solve routes the problem's jobs on its vehicles, minimising cost (see the
// package documentation) and leaving out only jobs that cannot be routed, each
// with a Reason. It builds a first solution, improves it by local search, and
// then runs ruin-and-recreate iterations until opt.Iterations are done or
// opt.TimeLimit has passed, whichever comes first; with both zero it returns
// after the local search. With opt.MinimizeVehicles, route elimination comes
// before ruin-and-recreate: it may use up to half of opt.Iterations (each
// step taking one job from its pool counts as an iteration) and up to half of
// opt.TimeLimit, and leaves what it does not use to ruin-and-recreate. After
// 10 or more iterations per job, the best solution gets a final local search.
// Every phase stops at opt.TimeLimit, so Solve returns within it plus a small
// margin (see the package documentation); when the limit stops even the
// construction, the jobs not yet tried are unassigned with ReasonTimeLimit.
// Cancelling ctx stops Solve in the same way: it then returns the best
// solution found so far and a nil error. The result is deterministic for a
// given Seed unless the time limit or ctx stops the search.
func Solve(ctx context.Context, p *Problem, opt Options) (*Solution, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if opt.TimeLimit < 0 {
		return nil, fmt.Errorf("%w: time limit %v is negative", ErrOptions, opt.TimeLimit)
	}
	if opt.Iterations < 0 {
		return nil, fmt.Errorf("%w: iterations %d is negative", ErrOptions, opt.Iterations)
	}
	start := time.Now()
	deadline := start.Add(opt.TimeLimit)
	b := budget{ctx: ctx}
	if opt.TimeLimit > 0 {
		b.at = deadline
	}
	s := newSolverWithin(p, opt, b)
	defer s.release()
	cur := s.construct()
	s.localSearch(cur, 0)
	if opt.Iterations == 0 && opt.TimeLimit == 0 || s.budget.expired() {
		return s.solution(cur), nil
	}
	// The ruin-and-recreate phase: its iterations and its start, from
	// which the annealing temperature falls until the deadline.
	iters, from := opt.Iterations, start
	if opt.MinimizeVehicles {
		steps, until := -1, time.Time{}
		if opt.Iterations > 0 {
			steps = opt.Iterations / 2
		}
		if opt.TimeLimit > 0 {
			until = start.Add(opt.TimeLimit / 2)
		}
		if steps != 0 {
			iters -= s.eliminate(cur, steps, until)
			from = time.Now()
		}
	}
	best := s.cloneState(cur)
	cand := s.cloneState(cur)
	// Ruin and recreate leaves moves of the local search untried: after a
	// long enough search (the local search costs about as much as a few
	// iterations per job), the best solution gets a last local search on
	// the routes that differ from these (locally optimal) ones.
	initial, improved := make([][]int32, len(cur.tours)), false
	for v := range cur.tours {
		initial[v] = slices.Clone(cur.tours[v].jobs)
	}
	edges := float64(s.n - len(s.impossible) - len(cur.unassigned) + cur.used)
	t0 := tempStart * cur.cost / max(edges, 1)
	t1 := tempEnd * cur.cost / max(edges, 1)
	frac := 0.0
	it := 0
	for ; ; it++ {
		if opt.Iterations > 0 {
			if it >= iters {
				break
			}
			frac = float64(it) / float64(iters)
		}
		if s.budget.expired() {
			break
		}
		if it&15 == 0 && opt.TimeLimit > 0 {
			frac = max(frac, float64(time.Since(from))/float64(deadline.Sub(from)))
		}
		temp := t0 * math.Pow(t1/t0, frac)
		copy(s.roomSaved, s.roomAt)
		s.order = s.order[:0]
		s.ruin(cand)
		s.order = append(s.order, cand.unassigned...)
		cand.unassigned = cand.unassigned[:0]
		s.sortJobs(s.order)
		s.failSaved = s.failSaved[:0]
		for _, u := range s.order {
			s.failSaved = append(s.failSaved, s.failAt[u])
		}
		s.recreate(cand, s.order, blinkRate)
		var accepted bool
		if s.opt.MinimizeVehicles && cand.used > cur.used && len(cand.unassigned) == len(cur.unassigned) {
			// The candidate opened vehicles. Its acceptance threshold is
			// drawn first: the repair, which costs as much as many
			// iterations, is tried only when the candidate without the new
			// routes is under it (putting their jobs elsewhere seldom
			// lowers the cost).
			thr := cur.cost - temp*math.Log(1-s.rng.Float64())
			accepted = cand.cost-s.openedCost(cand, cur) < thr && s.eliminator(cand).repair(cand, cur) &&
				s.acceptBelow(cand, cur, thr)
		} else {
			accepted = s.accept(cand, cur, temp)
		}
		if accepted {
			cur.sync(cand)
			if s.better(cur, best) {
				best.copyAll(cur)
				improved = true
			}
		} else {
			// Put back the insertion memo with the tours it describes.
			copy(s.roomAt, s.roomSaved)
			for i, u := range s.order {
				s.failAt[u] = s.failSaved[i]
			}
			cand.sync(cur)
		}
	}
	if improved && it >= finalSearchIters*s.n && !s.budget.expired() {
		since := s.clock
		s.clock++
		for v := range best.tours {
			s.modified[v] = since
			if !slices.Equal(best.tours[v].jobs, initial[v]) {
				s.modified[v] = s.clock
			}
		}
		s.localSearch(best, since)
	}
	return s.solution(best), nil
}

// accept is the simulated annealing rule: a candidate with fewer unassigned
// jobs (or vehicles, when minimised) is taken, one with more is not, and
// between equals a cost increase d is taken with probability exp(-d/temp).
func (s *solver) accept(cand, cur *state, temp float64) bool {
	if len(cand.unassigned) != len(cur.unassigned) {
		return len(cand.unassigned) < len(cur.unassigned)
	}
	if s.opt.MinimizeVehicles && cand.used != cur.used {
		return cand.used < cur.used
	}
	return cand.cost < cur.cost-temp*math.Log(1-s.rng.Float64())
}

// acceptBelow is accept with the cost threshold thr already drawn.
func (s *solver) acceptBelow(cand, cur *state, thr float64) bool {
	if len(cand.unassigned) != len(cur.unassigned) {
		return len(cand.unassigned) < len(cur.unassigned)
	}
	if cand.used != cur.used {
		return cand.used < cur.used
	}
	return cand.cost < thr
}

// openedCost is the cost of cand's routes on vehicles that cur does not use.
func (s *solver) openedCost(cand, cur *state) float64 {
	c := 0.0
	for _, v := range cand.dirtyList {
		if len(cand.tours[v].jobs) > 0 && len(cur.tours[v].jobs) == 0 {
			c += cand.tours[v].cost
		}
	}
	return c
}

// copyAll makes dst a copy of src, tour by tour.
func (dst *state) copyAll(src *state) {
	for v := range src.tours {
		d, s := &dst.tours[v], &src.tours[v]
		d.jobs = append(d.jobs[:0], s.jobs...)
		d.fwd = append(d.fwd[:0], s.fwd...)
		d.bwd = append(d.bwd[:0], s.bwd...)
		d.arcs = append(d.arcs[:0], s.arcs...)
		d.reach = append(d.reach[:0], s.reach...)
		d.cost, d.base = s.cost, s.base
	}
	copy(dst.routeOf, src.routeOf)
	copy(dst.posOf, src.posOf)
	dst.unassigned = append(dst.unassigned[:0], src.unassigned...)
	dst.cost, dst.used = src.cost, src.used
}

// construct builds a first solution: for many jobs and identical vehicles by
// the savings method, otherwise (and for the jobs left over) by cheapest
// insertion, farthest jobs first. When the budget expires it stops with the
// routes built so far; the jobs it did not try are marked untried.
func (s *solver) construct() *state {
	st := s.newState(s.n, len(s.p.Vehicles))
	jobs := make([]int32, 0, s.n)
	for u := range s.n {
		if r := s.reason[u]; r != "" {
			s.impossible = append(s.impossible, Unassigned{Job: u, Reason: r})
			continue
		}
		jobs = append(jobs, int32(u))
	}
	// With the budget spent already, no job will be tried: skip the sort.
	if !s.budget.expired() {
		slices.SortStableFunc(jobs, func(a, b int32) int {
			switch da, db := s.depotDist[a], s.depotDist[b]; {
			case da > db:
				return -1
			case da < db:
				return 1
			}
			return 0
		})
	}
	if s.nclass == 1 && len(jobs) >= granularMin && !s.budget.expired() {
		jobs = s.savings(st, jobs)
	}
	if tried := s.recreate(st, jobs, 0); tried < len(jobs) {
		s.untried = make([]bool, s.n)
		for _, u := range jobs[tried:] {
			s.untried[u] = true
		}
	}
	st.dirty = reuse(st.dirty, len(st.tours))
	st.dirtyList = st.dirtyList[:0]
	return st
}

// solution converts a search state into a Solution with schedules.
func (s *solver) solution(st *state) *Solution {
	sol := &Solution{}
	for v := range st.tours {
		t := &st.tours[v]
		m := len(t.jobs)
		if m == 0 {
			continue
		}
		veh := &s.p.Vehicles[v]
		r := Route{
			Vehicle: v,
			Jobs:    make([]int, m),
			Arrival: make([]float64, m),
			Depart:  t.fwd[m+1].e,
			Load:    t.fwd[m+1].load,
		}
		now, at := r.Depart, veh.Start
		for k, u := range t.jobs {
			j := &s.p.Jobs[u]
			t, d := s.trip(at, j.Loc)
			r.Distance += d
			now = max(now+t, j.Ready)
			r.Jobs[k], r.Arrival[k] = int(u), now
			now += j.Service
			at = j.Loc
		}
		tEnd, dEnd := s.trip(at, veh.End)
		r.Distance += dEnd
		r.Return = now + tEnd
		r.Duration = r.Return - r.Depart
		r.Cost = veh.Fixed + veh.PerDist*r.Distance + veh.PerTime*r.Duration
		sol.Routes = append(sol.Routes, r)
		sol.Cost += r.Cost
		sol.Distance += r.Distance
	}
	sol.Unassigned = append(sol.Unassigned, s.impossible...)
	for _, u := range st.unassigned {
		why := ReasonShift
		if s.untried != nil && s.untried[u] {
			why = ReasonTimeLimit
		}
		sol.Unassigned = append(sol.Unassigned, Unassigned{Job: int(u), Reason: why})
	}
	slices.SortFunc(sol.Unassigned, func(a, b Unassigned) int { return a.Job - b.Job })
	return sol
}

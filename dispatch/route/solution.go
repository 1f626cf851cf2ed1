package route

import (
	"errors"
	"fmt"
	"math"
)

// Route is the itinerary of one used vehicle.
type Route struct {
	Vehicle            int
	Jobs               []int     // job indices in visit order
	Arrival            []float64 // service start time of each job (after waiting)
	Depart, Return     float64   // departure from Start and arrival at End
	Distance, Duration float64   // Duration = Return - Depart
	Load               Load      // total demand of the route's jobs
	Cost               float64   // Fixed + PerDist*Distance + PerTime*Duration
}

// Reason says why a job is unassigned.
type Reason string

// Reasons for an unassigned job, checked in this order.
const (
	// ReasonSkill: no vehicle has every skill the job requires.
	ReasonSkill Reason = "skill"
	// ReasonCapacity: the demand exceeds the capacity of every vehicle with the skills.
	ReasonCapacity Reason = "capacity"
	// ReasonTimeWindow: no suitable vehicle can reach the job before its due time, even serving it alone.
	ReasonTimeWindow Reason = "time_window"
	// ReasonShift: no shift has room for the job (it cannot return in time, or the fleet is full).
	ReasonShift Reason = "shift"
	// ReasonTimeLimit: the time limit passed (or the context was cancelled) before the first
	// solution was complete, and the job was never tried; it may well fit.
	ReasonTimeLimit Reason = "time_limit"
)

// Unassigned is a job left out of every route, with the reason.
type Unassigned struct {
	Job    int
	Reason Reason
}

// Solution is the result of Solve: routes of the used vehicles and the jobs left out.
type Solution struct {
	Routes     []Route
	Unassigned []Unassigned
	Cost       float64 // sum of route costs (unassigned jobs add nothing here)
	Distance   float64 // sum of route distances
}

// ErrInfeasible is wrapped by every error Check returns about the solution.
var ErrInfeasible = errors.New("route: infeasible solution")

// checkTol is the absolute-or-relative tolerance Check allows on times, distances and costs.
const checkTol = 1e-6

func near(a, b float64) bool {
	return math.Abs(a-b) <= checkTol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// leq reports a <= b within tolerance.
func leq(a, b float64) bool {
	return a <= b || near(a, b)
}

// Check verifies a solution against the problem: each job exactly once (in one
// route or unassigned with a known reason), each vehicle at most once, skills,
// capacity, time windows, shift, and the reported arrival times, distances,
// durations, loads and costs, recomputed from the Matrix (within a relative
// tolerance of 1e-6). It returns nil or an error naming the first violation.
func Check(p *Problem, s *Solution) error {
	if err := p.Validate(); err != nil {
		return err
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrInfeasible, fmt.Sprintf(format, a...))
	}
	if s == nil {
		return bad("nil solution")
	}
	seen := make([]int8, len(p.Jobs))
	usedVeh := make([]bool, len(p.Vehicles))
	var cost, dist float64
	for ri := range s.Routes {
		r := &s.Routes[ri]
		if r.Vehicle < 0 || r.Vehicle >= len(p.Vehicles) {
			return bad("routes[%d].vehicle: %d outside 0..%d", ri, r.Vehicle, len(p.Vehicles)-1)
		}
		if usedVeh[r.Vehicle] {
			return bad("routes[%d].vehicle: vehicle %d has two routes", ri, r.Vehicle)
		}
		usedVeh[r.Vehicle] = true
		v := &p.Vehicles[r.Vehicle]
		if len(r.Jobs) == 0 {
			return bad("routes[%d].jobs: empty route", ri)
		}
		if len(r.Arrival) != len(r.Jobs) {
			return bad("routes[%d].arrival: %d times for %d jobs", ri, len(r.Arrival), len(r.Jobs))
		}
		if !leq(v.ShiftStart, r.Depart) {
			return bad("routes[%d].depart: %v before shift start %v", ri, r.Depart, v.ShiftStart)
		}
		var load Load
		t, d, prev := r.Depart, 0.0, v.Start
		for k, j := range r.Jobs {
			if j < 0 || j >= len(p.Jobs) {
				return bad("routes[%d].jobs[%d]: job %d outside 0..%d", ri, k, j, len(p.Jobs)-1)
			}
			if seen[j] != 0 {
				return bad("routes[%d].jobs[%d]: job %d appears twice", ri, k, j)
			}
			seen[j] = 1
			job := &p.Jobs[j]
			if job.Skills&^v.Skills != 0 {
				return bad("routes[%d].jobs[%d]: job %d needs skills %#x, vehicle %d has %#x", ri, k, j, job.Skills, r.Vehicle, v.Skills)
			}
			load = load.Add(job.Demand)
			d += p.Matrix.Dist(prev, job.Loc)
			t += p.Matrix.Time(prev, job.Loc)
			a := r.Arrival[k]
			switch {
			case !leq(t, a):
				return bad("routes[%d].arrival[%d]: job %d served at %v before the vehicle can arrive at %v", ri, k, j, a, t)
			case !leq(job.Ready, a):
				return bad("routes[%d].arrival[%d]: job %d served at %v before ready %v", ri, k, j, a, job.Ready)
			case !leq(a, job.Due):
				return bad("routes[%d].arrival[%d]: job %d served at %v after due %v", ri, k, j, a, job.Due)
			}
			t = a + job.Service
			prev = job.Loc
		}
		d += p.Matrix.Dist(prev, v.End)
		t += p.Matrix.Time(prev, v.End)
		switch {
		case !load.Fits(v.Capacity):
			return bad("routes[%d].load: %v exceeds capacity %v of vehicle %d", ri, load, v.Capacity, r.Vehicle)
		case load != r.Load:
			return bad("routes[%d].load: reported %v, jobs sum to %v", ri, r.Load, load)
		case !leq(t, r.Return):
			return bad("routes[%d].return: %v before the vehicle can be back at %v", ri, r.Return, t)
		case !leq(r.Return, v.ShiftEnd):
			return bad("routes[%d].return: %v after shift end %v", ri, r.Return, v.ShiftEnd)
		case !near(d, r.Distance):
			return bad("routes[%d].distance: reported %v, recomputed %v", ri, r.Distance, d)
		case !near(r.Return-r.Depart, r.Duration):
			return bad("routes[%d].duration: reported %v, return - depart is %v", ri, r.Duration, r.Return-r.Depart)
		}
		c := v.Fixed + v.PerDist*d + v.PerTime*(r.Return-r.Depart)
		if !near(c, r.Cost) {
			return bad("routes[%d].cost: reported %v, recomputed %v", ri, r.Cost, c)
		}
		cost += c
		dist += d
	}
	for ui, u := range s.Unassigned {
		if u.Job < 0 || u.Job >= len(p.Jobs) {
			return bad("unassigned[%d].job: %d outside 0..%d", ui, u.Job, len(p.Jobs)-1)
		}
		if seen[u.Job] != 0 {
			return bad("unassigned[%d].job: job %d is also routed or listed twice", ui, u.Job)
		}
		seen[u.Job] = 1
		switch u.Reason {
		case ReasonSkill, ReasonCapacity, ReasonTimeWindow, ReasonShift, ReasonTimeLimit:
		default:
			return bad("unassigned[%d].reason: unknown reason %q", ui, u.Reason)
		}
	}
	for j, c := range seen {
		if c == 0 {
			return bad("job %d: neither routed nor unassigned", j)
		}
	}
	if !near(dist, s.Distance) {
		return bad("distance: reported %v, routes sum to %v", s.Distance, dist)
	}
	if !near(cost, s.Cost) {
		return bad("cost: reported %v, routes sum to %v", s.Cost, cost)
	}
	return nil
}

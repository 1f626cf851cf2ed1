package route

import (
	"errors"
	"fmt"
	"math"
)

// Load is a capacity vector in up to three dimensions (e.g. parcels, kg, litres).
type Load [3]int64

// Add returns l + o.
func (l Load) Add(o Load) Load { return Load{l[0] + o[0], l[1] + o[1], l[2] + o[2]} }

// Sub returns l - o.
func (l Load) Sub(o Load) Load { return Load{l[0] - o[0], l[1] - o[1], l[2] - o[2]} }

// Fits reports whether l is at most c in every dimension.
func (l Load) Fits(c Load) bool { return l[0] <= c[0] && l[1] <= c[1] && l[2] <= c[2] }

// Matrix gives travel distance and time between locations 0..n-1 (units are the
// caller's: metres and minutes in the simulation, Euclidean units in benchmarks).
// A Matrix that also has a method Len() int has its locations range-checked by
// Problem.Validate.
type Matrix interface {
	Dist(i, j int) float64
	Time(i, j int) float64
}

// TripMatrix is a Matrix that also returns a trip's time and distance in one
// call: Trip(i, j) must return exactly Time(i, j) and Dist(i, j). The solver
// reads both for most of the trips it looks at, and then calls Trip once
// instead of Time and Dist. A Matrix whose reads are table lookups should be
// one: the solver reads a TripMatrix directly, where it keeps a cache of the
// trips of another Matrix (whose reads may compute something).
type TripMatrix interface {
	Matrix
	Trip(i, j int) (t, d float64)
}

// Job is one stop to visit.
type Job struct {
	Loc     int
	Demand  Load
	Service float64 // service duration
	Ready   float64 // earliest service start
	Due     float64 // latest service start
	Skills  uint64  // required skills bitmask (vehicle must have all)
}

// Vehicle is one vehicle or crew with its shift.
type Vehicle struct {
	Start, End              int // depot locations
	Capacity                Load
	ShiftStart              float64 // earliest departure
	ShiftEnd                float64 // latest return to End
	Skills                  uint64
	Fixed, PerDist, PerTime float64 // cost if used; per distance unit; per time unit from departure to return
}

// CanServe reports whether the vehicle has every skill the job requires and room for its demand.
func (v *Vehicle) CanServe(j *Job) bool {
	return j.Skills&^v.Skills == 0 && j.Demand.Fits(v.Capacity)
}

// Problem is a routing problem: jobs to visit with a fleet over a travel matrix.
type Problem struct {
	Matrix   Matrix
	Jobs     []Job
	Vehicles []Vehicle
}

// ErrInvalid is wrapped by every error Problem.Validate returns.
var ErrInvalid = errors.New("route: invalid problem")

// Validate checks the problem and returns an error naming the first invalid
// field, such as "jobs[3].due: before ready". It calls the Matrix only through
// its optional Len method.
func (p *Problem) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, a...))
	}
	if p == nil {
		return bad("nil problem")
	}
	if p.Matrix == nil {
		return bad("matrix: missing")
	}
	size := -1
	if l, ok := p.Matrix.(interface{ Len() int }); ok {
		size = l.Len()
	}
	loc := func(field string, i int) error {
		if i < 0 || (size >= 0 && i >= size) {
			if size >= 0 {
				return bad("%s: location %d outside 0..%d", field, i, size-1)
			}
			return bad("%s: negative location %d", field, i)
		}
		return nil
	}
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	for i := range p.Jobs {
		j := &p.Jobs[i]
		if err := loc(fmt.Sprintf("jobs[%d].loc", i), j.Loc); err != nil {
			return err
		}
		for d, q := range j.Demand {
			if q < 0 {
				return bad("jobs[%d].demand[%d]: negative (%d)", i, d, q)
			}
		}
		switch {
		case !finite(j.Service) || j.Service < 0:
			return bad("jobs[%d].service: want a finite duration >= 0, got %v", i, j.Service)
		case !finite(j.Ready):
			return bad("jobs[%d].ready: want a finite time, got %v", i, j.Ready)
		case !finite(j.Due):
			return bad("jobs[%d].due: want a finite time, got %v", i, j.Due)
		case j.Due < j.Ready:
			return bad("jobs[%d].due: before ready (%v < %v)", i, j.Due, j.Ready)
		}
	}
	for i := range p.Vehicles {
		v := &p.Vehicles[i]
		if err := loc(fmt.Sprintf("vehicles[%d].start", i), v.Start); err != nil {
			return err
		}
		if err := loc(fmt.Sprintf("vehicles[%d].end", i), v.End); err != nil {
			return err
		}
		for d, q := range v.Capacity {
			if q < 0 {
				return bad("vehicles[%d].capacity[%d]: negative (%d)", i, d, q)
			}
		}
		switch {
		case !finite(v.ShiftStart):
			return bad("vehicles[%d].shift_start: want a finite time, got %v", i, v.ShiftStart)
		case !finite(v.ShiftEnd):
			return bad("vehicles[%d].shift_end: want a finite time, got %v", i, v.ShiftEnd)
		case v.ShiftEnd < v.ShiftStart:
			return bad("vehicles[%d].shift_end: before shift_start (%v < %v)", i, v.ShiftEnd, v.ShiftStart)
		case !finite(v.Fixed) || v.Fixed < 0:
			return bad("vehicles[%d].fixed: want a finite cost >= 0, got %v", i, v.Fixed)
		case !finite(v.PerDist) || v.PerDist < 0:
			return bad("vehicles[%d].per_dist: want a finite cost >= 0, got %v", i, v.PerDist)
		case !finite(v.PerTime) || v.PerTime < 0:
			return bad("vehicles[%d].per_time: want a finite cost >= 0, got %v", i, v.PerTime)
		}
	}
	return nil
}

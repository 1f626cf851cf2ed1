package route

// seg summarises a sequence of visits for O(1) concatenation (Vidal et al.
// 2013, "A hybrid genetic algorithm with adaptive diversity management for a
// large class of vehicle routing problems with time-windows"): starting service
// at the first visit at any time in [e, l] gives the minimum duration dur
// (travel, service and unavoidable waiting, from the start of the first service
// to the end of the last) and the minimum time warp tw (lateness that would be
// needed to keep every window; tw > 0 means infeasible).
type seg struct {
	first, last int // locations of the first and last visit
	times
	dist float64
	load Load
}

// times is the time part of a seg: small enough for the compiler to keep in
// registers, so that a loop chaining joins (refreshKeep) need not store and
// reload the running segment at each step.
type times struct {
	e, l    float64
	dur, tw float64
}

// joinTimes returns the times of a followed by b when the trip between them
// takes t.
func joinTimes(a, b times, t float64) times {
	delta := a.dur - a.tw + t
	wait := max(b.e-delta-a.l, 0)
	warp := max(a.e+delta-b.l, 0)
	return times{max(b.e-delta, a.e) - wait, min(b.l-delta, a.l) + warp, a.dur + b.dur + t + wait, a.tw + b.tw + warp}
}

// twEps is the time warp below which a sequence counts as feasible.
const twEps = 1e-9

// join returns the segment a followed by b.
func (s *solver) join(a, b *seg) seg {
	x := s.arc(a.last, b.first)
	return joinArc(a, b, x.t, x.d)
}

// joinArc returns the segment a followed by b when the trip from a's last
// visit to b's first takes time t over distance d: join for callers that
// already read the Matrix for that trip.
func joinArc(a, b *seg, t, d float64) seg {
	var x seg
	joinArcTo(&x, a, b, t, d)
	return x
}

// joinArcTo stores joinArc(a, b, t, d) in x, which may be a or b. The loops
// that fill a tour's cached segments write each in place, field by field,
// without the copies of a returned or composite value.
func joinArcTo(x, a, b *seg, t, d float64) {
	tm := joinTimes(a.times, b.times, t)
	first, last := a.first, b.last
	dist := a.dist + b.dist + d
	l0, l1, l2 := a.load[0]+b.load[0], a.load[1]+b.load[1], a.load[2]+b.load[2]
	x.first, x.last, x.times, x.dist = first, last, tm, dist
	x.load[0], x.load[1], x.load[2] = l0, l1, l2
}

// join3 returns a, b, c in sequence.
func (s *solver) join3(a, b, c *seg) seg {
	ab := s.join(a, b)
	return s.join(&ab, c)
}

// join3Arc is join3 with the trips from a to b and from b to c given.
func join3Arc(a, b, c *seg, t1, d1, t2, d2 float64) seg {
	var x seg
	joinArcTo(&x, a, b, t1, d1)
	joinArcTo(&x, &x, c, t2, d2)
	return x
}

// routeCost returns the cost of a complete route (depot to depot) of vehicle v
// summarised by x, and whether it is feasible. A route without jobs costs 0.
func (s *solver) routeCost(v int, x *seg, jobs int) (float64, bool) {
	if jobs == 0 {
		return 0, true
	}
	veh := &s.p.Vehicles[v]
	if x.tw > twEps || !x.load.Fits(veh.Capacity) {
		return 0, false
	}
	return veh.Fixed + veh.PerDist*x.dist + veh.PerTime*x.dur, true
}

package route

import (
	"math"
	"slices"
)

// bestInsertion returns the cheapest feasible insertion of job u: vehicle v,
// node position pos (u goes between nodes pos-1 and pos) and the cost
// increase. Each position of a used route is skipped with probability blink.
// Opening a route is tried once per class of identical unused vehicles.
//
// After a scan that found nothing (s.failAt[u] set by recreate), only the
// tours that may have made room since are scanned: inserting a job into a
// tour cannot make room for another when travel times obey the triangle
// inequality, so a tour changed only by insertions stays infeasible for u.
func (s *solver) bestInsertion(st *state, u int32, blink float64) (bv, bpos int, best float64) {
	job := &s.p.Jobs[u]
	js := &s.jobSeg[u]
	best, bv, bpos = math.Inf(1), -1, -1
	since := s.failAt[u]
	clear(s.classSeen)
	for v := range st.tours {
		veh := &s.p.Vehicles[v]
		if s.roomAt[v] <= since || job.Skills&^veh.Skills != 0 {
			continue
		}
		t := &st.tours[v]
		m := len(t.jobs)
		if m == 0 {
			c := s.class[v]
			if s.classSeen[c] {
				continue
			}
			s.classSeen[c] = true
			x := s.join3(&s.startSeg[v], js, &s.endSeg[v])
			cost, ok := s.routeCost(v, &x, 1)
			if !ok {
				continue
			}
			if s.opt.MinimizeVehicles {
				cost += s.vehiclePenalty
			}
			if cost < best {
				best, bv, bpos = cost, v, 1
			}
			continue
		}
		if !t.fwd[m+1].load.Add(job.Demand).Fits(veh.Capacity) {
			continue
		}
		for pos := 1; pos <= m+1; pos++ {
			a, b := &t.fwd[pos-1], &t.bwd[pos]
			// Earliest end of service at node pos-1 only grows with pos.
			if a.e+a.dur > job.Due+twEps {
				break
			}
			if blink > 0 && s.rng.Float64() < blink {
				continue
			}
			// Lower bound: the route's duration cannot shrink by inserting a
			// visit (travel times obeying the triangle inequality).
			dd := s.m.Dist(a.last, job.Loc) + s.m.Dist(job.Loc, b.first) - (t.fwd[pos].dist - a.dist)
			if veh.PerDist*dd >= best {
				continue
			}
			if a.e+a.dur+s.m.Time(a.last, job.Loc) > job.Due+twEps {
				continue
			}
			x := s.join3(a, js, b)
			if x.tw > twEps {
				continue
			}
			c := veh.Fixed + veh.PerDist*x.dist + veh.PerTime*x.dur - t.cost
			if c < best {
				best, bv, bpos = c, v, pos
			}
		}
	}
	return bv, bpos, best
}

// granularMin is the number of jobs from which recreate tries only the
// positions next to a job's nearest neighbours (and one empty vehicle per
// class) before falling back to bestInsertion's full scan.
const granularMin = 150

// nearInsertion is bestInsertion restricted to the positions right before and
// right after each routed job among u's nearest neighbours, and to opening one
// route per class of identical unused vehicles: O(nearSize + classes)
// evaluations, independent of the number of jobs and routes. It returns v < 0
// when no neighbour's position is feasible.
func (s *solver) nearInsertion(st *state, u int32, blink float64) (bv, bpos int, best float64) {
	job := &s.p.Jobs[u]
	js := &s.jobSeg[u]
	best, bv, bpos = math.Inf(1), -1, -1
	since := s.failAt[u]
	for _, w := range s.near[u] {
		v := int(st.routeOf[w])
		if v < 0 || s.roomAt[v] <= since {
			continue
		}
		veh := &s.p.Vehicles[v]
		if job.Skills&^veh.Skills != 0 {
			continue
		}
		t := &st.tours[v]
		m := len(t.jobs)
		if !t.fwd[m+1].load.Add(job.Demand).Fits(veh.Capacity) {
			continue
		}
		p := int(st.posOf[w])
		for pos := p; pos <= p+1; pos++ {
			if blink > 0 && s.rng.Float64() < blink {
				continue
			}
			a, b := &t.fwd[pos-1], &t.bwd[pos]
			if a.e+a.dur > job.Due+twEps {
				continue
			}
			// The same lower bound as in bestInsertion.
			dd := s.m.Dist(a.last, job.Loc) + s.m.Dist(job.Loc, b.first) - (t.fwd[pos].dist - a.dist)
			if veh.PerDist*dd >= best {
				continue
			}
			x := s.join3(a, js, b)
			if x.tw > twEps {
				continue
			}
			c := veh.Fixed + veh.PerDist*x.dist + veh.PerTime*x.dur - t.cost
			if c < best {
				best, bv, bpos = c, v, pos
			}
		}
	}
	if bv < 0 {
		return bv, bpos, best // let the full scan look farther
	}
	for _, v := range s.classFirst {
		veh := &s.p.Vehicles[v]
		if job.Skills&^veh.Skills != 0 {
			continue
		}
		// The first unused vehicle of v's class.
		w := v
		for w >= 0 && len(st.tours[w].jobs) > 0 {
			w = int(s.classNext[w])
		}
		if w < 0 || s.roomAt[w] <= since {
			continue
		}
		x := s.join3(&s.startSeg[w], js, &s.endSeg[w])
		cost, ok := s.routeCost(w, &x, 1)
		if !ok {
			continue
		}
		if s.opt.MinimizeVehicles {
			cost += s.vehiclePenalty
		}
		if cost < best {
			best, bv, bpos = cost, w, 1
		}
	}
	return bv, bpos, best
}

// insertAt puts job u at node position pos of vehicle v's tour. An
// insertion makes no room for other jobs, so it leaves s.roomAt[v].
func (s *solver) insertAt(st *state, u int32, v, pos int) {
	t := &st.tours[v]
	t.jobs = slices.Insert(t.jobs, pos-1, u)
	room := s.roomAt[v]
	s.refresh(st, v)
	s.roomAt[v] = room
	s.failAt[u] = -1
}

// recreate inserts jobs one by one at their cheapest position (with blinks);
// jobs with no feasible position join st.unassigned.
func (s *solver) recreate(st *state, jobs []int32, blink float64) {
	granular := s.n >= granularMin
	for _, u := range jobs {
		v, pos := -1, -1
		if granular {
			v, pos, _ = s.nearInsertion(st, u, blink)
		}
		if v < 0 {
			v, pos, _ = s.bestInsertion(st, u, blink)
		}
		if v < 0 {
			st.unassigned = append(st.unassigned, u)
			s.failAt[u] = s.clock
			continue
		}
		s.insertAt(st, u, v, pos)
	}
}

// sortJobs orders jobs for recreation as in SISR: randomly, by decreasing
// demand, by decreasing or by increasing distance from the depot (weights
// 4:4:2:1). Ties keep the job order, so the result is deterministic.
func (s *solver) sortJobs(jobs []int32) {
	var key func(u int32) float64
	switch r := s.rng.IntN(11); {
	case r < 4:
		s.rng.Shuffle(len(jobs), func(i, k int) { jobs[i], jobs[k] = jobs[k], jobs[i] })
		return
	case r < 8:
		key = func(u int32) float64 {
			d := s.p.Jobs[u].Demand
			return -float64(d[0] + d[1] + d[2])
		}
	case r < 10:
		key = func(u int32) float64 { return -s.depotDist[u] }
	default:
		key = func(u int32) float64 { return s.depotDist[u] }
	}
	slices.SortStableFunc(jobs, func(a, b int32) int {
		ka, kb := key(a), key(b)
		switch {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return 0
	})
}

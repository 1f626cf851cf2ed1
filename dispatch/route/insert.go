package route

import (
	"math"
	"slices"
)

// bestInsertion returns the cheapest feasible insertion of job u: vehicle v,
// node position pos (u goes between nodes pos-1 and pos) and the cost
// increase. Each position of a used route is skipped with probability blink.
// Opening a route is tried once per class of identical unused vehicles. With
// preferNear, the cheapest position next to one of u's nearest neighbours
// (or an empty vehicle, if cheaper) is returned when there is one, as
// nearInsertion would, in the same scan.
//
// After a scan that found nothing (s.failAt[u] set by recreate unless
// s.blinked says a feasible position was skipped), only the tours that may
// have made room since are scanned: inserting a job into a tour cannot make
// room for another when travel times obey the triangle inequality, so a tour
// changed only by insertions stays infeasible for u.
func (s *solver) bestInsertion(st *state, u int32, blink float64, preferNear bool) (bv, bpos int, best float64) {
	job := &s.p.Jobs[u]
	js := &s.jobSeg[u]
	best, bv, bpos = math.Inf(1), -1, -1
	nearBest, nv, npos := math.Inf(1), -1, -1
	emptyBest, ev := math.Inf(1), -1
	since := s.failAt[u]
	s.blinked = false
	if preferNear {
		s.nearCall++
		for _, w := range s.near[u] {
			s.nearMark[w] = s.nearCall
		}
	}
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
			if cost < emptyBest {
				emptyBest, ev = cost, v
			}
			continue
		}
		if !t.fwd[m+1].load.Add(job.Demand).Fits(veh.Capacity) || s.outOfReach(t, v, u) {
			continue
		}
		fs, te := s.fromStart[v], s.toEnd[v]
		needOut := job.Service + te[u]
		needRound := needOut + fs[u]
		eps := triEps(needRound)
		for pos := 1; pos <= m+1; pos++ {
			if k := pos - 1; k%reachBlock == 0 && beyond(t.reach[1+k/reachBlock], needOut, needRound, eps) {
				pos += reachBlock - 1 // the block's positions
				continue
			}
			a, b := &t.fwd[pos-1], &t.bwd[pos]
			// Earliest end of service at node pos-1 only grows with pos.
			if a.e+a.dur > job.Due+twEps {
				break
			}
			// Necessary conditions, cheapest first: by the triangle
			// inequality through the depots, then with the trip from u to
			// node pos (from u's matrix row, mostly cached, where the
			// checks below read u's column).
			in, out := fs[u], te[u]
			if pos > 1 {
				in -= fs[t.jobs[pos-2]]
			}
			if pos <= m {
				out -= te[t.jobs[pos-1]]
			}
			if !mayFit(a, b, job, in, out, eps) || !mayFit(a, b, job, 0, s.m.Time(job.Loc, b.first), twEps) {
				continue
			}
			near := preferNear && (pos > 1 && s.nearMark[t.jobs[pos-2]] == s.nearCall || pos <= m && s.nearMark[t.jobs[pos-1]] == s.nearCall)
			bound := best
			if near {
				bound = nearBest
			}
			// Lower bound: the route's duration cannot shrink by inserting a
			// visit (travel times obeying the triangle inequality).
			dd := s.m.Dist(a.last, job.Loc) + s.m.Dist(job.Loc, b.first) - (t.fwd[pos].dist - a.dist)
			if veh.PerDist*dd >= bound {
				continue
			}
			if a.e+a.dur+s.m.Time(a.last, job.Loc) > job.Due+twEps {
				continue
			}
			x := s.join3(a, js, b)
			if x.tw > twEps {
				continue
			}
			// Blinks skip feasible positions only: the same as skipping
			// any position, with fewer random draws.
			if blink > 0 && s.rng.Float64() < blink {
				s.blinked = true
				continue
			}
			c := veh.Fixed + veh.PerDist*x.dist + veh.PerTime*x.dur - t.cost
			if c < best {
				best, bv, bpos = c, v, pos
			}
			if near && c < nearBest {
				nearBest, nv, npos = c, v, pos
			}
		}
	}
	switch {
	case nv >= 0 && emptyBest < nearBest, nv < 0 && emptyBest < best:
		return ev, 1, emptyBest
	case nv >= 0:
		return nv, npos, nearBest
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
	s.nearCall++
	for _, w := range s.near[u] {
		v := int(st.routeOf[w])
		if v < 0 {
			continue
		}
		// Whether u may fit into tour v at all, decided once per call.
		if s.routeCall[v] != s.nearCall {
			s.routeCall[v] = s.nearCall
			t := &st.tours[v]
			veh := &s.p.Vehicles[v]
			s.routeFits[v] = job.Skills&^veh.Skills == 0 &&
				t.fwd[len(t.jobs)+1].load.Add(job.Demand).Fits(veh.Capacity) && !s.outOfReach(t, v, u)
		}
		if !s.routeFits[v] {
			continue
		}
		veh := &s.p.Vehicles[v]
		t := &st.tours[v]
		p := int(st.posOf[w])
		for pos := p; pos <= p+1; pos++ {
			a, b := &t.fwd[pos-1], &t.bwd[pos]
			// A necessary condition as in bestInsertion.
			if !mayFit(a, b, job, 0, s.m.Time(job.Loc, b.first), twEps) {
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
			if blink > 0 && s.rng.Float64() < blink {
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
		if w < 0 {
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
		switch {
		case granular && s.failAt[u] < 0:
			if v, pos, _ = s.nearInsertion(st, u, blink); v < 0 {
				v, pos, _ = s.bestInsertion(st, u, blink, false)
			}
		case granular:
			// Only the few tours that may have made room since the last
			// scan: one scan for the near and the other positions.
			v, pos, _ = s.bestInsertion(st, u, blink, true)
		default:
			v, pos, _ = s.bestInsertion(st, u, blink, false)
		}
		if v < 0 {
			st.unassigned = append(st.unassigned, u)
			if !s.blinked { // else a feasible position may have been skipped
				s.failAt[u] = s.clock
			}
			continue
		}
		s.insertAt(st, u, v, pos)
	}
}

// sortJobs orders jobs for recreation as in SISR: randomly, by decreasing
// demand, by decreasing or by increasing distance from the depot (weights
// 4:4:2:1). Ties keep the job order, so the result is deterministic.
func (s *solver) sortJobs(jobs []int32) {
	r := s.rng.IntN(11)
	if r < 4 {
		s.rng.Shuffle(len(jobs), func(i, k int) { jobs[i], jobs[k] = jobs[k], jobs[i] })
		return
	}
	buf := s.sortBuf[:0]
	for i, u := range jobs {
		var key float64
		switch {
		case r < 8:
			d := s.p.Jobs[u].Demand
			key = -float64(d[0] + d[1] + d[2])
		case r < 10:
			key = -s.depotDist[u]
		default:
			key = s.depotDist[u]
		}
		buf = append(buf, keyed{key, int32(i), u})
	}
	// Stable by the position as the last key.
	slices.SortFunc(buf, func(a, b keyed) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return int(a.pos - b.pos)
	})
	for i := range buf {
		jobs[i] = buf[i].job
	}
	s.sortBuf = buf
}

// keyed is a job with a sort key and its position before sorting.
type keyed struct {
	key      float64
	pos, job int32
}

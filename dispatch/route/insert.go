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
		nd := &s.need[v][u]
		needOut, needRound, eps := nd.out, nd.round, nd.eps
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
			if !mayFit(a, b, job, in, out, eps) {
				continue
			}
			// Each trip is read from the Matrix once, for the checks and the join.
			tOut, dOut := s.trip(job.Loc, b.first)
			if !mayFit(a, b, job, 0, tOut, twEps) {
				continue
			}
			near := preferNear && (pos > 1 && s.nearMark[t.jobs[pos-2]] == s.nearCall || pos <= m && s.nearMark[t.jobs[pos-1]] == s.nearCall)
			bound := best
			if near {
				bound = nearBest
			}
			// Lower bound: the route's duration cannot shrink by inserting a
			// visit (travel times obeying the triangle inequality).
			tIn, dIn := s.trip(a.last, job.Loc)
			dd := dIn + dOut - (t.fwd[pos].dist - a.dist)
			if veh.PerDist*dd >= bound {
				continue
			}
			if a.e+a.dur+tIn > job.Due+twEps {
				continue
			}
			x := join3Arc(a, js, b, tIn, dIn, tOut, dOut)
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

// gapEval is nearInsertion's memo of one insertion position in one call:
// whether it was feasible and not ruled out by the bound, with its bound and
// cost.
type gapEval struct {
	call        int64
	live        bool
	bound, cost float64
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
		m := len(t.jobs)
		p := int(st.posOf[w])
		for pos := p; pos <= p+1; pos++ {
			// Neighbours next to each other in a tour share a position: the
			// second time, the outcome of the first is replayed (with its
			// blink drawn again, as a second evaluation would).
			g := &s.tailGap[v]
			if pos <= m {
				g = &s.gap[t.jobs[pos-1]]
			}
			if g.call == s.nearCall {
				if !g.live || g.bound >= best || blink > 0 && s.rng.Float64() < blink {
					continue
				}
				if g.cost < best {
					best, bv, bpos = g.cost, v, pos
				}
				continue
			}
			*g = gapEval{call: s.nearCall}
			a, b := &t.fwd[pos-1], &t.bwd[pos]
			// A necessary condition as in bestInsertion.
			tOut, dOut := s.trip(job.Loc, b.first)
			if !mayFit(a, b, job, 0, tOut, twEps) {
				continue
			}
			// The same lower bound as in bestInsertion.
			tIn, dIn := s.trip(a.last, job.Loc)
			dd := dIn + dOut - (t.fwd[pos].dist - a.dist)
			if veh.PerDist*dd >= best {
				continue // and later, as best only falls
			}
			x := join3Arc(a, js, b, tIn, dIn, tOut, dOut)
			if x.tw > twEps {
				continue
			}
			c := veh.Fixed + veh.PerDist*x.dist + veh.PerTime*x.dur - t.cost
			g.live, g.bound, g.cost = true, veh.PerDist*dd, c
			if blink > 0 && s.rng.Float64() < blink {
				continue
			}
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
	s.refreshKeep(st, v, pos-1, len(t.jobs)-pos)
	s.roomAt[v] = room
	s.failAt[u] = -1
}

// recreate inserts jobs one by one at their cheapest position (with blinks);
// jobs with no feasible position join st.unassigned. When the budget expires
// it stops, the jobs not yet tried join st.unassigned too, and it returns
// how many jobs it tried (len(jobs) when it was not stopped).
func (s *solver) recreate(st *state, jobs []int32, blink float64) int {
	granular := s.n >= granularMin
	for k, u := range jobs {
		if s.budget.expired() {
			st.unassigned = append(st.unassigned, jobs[k:]...)
			return k
		}
		v, pos := -1, -1
		// Only the few tours that may have made room since the last scan:
		// one scan for the near and the other positions.
		preferNear := granular && s.failAt[u] >= 0
		if granular && !preferNear {
			v, pos, _ = s.nearInsertion(st, u, blink)
		}
		if v < 0 {
			v, pos, _ = s.bestInsertion(st, u, blink, preferNear)
			// Blinks are to vary the routes, not to leave a job out or,
			// when vehicles are minimised, to open a vehicle for it (which
			// the candidate would then have to repair): then the skipped
			// positions get their chance.
			if s.blinked && (v < 0 || s.opt.MinimizeVehicles && len(st.tours[v].jobs) == 0) {
				v, pos, _ = s.bestInsertion(st, u, 0, preferNear)
			}
		}
		if v < 0 {
			st.unassigned = append(st.unassigned, u)
			if !s.blinked { // else a feasible position may have been skipped
				s.failAt[u] = s.clock
			}
			continue
		}
		// A vehicle opened for u when vehicles are minimised: no used
		// route had room for it, which repair's memo starts from.
		s.openedAt[u] = -1
		if s.opt.MinimizeVehicles && len(st.tours[v].jobs) == 0 && !s.blinked {
			s.openedAt[u] = s.clock
		}
		s.insertAt(st, u, v, pos)
	}
	return len(jobs)
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
	// Stable by the position as the last key. A ruin removes a few jobs:
	// insertion sort then beats a general sort.
	if len(buf) <= 64 {
		for i := 1; i < len(buf); i++ {
			x := buf[i]
			k := i
			for ; k > 0 && x.key < buf[k-1].key; k-- {
				buf[k] = buf[k-1]
			}
			buf[k] = x
		}
	} else {
		slices.SortFunc(buf, func(a, b keyed) int {
			switch {
			case a.key < b.key:
				return -1
			case a.key > b.key:
				return 1
			}
			return int(a.pos - b.pos)
		})
	}
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

package route

import "math"

// Granular local search: for each job u and each w among u's most related
// jobs, try relocating u next to w, swapping u and w, and exchanging route
// tails so that u and w become consecutive (2-opt*). Moves between two routes
// are evaluated in O(1) from the cached prefix and suffix segments; moves
// within one route rebuild that route's schedule in O(m). The first improving
// move is applied; passes repeat until none improves.

const maxPasses = 100

// value is the search's cost of a route summarised by x with cnt jobs: its
// cost, plus the vehicle penalty when vehicles are minimised.
func (s *solver) value(v int, x *seg, cnt int) (float64, bool) {
	c, ok := s.routeCost(v, x, cnt)
	if ok && cnt > 0 && s.opt.MinimizeVehicles {
		c += s.vehiclePenalty
	}
	return c, ok
}

// tourValue is value for the current tour v.
func (s *solver) tourValue(st *state, v int) float64 {
	t := &st.tours[v]
	if len(t.jobs) > 0 && s.opt.MinimizeVehicles {
		return t.cost + s.vehiclePenalty
	}
	return t.cost
}

// localSearch improves st to a local optimum of the granular neighbourhood.
// Pairs of routes unchanged since the clock read since are known to be
// locally optimal and are not tried (since 0: try all). It stops, with st
// improved as far as it got, when the budget expires.
func (s *solver) localSearch(st *state, since int64) {
	order := make([]int32, 0, s.n)
	for u := range s.n {
		if st.routeOf[u] >= 0 {
			order = append(order, int32(u))
		}
	}
	for u := range s.tested {
		s.tested[u] = since
	}
	for pass := 0; pass < maxPasses; pass++ {
		s.rng.Shuffle(len(order), func(i, k int) { order[i], order[k] = order[k], order[i] })
		improved := false
		for _, u := range order {
			if s.budget.expired() {
				return // every move applied so far leaves st feasible
			}
			last := s.tested[u]
			s.tested[u] = s.clock
			for _, w := range s.gran[u] {
				ru, rw := st.routeOf[u], st.routeOf[w]
				if ru < 0 || rw < 0 {
					continue
				}
				// Skip pairs whose routes are unchanged since u was last tested.
				if s.modified[ru] <= last && s.modified[rw] <= last {
					continue
				}
				if s.relocate(st, u, w) || s.swap(st, u, w) || s.twoOptStar(st, u, w) {
					improved = true
				}
			}
		}
		if !improved {
			break
		}
	}
}

const improveEps = 1e-9

func (s *solver) compatible(u int32, v int) bool {
	return s.p.Jobs[u].Skills&^s.p.Vehicles[v].Skills == 0
}

// relocate moves u right after or right before w, if that lowers the cost.
func (s *solver) relocate(st *state, u, w int32) bool {
	a, b := int(st.routeOf[u]), int(st.routeOf[w])
	i, j := int(st.posOf[u]), int(st.posOf[w])
	if a == b {
		return s.relocateIntra(st, u, a, i, j)
	}
	if !s.compatible(u, b) {
		return false
	}
	ta, tb := &st.tours[a], &st.tours[b]
	ma, mb := len(ta.jobs), len(tb.jobs)
	vb := &s.p.Vehicles[b]
	if !tb.fwd[mb+1].load.Add(s.p.Jobs[u].Demand).Fits(vb.Capacity) {
		return false
	}
	// Skip insertions that add more travel cost than the removal saves: exact
	// with distance-only costs; with time costs it misses only moves whose
	// gain is less waiting. Not when u is alone (emptying a route saves more).
	prune := ma > 1
	var gain float64
	loc := s.p.Jobs[u].Loc
	if prune {
		gain = s.removalGain(st, u)
	}
	var ca, old float64
	evaluated := false
	for _, at := range [2]int{j, j + 1} { // before w, after w
		x, y := s.nodeLoc(tb, b, at-1), s.nodeLoc(tb, b, at)
		in, out := s.arc(x, loc), s.arc(loc, y)
		if prune && arcCost(vb, in)+arcCost(vb, out)-arcCost(vb, tb.arcs[at-1]) >= gain {
			continue
		}
		if !evaluated {
			evaluated = true
			newA := s.join(&ta.fwd[i-1], &ta.bwd[i+1])
			var ok bool
			if ca, ok = s.value(a, &newA, ma-1); !ok {
				return false
			}
			old = s.tourValue(st, a) + s.tourValue(st, b)
		}
		newB := join3Arc(&tb.fwd[at-1], &s.jobSeg[u], &tb.bwd[at], in.t, in.d, out.t, out.d)
		cb, ok := s.value(b, &newB, mb+1)
		if ok && ca+cb < old-improveEps {
			ta.jobs = append(ta.jobs[:i-1], ta.jobs[i:]...)
			s.refreshKeep(st, a, i-1, ma-i)
			s.insertAt(st, u, b, at)
			return true
		}
	}
	return false
}

// relocateIntra moves u (node i) right after or before w (node j) in tour v.
// Only the nodes between the old and the new position are re-joined.
func (s *solver) relocateIntra(st *state, u int32, v, i, j int) bool {
	t := &st.tours[v]
	veh := &s.p.Vehicles[v]
	old := s.tourValue(st, v)
	ju := &s.p.Jobs[u]
	gain := s.removalGain(st, u)
	for _, at := range [2]int{j, j - 1} { // after w, before w: u follows node at
		if at == i || at == i-1 {
			continue
		}
		// Skip moves that add travel cost: exact with distance-only costs; with
		// time costs it misses only moves whose gain is less waiting.
		p, q := s.nodeLoc(t, v, at), s.nodeLoc(t, v, at+1)
		in, out := s.arc(p, ju.Loc), s.arc(ju.Loc, q)
		if arcCost(veh, in)+arcCost(veh, out)-arcCost(veh, t.arcs[at]) >= gain {
			continue
		}
		// The trips between nodes that stay consecutive come from t.arcs.
		var x seg
		if at > i {
			x = t.fwd[i-1]
			x = s.join(&x, &s.jobSeg[t.jobs[i]]) // node i-1 to node i+1
			for k := i + 2; k <= at; k++ {
				a := &t.arcs[k-1]
				x = joinArc(&x, &s.jobSeg[t.jobs[k-1]], a.t, a.d)
			}
			x = join3Arc(&x, &s.jobSeg[u], &t.bwd[at+1], in.t, in.d, out.t, out.d)
		} else {
			x = joinArc(&t.fwd[at], &s.jobSeg[u], in.t, in.d)
			x = joinArc(&x, &s.jobSeg[t.jobs[at]], out.t, out.d) // node at+1
			for k := at + 2; k < i; k++ {
				a := &t.arcs[k-1]
				x = joinArc(&x, &s.jobSeg[t.jobs[k-1]], a.t, a.d)
			}
			x = s.join(&x, &t.bwd[i+1])
		}
		if c, ok := s.value(v, &x, len(t.jobs)); ok && c < old-improveEps {
			m := len(t.jobs)
			if at > i {
				copy(t.jobs[i-1:at-1], t.jobs[i:at])
				t.jobs[at-1] = u
				s.refreshKeep(st, v, i-1, m-at)
			} else {
				copy(t.jobs[at+1:i], t.jobs[at:i-1])
				t.jobs[at] = u
				s.refreshKeep(st, v, at, m-i)
			}
			return true
		}
	}
	return false
}

// removalGain returns the travel cost saved by removing routed job u from its
// tour, cached until the tour changes.
func (s *solver) removalGain(st *state, u int32) float64 {
	v := int(st.routeOf[u])
	if s.gainJob == u && s.gainStamp == s.modified[v] {
		return s.gain
	}
	t, i := &st.tours[v], int(st.posOf[u])
	veh := &s.p.Vehicles[v]
	prev, next := s.nodeLoc(t, v, i-1), s.nodeLoc(t, v, i+1)
	s.gain = arcCost(veh, t.arcs[i-1]) + arcCost(veh, t.arcs[i]) - arcCost(veh, s.arc(prev, next))
	s.gainJob, s.gainStamp = u, s.modified[v]
	return s.gain
}

// arcCost is the travel cost of vehicle veh on trip a.
func arcCost(veh *Vehicle, a arc) float64 {
	c := veh.PerDist * a.d
	if veh.PerTime != 0 {
		c += veh.PerTime * a.t
	}
	return c
}

// nodeLoc returns the location of node k of vehicle v's tour (0 and m+1 are the depots).
func (s *solver) nodeLoc(t *tour, v, k int) int {
	switch {
	case k == 0:
		return s.p.Vehicles[v].Start
	case k > len(t.jobs):
		return s.p.Vehicles[v].End
	}
	return s.loc[t.jobs[k-1]]
}

// evalJobs summarises vehicle v visiting jobs in order.
func (s *solver) evalJobs(v int, jobs []int32) seg {
	x := s.startSeg[v]
	for _, u := range jobs {
		x = s.join(&x, &s.jobSeg[u])
	}
	return s.join(&x, &s.endSeg[v])
}

// swap exchanges u and w between their routes, if that lowers the cost.
func (s *solver) swap(st *state, u, w int32) bool {
	a, b := int(st.routeOf[u]), int(st.routeOf[w])
	if a == b || !s.compatible(u, b) || !s.compatible(w, a) {
		return false
	}
	i, j := int(st.posOf[u]), int(st.posOf[w])
	ta, tb := &st.tours[a], &st.tours[b]
	du, dw := s.p.Jobs[u].Demand, s.p.Jobs[w].Demand
	if !ta.fwd[len(ta.jobs)+1].load.Sub(du).Add(dw).Fits(s.p.Vehicles[a].Capacity) ||
		!tb.fwd[len(tb.jobs)+1].load.Sub(dw).Add(du).Fits(s.p.Vehicles[b].Capacity) {
		return false
	}
	ju, jw := &s.p.Jobs[u], &s.p.Jobs[w]
	ua, wa := s.arc(s.nodeLoc(ta, a, i-1), jw.Loc), s.arc(jw.Loc, s.nodeLoc(ta, a, i+1))
	ub, wb := s.arc(s.nodeLoc(tb, b, j-1), ju.Loc), s.arc(ju.Loc, s.nodeLoc(tb, b, j+1))
	if s.lowerValue(ta, a, ta.arcs[i-1], ta.arcs[i], ua, wa, jw.Service-ju.Service)+
		s.lowerValue(tb, b, tb.arcs[j-1], tb.arcs[j], ub, wb, ju.Service-jw.Service) >= ta.cost+tb.cost-improveEps {
		return false
	}
	newA := join3Arc(&ta.fwd[i-1], &s.jobSeg[w], &ta.bwd[i+1], ua.t, ua.d, wa.t, wa.d)
	ca, ok := s.value(a, &newA, len(ta.jobs))
	if !ok {
		return false
	}
	newB := join3Arc(&tb.fwd[j-1], &s.jobSeg[u], &tb.bwd[j+1], ub.t, ub.d, wb.t, wb.d)
	cb, ok := s.value(b, &newB, len(tb.jobs))
	if !ok || ca+cb >= s.tourValue(st, a)+s.tourValue(st, b)-improveEps {
		return false
	}
	ta.jobs[i-1], tb.jobs[j-1] = w, u
	s.refreshKeep(st, a, i-1, len(ta.jobs)-i)
	s.refreshKeep(st, b, j-1, len(tb.jobs)-j)
	return true
}

// lowerValue bounds from below the cost of tour t of vehicle v (which stays
// non-empty) when trips x1, x2 are replaced by y1, y2 and its service time
// grows by dService: its duration is at least its travel and service time.
// The bound is lowered by a rounding margin, so that a move it rules out
// (bound at least the old cost less improveEps) is one that the exact
// evaluation would reject too.
func (s *solver) lowerValue(t *tour, v int, x1, x2, y1, y2 arc, dService float64) float64 {
	veh := &s.p.Vehicles[v]
	m := len(t.jobs)
	dist := t.fwd[m+1].dist - x1.d - x2.d + y1.d + y2.d
	base := t.base - x1.t - x2.t + y1.t + y2.t + dService
	c := veh.Fixed + veh.PerDist*dist + veh.PerTime*base
	return c - 1e-9*(1+math.Abs(c))
}

// twoOptStar exchanges the tails of u's and w's routes so that w directly
// follows u, or u directly follows w, if that lowers the cost. Only vehicles
// that end alike and have the same skills exchange tails.
func (s *solver) twoOptStar(st *state, u, w int32) bool {
	a, b := int(st.routeOf[u]), int(st.routeOf[w])
	if a == b || s.endClass[a] != s.endClass[b] {
		return false
	}
	i, j := int(st.posOf[u]), int(st.posOf[w])
	ta, tb := &st.tours[a], &st.tours[b]
	ma, mb := len(ta.jobs), len(tb.jobs)
	old := s.tourValue(st, a) + s.tourValue(st, b)
	va, vb := &s.p.Vehicles[a], &s.p.Vehicles[b]
	sameRates := va.Fixed == vb.Fixed && va.PerDist == vb.PerDist && va.PerTime == vb.PerTime
	// Variant 1: A = A[..i] + B[j..], B = B[..j-1] + A[i+1..].
	// Variant 2: A = A[..i-1] + B[j+1..], B = B[..j] + A[i..].
	for variant := 1; variant <= 2; variant++ {
		ka, kb := i, j-1 // last kept node of A and of B
		if variant == 2 {
			ka, kb = i-1, j
		}
		na, nb := ka+mb-kb, kb+ma-ka
		// Loads first: they need no trip from the Matrix.
		if na > 0 && !ta.fwd[ka].load.Add(tb.bwd[kb+1].load).Fits(s.p.Vehicles[a].Capacity) ||
			nb > 0 && !tb.fwd[kb].load.Add(ta.bwd[ka+1].load).Fits(s.p.Vehicles[b].Capacity) {
			continue
		}
		x := s.arc(s.nodeLoc(ta, a, ka), s.nodeLoc(tb, b, kb+1))
		y := s.arc(s.nodeLoc(tb, b, kb), s.nodeLoc(ta, a, ka+1))
		if sameRates && na > 0 && nb > 0 {
			// The exchange changes two trips of the pair of routes, as
			// lowerValue bounds a pair of routes with the same rates.
			veh := &s.p.Vehicles[a]
			dist := ta.fwd[ma+1].dist + tb.fwd[mb+1].dist - ta.arcs[ka].d - tb.arcs[kb].d + x.d + y.d
			base := ta.base + tb.base - ta.arcs[ka].t - tb.arcs[kb].t + x.t + y.t
			c := 2*veh.Fixed + veh.PerDist*dist + veh.PerTime*base
			if c-1e-9*(1+math.Abs(c)) >= ta.cost+tb.cost-improveEps {
				continue
			}
		}
		newA := joinArc(&ta.fwd[ka], &tb.bwd[kb+1], x.t, x.d)
		ca, ok := s.value(a, &newA, na)
		if !ok {
			continue
		}
		newB := joinArc(&tb.fwd[kb], &ta.bwd[ka+1], y.t, y.d)
		cb, ok := s.value(b, &newB, nb)
		if !ok || ca+cb >= old-improveEps {
			continue
		}
		tailA := append(s.scratch[:0], ta.jobs[ka:]...)
		ta.jobs = append(ta.jobs[:ka], tb.jobs[kb:]...)
		tb.jobs = append(tb.jobs[:kb], tailA...)
		s.scratch = tailA
		s.refreshKeep(st, a, ka, 0)
		s.refreshKeep(st, b, kb, 0)
		return true
	}
	return false
}

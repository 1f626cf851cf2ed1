package route

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
func (s *solver) localSearch(st *state) {
	order := make([]int32, 0, s.n)
	for u := range s.n {
		if st.routeOf[u] >= 0 {
			order = append(order, int32(u))
		}
	}
	clear(s.tested)
	for pass := 0; pass < maxPasses; pass++ {
		s.rng.Shuffle(len(order), func(i, k int) { order[i], order[k] = order[k], order[i] })
		improved := false
		for _, u := range order {
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
	for _, at := range [2]int{j, j + 1} { // after w, before w
		if prune {
			x, y := s.nodeLoc(tb, b, at-1), s.nodeLoc(tb, b, at)
			if s.arcCost(vb, x, loc)+s.arcCost(vb, loc, y)-s.arcCost(vb, x, y) >= gain {
				continue
			}
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
		newB := s.join3(&tb.fwd[at-1], &s.jobSeg[u], &tb.bwd[at])
		cb, ok := s.value(b, &newB, mb+1)
		if ok && ca+cb < old-improveEps {
			ta.jobs = append(ta.jobs[:i-1], ta.jobs[i:]...)
			s.refresh(st, a)
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
		if s.arcCost(veh, p, ju.Loc)+s.arcCost(veh, ju.Loc, q)-s.arcCost(veh, p, q) >= gain {
			continue
		}
		var x seg
		if at > i {
			x = t.fwd[i-1]
			for k := i + 1; k <= at; k++ {
				x = s.join(&x, &s.jobSeg[t.jobs[k-1]])
			}
			x = s.join3(&x, &s.jobSeg[u], &t.bwd[at+1])
		} else {
			x = s.join(&t.fwd[at], &s.jobSeg[u])
			for k := at + 1; k < i; k++ {
				x = s.join(&x, &s.jobSeg[t.jobs[k-1]])
			}
			x = s.join(&x, &t.bwd[i+1])
		}
		if c, ok := s.value(v, &x, len(t.jobs)); ok && c < old-improveEps {
			if at > i {
				copy(t.jobs[i-1:at-1], t.jobs[i:at])
				t.jobs[at-1] = u
			} else {
				copy(t.jobs[at+1:i], t.jobs[at:i-1])
				t.jobs[at] = u
			}
			s.refresh(st, v)
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
	veh, loc := &s.p.Vehicles[v], s.p.Jobs[u].Loc
	prev, next := s.nodeLoc(t, v, i-1), s.nodeLoc(t, v, i+1)
	s.gain = s.arcCost(veh, prev, loc) + s.arcCost(veh, loc, next) - s.arcCost(veh, prev, next)
	s.gainJob, s.gainStamp = u, s.modified[v]
	return s.gain
}

// arcCost is the travel cost of vehicle veh from location i to j.
func (s *solver) arcCost(veh *Vehicle, i, j int) float64 {
	c := veh.PerDist * s.m.Dist(i, j)
	if veh.PerTime != 0 {
		c += veh.PerTime * s.m.Time(i, j)
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
	return s.p.Jobs[t.jobs[k-1]].Loc
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
	newA := s.join3(&ta.fwd[i-1], &s.jobSeg[w], &ta.bwd[i+1])
	ca, ok := s.value(a, &newA, len(ta.jobs))
	if !ok {
		return false
	}
	newB := s.join3(&tb.fwd[j-1], &s.jobSeg[u], &tb.bwd[j+1])
	cb, ok := s.value(b, &newB, len(tb.jobs))
	if !ok || ca+cb >= s.tourValue(st, a)+s.tourValue(st, b)-improveEps {
		return false
	}
	ta.jobs[i-1], tb.jobs[j-1] = w, u
	s.refresh(st, a)
	s.refresh(st, b)
	return true
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
	// Variant 1: A = A[..i] + B[j..], B = B[..j-1] + A[i+1..].
	// Variant 2: A = A[..i-1] + B[j+1..], B = B[..j] + A[i..].
	for variant := 1; variant <= 2; variant++ {
		ka, kb := i, j-1 // last kept node of A and of B
		if variant == 2 {
			ka, kb = i-1, j
		}
		newA := s.join(&ta.fwd[ka], &tb.bwd[kb+1])
		na := ka + mb - kb
		ca, ok := s.value(a, &newA, na)
		if !ok {
			continue
		}
		newB := s.join(&tb.fwd[kb], &ta.bwd[ka+1])
		nb := kb + ma - ka
		cb, ok := s.value(b, &newB, nb)
		if !ok || ca+cb >= old-improveEps {
			continue
		}
		tailA := append(s.scratch[:0], ta.jobs[ka:]...)
		ta.jobs = append(ta.jobs[:ka], tb.jobs[kb:]...)
		tb.jobs = append(tb.jobs[:kb], tailA...)
		s.scratch = tailA
		s.refresh(st, a)
		s.refresh(st, b)
		return true
	}
	return false
}

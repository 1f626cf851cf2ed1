package route

import "slices"

// savingsSize is how many of each job's nearest neighbours are paired with it
// in the savings construction.
const savingsSize = 12

// saving is a candidate merge of the route ending at job from with the route
// starting at job to.
type saving struct {
	value    float64
	from, to int32
}

// savings builds routes on st for jobs by the parallel savings method (Clarke
// and Wright 1964) with time windows, for a fleet of identical vehicles: every
// job starts alone and, by decreasing saving, the route ending at u is joined
// with the route starting at w when w is among u's savingsSize nearest
// neighbours and the joined route is feasible. Each merge is checked in O(1)
// from whole-route segments, so the method takes O(n log n) time for n jobs.
// When there are more routes than vehicles, the routes with the fewest jobs
// are dropped; savings returns their jobs. When the budget expires, merging
// stops and the routes so far are kept.
func (s *solver) savings(st *state, jobs []int32) []int32 {
	const v0 = 0 // all vehicles are alike
	veh := &s.p.Vehicles[v0]
	n := s.n
	// Per job: the next job of its route, whether it is a route's first job,
	// and the representative of its route (rep), which holds the route's
	// first and last jobs, size and segment.
	next := make([]int32, n)
	isHead := make([]bool, n)
	rep := make([]int32, n)
	head := make([]int32, n)
	tail := make([]int32, n)
	size := make([]int32, n)
	rseg := make([]seg, n)
	in := make([]bool, n)
	for _, u := range jobs {
		in[u] = true
		next[u], isHead[u], rep[u], head[u], tail[u], size[u] = -1, true, u, u, u, 1
		rseg[u] = s.jobSeg[u]
	}
	k := min(savingsSize, nearSize)
	cand := make([]saving, 0, 2*k*len(jobs))
	// The trips to and from the depots, read once per job.
	toEnd, fromStart := make([]float64, n), make([]float64, n)
	for _, u := range jobs {
		l := s.p.Jobs[u].Loc
		toEnd[u], fromStart[u] = s.m.Dist(l, veh.End), s.m.Dist(veh.Start, l)
	}
	tEnd, tStart := s.toEnd[v0], s.fromStart[v0]
	value := func(u, w int32, uw arc) float64 {
		d := toEnd[u] + fromStart[w] - uw.d
		t := tEnd[u] + tStart[w] - uw.t
		return veh.PerDist*d + veh.PerTime*t
	}
	for _, u := range jobs {
		lu := s.p.Jobs[u].Loc
		for _, w := range s.near[u][:min(k, len(s.near[u]))] {
			if !in[w] {
				continue
			}
			lw := s.p.Jobs[w].Loc
			cand = append(cand, saving{value(u, w, s.arc(lu, lw)), u, w}, saving{value(w, u, s.arc(lw, lu)), w, u})
		}
	}
	slices.SortFunc(cand, func(a, b saving) int {
		switch {
		case a.value > b.value:
			return -1
		case a.value < b.value:
			return 1
		case a.from != b.from:
			return int(a.from - b.from)
		}
		return int(a.to - b.to)
	})
	cost := func(x *seg, cnt int32) (float64, bool) {
		full := s.join3(&s.startSeg[v0], x, &s.endSeg[v0])
		return s.routeCost(v0, &full, int(cnt))
	}
	// rcost[r] is the cost of representative r's route (0 if infeasible).
	rcost := make([]float64, n)
	for _, u := range jobs {
		rcost[u], _ = cost(&rseg[u], 1)
	}
	for i, c := range cand {
		if i&63 == 0 && s.budget.expired() {
			break // the routes merged so far are feasible
		}
		u, w := c.from, c.to
		a, b := rep[u], rep[w]
		if a == b || next[u] >= 0 || !isHead[w] {
			continue
		}
		x := s.join(&rseg[a], &rseg[b])
		cx, ok := cost(&x, size[a]+size[b])
		if !ok || cx >= rcost[a]+rcost[b] {
			continue
		}
		next[u], isHead[w] = w, false
		// Keep the larger route's representative; relabel the smaller one.
		keep, drop := a, b
		if size[b] > size[a] {
			keep, drop = b, a
		}
		for j, i := head[drop], int32(0); i < size[drop]; j, i = next[j], i+1 {
			rep[j] = keep
		}
		head[keep], tail[keep], size[keep], rseg[keep], rcost[keep] = head[a], tail[b], size[a]+size[b], x, cx
	}
	reps := make([]int32, 0)
	for _, u := range jobs {
		if rep[u] == u {
			reps = append(reps, u)
		}
	}
	slices.SortStableFunc(reps, func(a, b int32) int { return int(size[b] - size[a]) })
	var rest []int32
	for i, r := range reps {
		if i >= len(st.tours) {
			for j := head[r]; j >= 0; j = next[j] {
				rest = append(rest, j)
			}
			continue
		}
		t := &st.tours[i]
		for j := head[r]; j >= 0; j = next[j] {
			t.jobs = append(t.jobs, j)
		}
		s.refresh(st, i)
	}
	return rest
}

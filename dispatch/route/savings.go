package route

import (
	"math/bits"
	"slices"
)

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
	next := s.kept.i32s.take(n)
	isHead := s.kept.bools.take(n)
	rep := s.kept.i32s.take(n)
	head := s.kept.i32s.take(n)
	tail := s.kept.i32s.take(n)
	size := s.kept.i32s.take(n)
	rseg := s.kept.segs.take(n)
	in := s.kept.bools.take(n)
	for _, u := range jobs {
		in[u] = true
		next[u], isHead[u], rep[u], head[u], tail[u], size[u] = -1, true, u, u, u, 1
		rseg[u] = s.jobSeg[u]
	}
	k := min(savingsSize, nearSize)
	cand := s.kept.savings.takeCap(2 * k * len(jobs))
	// The trips to and from the depots, read once per job.
	toEnd, fromStart := s.kept.f64s.take(n), s.kept.f64s.take(n)
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
	// A pair of mutual neighbours is listed by both: it is taken once, from
	// the first of the two in jobs' order (its second copy, right after the
	// first once sorted, would find the same routes and be skipped or
	// rejected alike).
	listed := func(w, u int32) bool { return slices.Contains(s.near[w][:min(k, len(s.near[w]))], u) }
	done := s.kept.bools.take(n)
	for _, u := range jobs {
		lu := s.p.Jobs[u].Loc
		for _, w := range s.near[u][:min(k, len(s.near[u]))] {
			if !in[w] || done[w] && listed(w, u) {
				continue
			}
			lw := s.p.Jobs[w].Loc
			cand = append(cand, saving{value(u, w, s.arc(lu, lw)), u, w}, saving{value(w, u, s.arc(lw, lu)), w, u})
		}
		done[u] = true
	}
	sortSavings(cand, 2*bits.Len(uint(len(cand))))
	cost := func(x *seg, cnt int32) (float64, bool) {
		full := s.join3(&s.startSeg[v0], x, &s.endSeg[v0])
		return s.routeCost(v0, &full, int(cnt))
	}
	// rcost[r] is the cost of representative r's route (0 if infeasible).
	rcost := s.kept.f64s.take(n)
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

// before orders savings by decreasing value, then by from and to.
func (a saving) before(b saving) bool {
	return a.value > b.value || a.value == b.value && (a.from < b.from || a.from == b.from && a.to < b.to)
}

// sortSavings sorts c by before: a quicksort whose comparisons inline
// (slices.SortFunc calls its comparison through a func value, which made the
// sort the construction's largest cost). Below depth it leaves what is left
// to slices.SortFunc, so its worst case stays O(n log n).
func sortSavings(c []saving, depth int) {
	for len(c) > 12 {
		if depth == 0 {
			slices.SortFunc(c, func(a, b saving) int {
				switch {
				case a.before(b):
					return -1
				case b.before(a):
					return 1
				}
				return 0
			})
			return
		}
		depth--
		p := partitionSavings(c)
		// Recurse on the smaller side, loop on the larger.
		if p < len(c)-1-p {
			sortSavings(c[:p], depth)
			c = c[p+1:]
		} else {
			sortSavings(c[p+1:], depth)
			c = c[:p]
		}
	}
	for i := 1; i < len(c); i++ {
		x, j := c[i], i
		for ; j > 0 && x.before(c[j-1]); j-- {
			c[j] = c[j-1]
		}
		c[j] = x
	}
}

// partitionSavings partitions c (len(c) >= 3) around the median of its
// first, middle and last entries and returns the pivot's final index: the
// entries before it are not after it, those after it not before it.
func partitionSavings(c []saving) int {
	hi, mid := len(c)-1, len(c)/2
	if c[mid].before(c[0]) {
		c[mid], c[0] = c[0], c[mid]
	}
	if c[hi].before(c[0]) {
		c[hi], c[0] = c[0], c[hi]
	}
	if c[hi].before(c[mid]) {
		c[hi], c[mid] = c[mid], c[hi]
	}
	c[0], c[mid] = c[mid], c[0] // the median, as pivot, at 0
	v := c[0]
	i, j := 0, hi+1
	for {
		for i++; i < hi && c[i].before(v); i++ {
		}
		for j--; j > 0 && v.before(c[j]); j-- {
		}
		if i >= j {
			break
		}
		c[i], c[j] = c[j], c[i]
	}
	c[0], c[j] = c[j], c[0]
	return j
}

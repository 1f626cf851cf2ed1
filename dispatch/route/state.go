package route

import "math"

// tour is the route of one vehicle with its cached prefix and suffix segments.
// Node 0 is the start depot, nodes 1..m the jobs, node m+1 the end depot.
type tour struct {
	jobs []int32
	fwd  []seg // fwd[i] covers nodes 0..i
	bwd  []seg // bwd[i] covers nodes i..m+1
	arcs []arc // arcs[i] is the trip from node i to node i+1
	cost float64
	// base is the route's travel and service time: its duration less
	// waiting, a lower bound on the duration of a route changed by a move
	// (see lowerValue).
	base float64
	// reach bounds which jobs could be inserted (see setReach): reach[0]
	// at any position, reach[1+k] at positions 1+k*reachBlock to
	// (k+1)*reachBlock.
	reach [][2]float64
}

// arc is the travel time and distance of a trip, as read from the Matrix.
type arc struct{ t, d float64 }

// arcCacheBits bounds the size of the solver's trip cache (see arc): 1<<bits
// entries, fewer for small problems.
const arcCacheBits = 12

// arcEntry is one slot of the trip cache: the trip from location key>>32 to
// location key&(1<<32-1).
type arcEntry struct {
	key uint64
	a   arc
}

// arc returns the trip from location i to location j. Moves evaluated one
// after another on the same jobs read the same trips (a relocation, a swap
// and a 2-opt* of the same pair share half of theirs), and the tour they
// change then re-reads them: a small direct-mapped cache answers those
// without calling the Matrix, whose reads may cost more. A TripMatrix is
// read directly: one call of a table lookup costs less than the cache (the
// cache's own misses in the processor's caches included).
func (s *solver) arc(i, j int) arc {
	if s.arcCache == nil {
		t, d := s.tm.Trip(i, j)
		return arc{t, d}
	}
	key := uint64(uint32(i))<<32 | uint64(uint32(j))
	e := &s.arcCache[(key*0x9e3779b97f4a7c15)>>s.arcShift]
	if e.key != key {
		t, d := s.trip(i, j)
		e.key, e.a = key, arc{t, d}
	}
	return e.a
}

// trip returns the travel time and distance from location i to j: one call
// of a TripMatrix.
func (s *solver) trip(i, j int) (float64, float64) { return s.tm.Trip(i, j) }

// tripOf is a Matrix's TripMatrix: itself, or the Matrix with a Trip method
// that reads Time and Dist.
func tripOf(m Matrix) TripMatrix {
	if tm, ok := m.(TripMatrix); ok {
		return tm
	}
	return timeDist{m}
}

// timeDist is a Matrix that is not a TripMatrix, made one.
type timeDist struct{ Matrix }

func (m timeDist) Trip(i, j int) (float64, float64) { return m.Time(i, j), m.Dist(i, j) }

// state is a complete solution under search: one tour per vehicle (empty when
// unused) and the unassigned jobs.
type state struct {
	tours      []tour
	routeOf    []int32 // job -> vehicle, or -1 when unassigned
	posOf      []int32 // job -> node index in its tour
	unassigned []int32
	cost       float64 // sum of tour costs
	used       int     // non-empty tours
	dirty      []bool  // tours changed since the last sync
	dirtyList  []int32
}

func newState(n, nv int) *state {
	st := &state{
		tours:   make([]tour, nv),
		routeOf: make([]int32, n),
		posOf:   make([]int32, n),
		dirty:   make([]bool, nv),
	}
	for i := range st.routeOf {
		st.routeOf[i] = -1
	}
	return st
}

// touch marks tour v as changed.
func (st *state) touch(v int) {
	if !st.dirty[v] {
		st.dirty[v] = true
		st.dirtyList = append(st.dirtyList, int32(v))
	}
}

// refresh recomputes the caches of tour v after its jobs changed and updates
// the state's totals and job positions.
func (s *solver) refresh(st *state, v int) { s.refreshKeep(st, v, 0, 0) }

// refreshKeep is refresh when the tour's first head and last tail jobs are
// those it had at its last refresh, in the same order: their prefix and
// suffix segments are kept (the suffixes moved to their new positions) and
// only the others are joined again. A change in the middle of a long route
// then reads the Matrix for the changed part, not the whole route.
func (s *solver) refreshKeep(st *state, v, head, tail int) {
	t := &st.tours[v]
	st.touch(v)
	s.clock++
	s.modified[v] = s.clock
	s.roomAt[v] = s.clock
	old := len(t.fwd) > 2
	m := len(t.jobs)
	oldLen := len(t.fwd)
	if oldLen == 0 {
		head, tail = 0, 0
	}
	t.fwd, t.bwd, t.arcs = grow(t.fwd, m+2), grow(t.bwd, m+2), grow(t.arcs, m+1)
	if tail > 0 {
		// The suffixes and trips of the kept jobs (and the end depot) move
		// from old node oldLen-1-tail.. to m+1-tail...
		b, a := t.bwd[:cap(t.bwd)], t.arcs[:cap(t.arcs)]
		copy(b[m+1-tail:m+2], b[oldLen-1-tail:oldLen])
		copy(a[m+1-tail:m+1], a[oldLen-1-tail:oldLen-1])
	}
	t.fwd, t.bwd, t.arcs = t.fwd[:m+2], t.bwd[:m+2], t.arcs[:m+1]
	// The trips between the changed nodes, each read once.
	at := s.nodeLoc(t, v, head)
	for i := head; i <= m-tail; i++ {
		next := s.nodeLoc(t, v, i+1)
		t.arcs[i] = s.arc(at, next)
		at = next
	}
	// The prefixes from node head on and the suffixes from node m-tail
	// down, each joined to the last one kept in registers (joinArcTo's
	// arithmetic, without storing and reloading the running segment).
	t.fwd[0] = s.startSeg[v]
	x := &t.fwd[head]
	first, tm, dist, load := x.first, x.times, x.dist, x.load
	for i := head + 1; i <= m; i++ {
		j := t.jobs[i-1]
		a, js := &t.arcs[i-1], &s.jobSeg[j]
		tm = joinTimes(tm, js.times, a.t)
		dist = dist + js.dist + a.d
		load = Load{load[0] + js.load[0], load[1] + js.load[1], load[2] + js.load[2]}
		f := &t.fwd[i]
		f.first, f.last, f.times, f.dist, f.load = first, js.last, tm, dist, load
		st.routeOf[j] = int32(v)
		st.posOf[j] = int32(i)
	}
	joinArcTo(&t.fwd[m+1], &t.fwd[m], &s.endSeg[v], t.arcs[m].t, t.arcs[m].d)
	t.bwd[m+1] = s.endSeg[v]
	x = &t.bwd[m+1-tail]
	last, tm, dist, load := x.last, x.times, x.dist, x.load
	for i := m - tail; i >= 1; i-- {
		a, js := &t.arcs[i], &s.jobSeg[t.jobs[i-1]]
		tm = joinTimes(js.times, tm, a.t)
		dist = js.dist + dist + a.d
		load = Load{js.load[0] + load[0], js.load[1] + load[1], js.load[2] + load[2]}
		b := &t.bwd[i]
		b.first, b.last, b.times, b.dist, b.load = js.first, last, tm, dist, load
	}
	joinArcTo(&t.bwd[0], &s.startSeg[v], &t.bwd[1], t.arcs[0].t, t.arcs[0].d)
	base := 0.0 // summed in a register, in the same order
	for i := range t.arcs {
		base += t.arcs[i].t
	}
	for _, j := range t.jobs {
		base += s.service[j]
	}
	t.base = base
	st.cost -= t.cost
	c, _ := s.routeCost(v, &t.fwd[m+1], m)
	t.cost = c
	st.cost += c
	s.setReach(t, v)
	switch {
	case old && m == 0:
		st.used--
	case !old && m > 0:
		st.used++
	}
}

// grow returns xs with room for n elements, keeping its contents.
func grow[T any](xs []T, n int) []T {
	if cap(xs) >= n {
		return xs
	}
	ys := make([]T, len(xs), 2*n+2)
	copy(ys, xs)
	return ys
}

// sync makes dst equal to src, copying only the tours changed in either since
// the last sync, and clears both dirty sets.
func (dst *state) sync(src *state) {
	for _, list := range [][]int32{src.dirtyList, dst.dirtyList} {
		for _, v := range list {
			d, s := &dst.tours[v], &src.tours[v]
			d.jobs = append(d.jobs[:0], s.jobs...)
			d.fwd = append(d.fwd[:0], s.fwd...)
			d.bwd = append(d.bwd[:0], s.bwd...)
			d.arcs = append(d.arcs[:0], s.arcs...)
			d.reach = append(d.reach[:0], s.reach...)
			d.cost, d.base = s.cost, s.base
		}
	}
	for _, list := range [][]int32{src.dirtyList, dst.dirtyList} {
		for _, v := range list {
			src.dirty[v], dst.dirty[v] = false, false
		}
	}
	src.dirtyList, dst.dirtyList = src.dirtyList[:0], dst.dirtyList[:0]
	copy(dst.routeOf, src.routeOf)
	copy(dst.posOf, src.posOf)
	dst.unassigned = append(dst.unassigned[:0], src.unassigned...)
	dst.cost, dst.used = src.cost, src.used
}

// clone returns a deep copy of st with empty dirty sets.
func (st *state) clone() *state {
	c := newState(len(st.routeOf), len(st.tours))
	c.copyAll(st)
	return c
}

// reset makes st the empty state newState(n, nv) returns, keeping its arrays (the tours' too) for reuse.
func (st *state) reset(n, nv int) {
	if cap(st.tours) < nv {
		st.tours = append(st.tours[:cap(st.tours)], make([]tour, nv-cap(st.tours))...)
	}
	st.tours = st.tours[:nv]
	for i := range st.tours {
		t := &st.tours[i]
		*t = tour{jobs: t.jobs[:0], fwd: t.fwd[:0], bwd: t.bwd[:0], arcs: t.arcs[:0], reach: t.reach[:0]}
	}
	st.routeOf = reuse(st.routeOf, n)
	for i := range st.routeOf {
		st.routeOf[i] = -1
	}
	st.posOf = reuse(st.posOf, n)
	st.unassigned = st.unassigned[:0]
	st.cost, st.used = 0, 0
	st.dirty = reuse(st.dirty, nv)
	st.dirtyList = st.dirtyList[:0]
}

// reuse returns xs with n zero elements, in its own array when that is large enough.
func reuse[T any](xs []T, n int) []T {
	if cap(xs) < n {
		return make([]T, n)
	}
	xs = xs[:n]
	clear(xs)
	return xs
}

// better reports whether a is better than b: fewer unassigned jobs, then (with
// MinimizeVehicles) fewer vehicles, then lower cost.
func (s *solver) better(a, b *state) bool {
	if len(a.unassigned) != len(b.unassigned) {
		return len(a.unassigned) < len(b.unassigned)
	}
	if s.opt.MinimizeVehicles && a.used != b.used {
		return a.used < b.used
	}
	return a.cost < b.cost-1e-9*max(1, b.cost)
}

// reachBlock is the number of insertion positions that share a reach bound.
const reachBlock = 8

// setReach sets t.reach, two bounds on the jobs that can be inserted into
// tour t of vehicle v, for the whole tour and for each block of reachBlock
// positions. For insertion position pos, let g be the time from the
// earliest end of service at node pos-1 to the latest start at node pos;
// reach[.][0] is the largest g plus the travel time from node pos to the
// End, reach[.][1] the largest g plus that plus the travel time from the
// Start to node pos-1. Job u fits at no position unless its service plus its
// travel time to the End is at most reach[.][0], and the same plus its
// travel time from the Start at most reach[.][1]: by the triangle
// inequality, the trip from u to node pos takes at least the trip from u to
// the End less the trip from node pos to the End, and likewise for the trip
// to u.
func (s *solver) setReach(t *tour, v int) {
	fs, te := s.fromStart[v], s.toEnd[v]
	m := len(t.jobs)
	blocks := m/reachBlock + 1 // of positions 1..m+1
	t.reach = grow(t.reach[:0], 1+blocks)[:1+blocks]
	all := [2]float64{math.Inf(-1), math.Inf(-1)}
	for k := range blocks {
		r := [2]float64{math.Inf(-1), math.Inf(-1)}
		for pos := 1 + k*reachBlock; pos <= min((k+1)*reachBlock, m+1); pos++ {
			a, b := &t.fwd[pos-1], &t.bwd[pos]
			g := b.l - (a.e + a.dur)
			if pos <= m {
				g += te[t.jobs[pos-1]]
			}
			r[0] = max(r[0], g)
			if pos > 1 {
				g += fs[t.jobs[pos-2]]
			}
			r[1] = max(r[1], g)
		}
		t.reach[1+k] = r
		all = [2]float64{max(all[0], r[0]), max(all[1], r[1])}
	}
	t.reach[0] = all
}

// outOfReach reports whether job u cannot be inserted into tour t of vehicle
// v by the bounds t.reach[0] of setReach.
func (s *solver) outOfReach(t *tour, v int, u int32) bool {
	r := &s.need[v][u]
	return beyond(t.reach[0], r.out, r.round, r.eps)
}

// need is what inserting a job into a route of a vehicle takes by the bounds
// of setReach: its service plus its travel time to the End (out), that plus
// its travel time from the Start (round), and the tolerance for round.
type need struct{ out, round, eps float64 }

// beyond reports whether a job needing out and round is beyond the reach
// bounds r (see setReach).
func beyond(r [2]float64, out, round, eps float64) bool {
	return out > r[0]+eps || round > r[1]+eps
}

// triEps is the tolerance of bounds by the triangle inequality on travel
// times of about x, for matrices that obey it only up to float32 rounding.
func triEps(x float64) float64 { return twEps + 1e-6*math.Abs(x) }

// mayFit reports whether a job may be inserted between the segments a and b
// (a ends at node pos-1 and b starts at node pos) when the trips from node
// pos-1 to the job and from the job to node pos take at least in and out.
func mayFit(a, b *seg, job *Job, in, out, eps float64) bool {
	arrive := max(a.e+a.dur+max(in, 0), job.Ready)
	return arrive <= job.Due+eps && arrive+job.Service+max(out, 0) <= b.l+eps
}

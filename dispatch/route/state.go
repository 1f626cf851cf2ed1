package route

// tour is the route of one vehicle with its cached prefix and suffix segments.
// Node 0 is the start depot, nodes 1..m the jobs, node m+1 the end depot.
type tour struct {
	jobs []int32
	fwd  []seg // fwd[i] covers nodes 0..i
	bwd  []seg // bwd[i] covers nodes i..m+1
	cost float64
}

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
func (s *solver) refresh(st *state, v int) {
	t := &st.tours[v]
	st.touch(v)
	s.clock++
	s.modified[v] = s.clock
	s.roomAt[v] = s.clock
	old := len(t.fwd) > 2
	m := len(t.jobs)
	if cap(t.fwd) < m+2 {
		t.fwd = make([]seg, m+2, 2*m+4)
		t.bwd = make([]seg, m+2, 2*m+4)
	}
	t.fwd, t.bwd = t.fwd[:m+2], t.bwd[:m+2]
	t.fwd[0] = s.startSeg[v]
	for i := 1; i <= m; i++ {
		j := t.jobs[i-1]
		t.fwd[i] = s.join(&t.fwd[i-1], &s.jobSeg[j])
		st.routeOf[j] = int32(v)
		st.posOf[j] = int32(i)
	}
	t.fwd[m+1] = s.join(&t.fwd[m], &s.endSeg[v])
	t.bwd[m+1] = s.endSeg[v]
	for i := m; i >= 1; i-- {
		t.bwd[i] = s.join(&s.jobSeg[t.jobs[i-1]], &t.bwd[i+1])
	}
	t.bwd[0] = s.join(&s.startSeg[v], &t.bwd[1])
	st.cost -= t.cost
	c, _ := s.routeCost(v, &t.fwd[m+1], m)
	t.cost = c
	st.cost += c
	switch {
	case old && m == 0:
		st.used--
	case !old && m > 0:
		st.used++
	}
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
			d.cost = s.cost
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
	for v := range st.tours {
		c.tours[v].jobs = append([]int32(nil), st.tours[v].jobs...)
		c.tours[v].fwd = append([]seg(nil), st.tours[v].fwd...)
		c.tours[v].bwd = append([]seg(nil), st.tours[v].bwd...)
		c.tours[v].cost = st.tours[v].cost
	}
	copy(c.routeOf, st.routeOf)
	copy(c.posOf, st.posOf)
	c.unassigned = append([]int32(nil), st.unassigned...)
	c.cost, c.used = st.cost, st.used
	return c
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

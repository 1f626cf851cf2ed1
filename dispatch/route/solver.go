package route

import (
	"math"
	"math/rand/v2"
	"sync"
)

// solver holds the read-only data derived from a Problem and the scratch space
// of one Solve call.
type solver struct {
	p   *Problem
	m   Matrix
	tm  TripMatrix // m, or m made one (tripOf)
	opt Options
	rng *rand.Rand
	n   int

	jobSeg           []seg
	service          []float64 // job -> service time, packed
	loc              []int     // job -> location, packed
	startSeg, endSeg []seg
	class            []int32 // vehicle -> class of identical vehicles
	nclass           int
	classFirst       []int     // first vehicle of each class
	classNext        []int32   // vehicle -> next vehicle of its class, or -1
	endClass         []int32   // vehicle -> class of (End, ShiftEnd), for tail exchanges
	routable         []bool    // job fits some vehicle alone
	reason           []Reason  // job -> reasonAlone
	near             [][]int32 // jobs nearest first by distance (for ruin)
	gran             [][]int32 // jobs most related first (for local search)
	depotDist        []float64
	// Per vehicle and job, the travel time from the vehicle's Start to the
	// job and from the job to the vehicle's End (shared by vehicles alike).
	fromStart, toEnd [][]float64
	need             [][]need    // per vehicle and job (shared likewise), see outOfReach
	vehiclePenalty   float64     // added to opening a route with MinimizeVehicles
	elim             *eliminator // route elimination's scratch, made on first use
	budget           budget      // the deadline every phase checks
	// untried marks the jobs construct never tried to insert because the
	// budget expired first (ReasonTimeLimit).
	untried []bool

	// scratch
	clock    int64   // counts refreshes
	modified []int64 // vehicle -> clock of its tour's last refresh
	// roomAt is, per vehicle, the clock of the last change to its tour that
	// may have made room for another job: anything but an insertion.
	roomAt []int64
	// failAt is, per job, the clock of its last full insertion scan that
	// found no feasible position, or -1 (see bestInsertion).
	failAt []int64
	// openedAt is, per job, the clock of recreate's scan that found no room
	// for it in a used route and opened a vehicle, or -1.
	openedAt []int64
	// blinked tells whether the last bestInsertion skipped a feasible position.
	blinked bool
	// nearInsertion's verdicts on whole tours: routeFits[v] is valid when
	// routeCall[v] is the count nearCall of the current call; and
	// bestInsertion's marks on u's nearest neighbours (nearMark[w] ==
	// nearCall).
	nearCall  int64
	routeCall []int64
	routeFits []bool
	nearMark  []int64
	// nearInsertion's memo of the positions evaluated in the current call:
	// the position before job j (gap[j]) and the last of tour v (tailGap[v]).
	gap, tailGap []gapEval
	arcCache     []arcEntry
	arcShift     uint8 // 64 - log2(len(arcCache))
	// roomSaved and failSaved hold roomAt and failAt (of the jobs in order)
	// as of the start of an iteration, to put back if it is rejected.
	roomSaved []int64
	failSaved []int64
	tested    []int64 // job -> clock when local search last tried its moves
	// removalGain's cache: the gain of removing gainJob as of gainStamp.
	gainJob    int32
	gainStamp  int64
	gain       float64
	classSeen  []bool
	removed    []bool
	order      []int32
	sortBuf    []keyed
	ruined     []int32
	scratch    []int32
	impossible []Unassigned
	// kept holds the arrays this solve reuses from earlier ones and leaves to later ones (nil: none).
	kept    *kept
	nstates int // states handed out from kept
}

// kept is what one Solve leaves to the next: its search states, whose arrays (a tour's segments above all)
// were a quarter of the bytes a run of the simulator allocated. Every use resets what it takes to the
// values a new one would hold, so a solve gives the same answer whatever ran before it.
type kept struct {
	states []*state
	// Scratch arrays by type, taken in the same order by every solve (see slab).
	segs    slab[seg]
	i32s    slab[int32]
	i64s    slab[int64]
	bools   slab[bool]
	f64s    slab[float64]
	ints    slab[int]
	gaps    slab[gapEval]
	needs   slab[need]
	reasons slab[Reason]
	savings slab[saving]
	pivots  slab[[numPivots]float64]
	lists   slab[[]int32]
}

// slab hands out arrays of T: the i-th take of a solve reuses the array of the i-th take of the solve
// before, zeroed, so the values are those of make's.
type slab[T any] struct {
	bufs [][]T
	next int
}

// take returns n zero elements.
func (b *slab[T]) take(n int) []T {
	if b.next < len(b.bufs) {
		x := reuse(b.bufs[b.next], n)
		b.bufs[b.next] = x
		b.next++
		return x
	}
	x := make([]T, n)
	b.bufs = append(b.bufs, x)
	b.next++
	return x
}

// takeCap returns an empty slice with room for n elements.
func (b *slab[T]) takeCap(n int) []T { return b.take(n)[:0] }

// rewind makes the next take the first of a solve.
func (b *slab[T]) rewind() { b.next = 0 }

// rewind readies k for the next solve.
func (k *kept) rewind() {
	k.segs.rewind()
	k.i32s.rewind()
	k.i64s.rewind()
	k.bools.rewind()
	k.f64s.rewind()
	k.ints.rewind()
	k.gaps.rewind()
	k.needs.rewind()
	k.reasons.rewind()
	k.savings.rewind()
	k.pivots.rewind()
	k.lists.rewind()
}

var keptPool sync.Pool // *kept

// keepArrays says solves hand their arrays on; a test turns it off to compare with fresh arrays.
var keepArrays = true

// takeKept returns a kept from an earlier solve, or a new one.
func takeKept() *kept {
	if k, ok := keptPool.Get().(*kept); ok && keepArrays {
		return k
	}
	return &kept{}
}

// release hands the solver's kept arrays to a later solve; nothing of the solver's states is used after.
func (s *solver) release() {
	if k := s.kept; k != nil {
		s.kept = nil
		if keepArrays {
			k.rewind()
			keptPool.Put(k)
		}
	}
}

// newState returns an empty state for n jobs and nv vehicles, reusing a kept one when there is one.
func (s *solver) newState(n, nv int) *state {
	k := s.kept
	if k == nil {
		return newState(n, nv)
	}
	if s.nstates < len(k.states) {
		st := k.states[s.nstates]
		s.nstates++
		st.reset(n, nv)
		return st
	}
	st := newState(n, nv)
	k.states = append(k.states, st)
	s.nstates++
	return st
}

// cloneState is st.clone on a state from s.newState.
func (s *solver) cloneState(st *state) *state {
	c := s.newState(len(st.routeOf), len(st.tours))
	c.copyAll(st)
	return c
}

const (
	nearSize = 40
	granSize = 20
	// numPivots is how many pivot jobs buildNeighbours bounds distances by.
	numPivots = 6
	// smallNeighbours is the number of jobs up to which buildNeighbours
	// reads every pair.
	smallNeighbours = 64
)

func newSolver(p *Problem, opt Options) *solver {
	return newSolverWithin(p, opt, budget{})
}

// newSolverWithin is newSolver whose preparation (the neighbour lists) stops
// when b expires; the phases after it then stop at once too.
func newSolverWithin(p *Problem, opt Options, b budget) *solver {
	n := len(p.Jobs)
	nv := len(p.Vehicles)
	k := takeKept()
	s := &solver{
		kept:      k,
		p:         p,
		m:         p.Matrix,
		tm:        tripOf(p.Matrix),
		opt:       opt,
		rng:       rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15)),
		n:         n,
		jobSeg:    k.segs.take(n),
		startSeg:  k.segs.take(nv),
		endSeg:    k.segs.take(nv),
		class:     k.i32s.take(nv),
		endClass:  k.i32s.take(nv),
		routable:  k.bools.take(n),
		removed:   k.bools.take(n),
		modified:  k.i64s.take(nv),
		roomAt:    k.i64s.take(nv),
		roomSaved: k.i64s.take(nv),
		routeCall: k.i64s.take(nv),
		routeFits: k.bools.take(nv),
		nearMark:  k.i64s.take(n),
		gap:       k.gaps.take(n),
		tailGap:   k.gaps.take(nv),
		failAt:    k.i64s.take(n),
		openedAt:  k.i64s.take(n),
		tested:    k.i64s.take(n),
		gainJob:   -1,
		budget:    b,
	}
	if _, ok := p.Matrix.(TripMatrix); !ok {
		// A trip cache (see arc) of about 8 entries per job, from 256 to
		// 1<<arcCacheBits.
		bits := 8
		for bits < arcCacheBits && 1<<bits < 8*n {
			bits++
		}
		s.arcCache, s.arcShift = make([]arcEntry, 1<<bits), uint8(64-bits)
		for i := range s.arcCache {
			s.arcCache[i].key = ^uint64(0) // no trip: locations are below 1<<32-1
		}
	}
	s.service = k.f64s.take(n)
	s.loc = k.ints.take(n)
	for i := range p.Jobs {
		s.service[i] = p.Jobs[i].Service
		s.loc[i] = p.Jobs[i].Loc
		s.failAt[i] = -1
		j := &p.Jobs[i]
		s.jobSeg[i] = seg{first: j.Loc, last: j.Loc, times: times{e: j.Ready, l: j.Due, dur: j.Service}, load: j.Demand}
	}
	for v := range p.Vehicles {
		veh := &p.Vehicles[v]
		s.startSeg[v] = seg{first: veh.Start, last: veh.Start, times: times{e: veh.ShiftStart, l: veh.ShiftEnd}}
		s.endSeg[v] = seg{first: veh.End, last: veh.End, times: times{e: veh.ShiftStart, l: veh.ShiftEnd}}
	}
	// Classes of identical vehicles: only the first unused vehicle of a class
	// is tried when opening a route. Classes are numbered in the order of
	// their first vehicle; maps keep this linear in the number of vehicles.
	classOf := map[Vehicle]int32{}
	endClassOf := map[endKey]int32{}
	for v := range p.Vehicles {
		veh := &p.Vehicles[v]
		c, ok := classOf[*veh]
		if !ok {
			c = int32(len(classOf))
			classOf[*veh] = c
		}
		s.class[v] = c
		k := endKeyOf(veh)
		e, ok := endClassOf[k]
		if !ok {
			e = int32(len(endClassOf))
			endClassOf[k] = e
		}
		s.endClass[v] = e
	}
	s.nclass = len(classOf)
	s.classSeen = k.bools.take(s.nclass)
	s.classNext = k.i32s.take(nv)
	last := k.i32s.take(s.nclass)
	for c := range last {
		last[c] = -1
	}
	for v := range p.Vehicles {
		s.classNext[v] = -1
		c := s.class[v]
		if last[c] < 0 {
			s.classFirst = append(s.classFirst, v)
		} else {
			s.classNext[last[c]] = int32(v)
		}
		last[c] = int32(v)
	}
	s.reason = k.reasons.take(n)
	for i := range p.Jobs {
		s.reason[i] = s.reasonAlone(i)
		s.routable[i] = s.reason[i] == ""
	}
	// depotDist is the distance from the nearest start depot.
	fromStartSeen := map[int]struct{}{}
	var starts []int
	for _, veh := range p.Vehicles {
		if _, ok := fromStartSeen[veh.Start]; !ok {
			fromStartSeen[veh.Start] = struct{}{}
			starts = append(starts, veh.Start)
		}
	}
	s.depotDist = k.f64s.take(n)
	farthest := math.Inf(-1) // the largest depotDist
	for i := range p.Jobs {
		d := math.Inf(1)
		for _, l := range starts {
			d = min(d, s.m.Dist(l, p.Jobs[i].Loc))
		}
		s.depotDist[i] = d
		farthest = max(farthest, d)
	}
	// The most a route to one job can cost. A route's cost grows with d
	// (PerDist >= 0) and float64 rounding is monotonic, so the farthest job
	// gives the largest cost of each vehicle.
	maxCost := 0.0
	if n > 0 {
		for v := range p.Vehicles {
			veh := &p.Vehicles[v]
			maxCost = max(maxCost, veh.Fixed+veh.PerDist*2*farthest+veh.PerTime*(veh.ShiftEnd-veh.ShiftStart))
		}
	}
	s.vehiclePenalty = 10 * (maxCost + 1) * float64(n+1)
	// Shared by the vehicles with the same start, end, or both.
	s.fromStart, s.toEnd = make([][]float64, nv), make([][]float64, nv)
	fromStartOf, toEndOf := map[int][]float64{}, map[int][]float64{}
	for v := range p.Vehicles {
		veh := &p.Vehicles[v]
		if s.fromStart[v] = fromStartOf[veh.Start]; s.fromStart[v] == nil {
			s.fromStart[v] = k.f64s.take(n)
			for i := range p.Jobs {
				s.fromStart[v][i] = s.m.Time(veh.Start, p.Jobs[i].Loc)
			}
			fromStartOf[veh.Start] = s.fromStart[v]
		}
		if s.toEnd[v] = toEndOf[veh.End]; s.toEnd[v] == nil {
			s.toEnd[v] = k.f64s.take(n)
			for i := range p.Jobs {
				s.toEnd[v][i] = s.m.Time(p.Jobs[i].Loc, veh.End)
			}
			toEndOf[veh.End] = s.toEnd[v]
		}
	}
	s.need = make([][]need, nv)
	needOf := map[[2]int][]need{}
	for v := range p.Vehicles {
		key := [2]int{p.Vehicles[v].Start, p.Vehicles[v].End}
		if s.need[v] = needOf[key]; s.need[v] == nil {
			s.need[v] = k.needs.take(n)
			needOf[key] = s.need[v]
			for i := range p.Jobs {
				out := p.Jobs[i].Service + s.toEnd[v][i]
				round := out + s.fromStart[v][i]
				s.need[v][i] = need{out, round, triEps(round)}
			}
		}
	}
	s.buildNeighbours()
	return s
}

// endKey is what vehicles that can exchange route tails share: end depot,
// shift and skills.
type endKey struct {
	end                  int
	shiftStart, shiftEnd float64
	skills               uint64
}

// endKeyOf returns v's endKey.
func endKeyOf(v *Vehicle) endKey {
	return endKey{v.End, v.ShiftStart, v.ShiftEnd, v.Skills}
}

// reasonAlone returns why job i cannot be served by any vehicle even alone, or
// "" when some vehicle can serve it alone.
func (s *solver) reasonAlone(i int) Reason {
	j := &s.p.Jobs[i]
	if len(s.p.Vehicles) == 0 {
		return ReasonShift
	}
	skill, capacity, window := false, false, false
	for _, v := range s.classFirst { // identical vehicles give the same answer
		veh := &s.p.Vehicles[v]
		if j.Skills&^veh.Skills != 0 {
			continue
		}
		skill = true
		if !j.Demand.Fits(veh.Capacity) {
			continue
		}
		capacity = true
		if veh.ShiftStart+s.m.Time(veh.Start, j.Loc) > j.Due+twEps {
			continue
		}
		window = true
		x := s.join3(&s.startSeg[v], &s.jobSeg[i], &s.endSeg[v])
		if x.tw <= twEps {
			return ""
		}
	}
	switch {
	case !skill:
		return ReasonSkill
	case !capacity:
		return ReasonCapacity
	case !window:
		return ReasonTimeWindow
	}
	return ReasonShift
}

// buildNeighbours fills s.near (by distance) and s.gran (by a distance and
// time-window relatedness, Vidal et al. 2013) for each job, ties broken by
// job index. Both rank by the distance from u to the others: for an
// asymmetric matrix they rank by the way out, as if the way back were as
// long.
//
// Reading all n^2 distances would dominate a short solve of a large wave
// (the Matrix may compute each on demand), so the lists come from a metric
// search (LAESA-like): the distances from and to a few pivot jobs bound
// every distance from below by the triangle inequality. Jobs are bucketed
// in a grid over their distances from two pivots; for each job the cells
// are visited in rings of growing lower bound, nearest first, until the
// bound exceeds the k-th best key found, and a distance is read only when
// the bounds of all pivots do not rule it out. With a matrix that obeys the
// triangle inequality (up to float32 rounding) the lists are exactly those
// of a full scan; otherwise they may miss a few nearer jobs.
func (s *solver) buildNeighbours() {
	n := s.n
	kn, kg := min(nearSize, n-1), min(granSize, n-1)
	s.near = s.kept.lists.take(n)
	s.gran = s.kept.lists.take(n)
	if n <= 1 {
		return
	}
	flatN := s.kept.i32s.take(n * kn)
	flatG := s.kept.i32s.take(n * kg)
	bestN, bestG := newBest(kn), newBest(kg)
	jobs := s.p.Jobs
	dist := func(u, v int) float64 { return s.m.Dist(jobs[u].Loc, jobs[v].Loc) }
	// rel is the relatedness of jobs a and b at distance d and travel time t:
	// the smaller of visiting b after a and a after b, counting waiting at a
	// fifth and lateness in full.
	rel := func(a, b *Job, d, t float64) float64 {
		ab := 0.2*max(b.Ready-a.Service-t-a.Due, 0) + max(a.Ready+a.Service+t-b.Due, 0)
		ba := 0.2*max(a.Ready-b.Service-t-b.Due, 0) + max(b.Ready+b.Service+t-a.Due, 0)
		return d + min(ab, ba)
	}

	if n <= smallNeighbours {
		// Few jobs: every pair.
		for u := range n {
			if s.budget.expired() {
				return // the jobs left have no lists; nothing reads them now
			}
			a := &jobs[u]
			for v := range int32(n) {
				if int(v) == u {
					continue
				}
				b := &jobs[v]
				t, d := s.trip(a.Loc, b.Loc)
				bestN.push(v, d)
				if bestG.admitsID(d, v) { // rel >= d
					bestG.push(v, rel(a, b, d, t))
				}
			}
			s.near[u] = bestN.sorted(flatN[u*kn : u*kn : (u+1)*kn])
			s.gran[u] = bestG.sorted(flatG[u*kg : u*kg : (u+1)*kg])
		}
		return
	}

	// Pivots by farthest-first traversal, starting from the job farthest
	// from job 0: spread-out pivots give tight bounds. fs[v][p] and
	// ts[v][p] are the distances from pivot p to job v and back.
	np := min(numPivots, n)
	fs, ts := s.kept.pivots.take(n), s.kept.pivots.take(n)
	closest := s.kept.f64s.take(n) // distance from the nearest pivot so far
	pivot, scale, asym := 0, 0.0, 0.0
	for v := range n {
		closest[v] = dist(0, v)
		if closest[v] > closest[pivot] {
			pivot = v
		}
	}
	for p := range np {
		next := 0
		for v := range n {
			f, b := dist(pivot, v), dist(v, pivot)
			fs[v][p], ts[v][p] = f, b
			scale = max(scale, f, b)
			asym = max(asym, math.Abs(f-b))
			if p == 0 || f < closest[v] {
				closest[v] = f
			}
			if closest[v] > closest[next] {
				next = v
			}
		}
		pivot = next
	}
	// The pivots' distances are the same both ways (asym == 0): the bound
	// from the way back is the one from the way out, negated.
	sym := asym == 0
	// Slack for distances that obey the triangle inequality only up to
	// float32 rounding.
	slack := 1e-6*scale + twEps

	// The grid: cell (x, y) of side h holds the jobs whose distances from
	// pivots 0 and gy (the third pivot, off the line through the first two
	// when there is one) are in [x*h, (x+1)*h) and [y*h, (y+1)*h). A job
	// in a cell r rings away from u's lies at least (r-1)*h from u by the
	// way out (from[p][v] - from[p][u] <= d(u, v)) and, by the way back
	// less twice the largest asymmetry, in the other direction.
	gy := min(2, np-1)
	spanX, spanY := 0.0, 0.0
	for v := range n {
		spanX, spanY = max(spanX, fs[v][0]), max(spanY, fs[v][gy])
	}
	// About one job per cell of the bounding box (fewer jobs visited than
	// with two a cell, and fewer instructions in all at 300 and 500 jobs).
	h := math.Sqrt(spanX * spanY / float64(n))
	if !(h > 0) || math.IsInf(h, 0) {
		h = max(spanX, spanY) / float64(n) * 2
	}
	if !(h > 0) || math.IsInf(h, 0) {
		h = 1
	}
	gw := min(int(spanX/h)+1, 4*n)
	gh := min(int(spanY/h)+1, 4*n/gw+1)
	cellOf := func(v int) (int, int) {
		return min(int(fs[v][0]/h), gw-1), min(int(fs[v][gy]/h), gh-1)
	}
	// Jobs by cell (counting sort, by index within a cell).
	start := s.kept.i32s.take(gw*gh + 1)
	for v := range n {
		x, y := cellOf(v)
		start[y*gw+x+1]++
	}
	for c := range gw * gh {
		start[c+1] += start[c]
	}
	members := s.kept.i32s.take(n)
	fill := append(s.kept.i32s.takeCap(len(start)), start...)
	for v := range n {
		x, y := cellOf(v)
		c := y*gw + x
		members[fill[c]] = int32(v)
		fill[c]++
	}

	// limit is the key above which an entry cannot enter heap h.
	limit := func(h *best) float64 {
		if !h.full() {
			return math.Inf(1)
		}
		return h.maxKey() + slack
	}
	for u := range n {
		if s.budget.expired() {
			return // the jobs left have no lists; nothing reads them now
		}
		a := &jobs[u]
		bestN.reset()
		bestG.reset()
		fu, tu := &fs[u], &ts[u]
		ln, lg := math.Inf(1), math.Inf(1)
		thr := math.Inf(1)
		cx, cy := cellOf(u)
		visit := func(c int) {
			for _, v := range members[start[c]:start[c+1]] {
				if int(v) == u {
					continue
				}
				// The best lower bound of the pivots, until it rules v out.
				fv := &fs[v]
				lb := 0.0
				if sym {
					for p := range np {
						lb = max(lb, math.Abs(fv[p]-fu[p]))
						if lb > thr {
							break
						}
					}
				} else {
					tv := &ts[v]
					for p := range np {
						lb = max(lb, fv[p]-fu[p], tu[p]-tv[p])
						if lb > thr {
							break
						}
					}
				}
				needN, needG := lb <= ln, lb <= lg
				if !needN && !needG {
					continue
				}
				b := &jobs[v]
				t, d := s.trip(a.Loc, b.Loc)
				if needN && bestN.admitsID(d, v) {
					bestN.push(v, d)
					ln = limit(bestN)
				}
				// rel >= d
				if needG && bestG.admitsID(d, v) {
					bestG.push(v, rel(a, b, d, t))
					lg = limit(bestG)
				}
				thr = max(ln, lg)
			}
		}
		for r := 0; ; r++ {
			x0, x1, y0, y1 := cx-r, cx+r, cy-r, cy+r
			if x0 < 0 && y0 < 0 && x1 >= gw && y1 >= gh {
				break // the ring is outside the grid
			}
			if float64(r-1)*h-2*asym > thr {
				break
			}
			// The ring's cells: its top and bottom rows, then its sides.
			for x := max(x0, 0); x <= min(x1, gw-1); x++ {
				if y0 >= 0 {
					visit(y0*gw + x)
				}
				if y1 < gh && r > 0 {
					visit(y1*gw + x)
				}
			}
			for y := max(y0+1, 0); y <= min(y1-1, gh-1); y++ {
				if x0 >= 0 {
					visit(y*gw + x0)
				}
				if x1 < gw {
					visit(y*gw + x1)
				}
			}
		}
		s.near[u] = bestN.sorted(flatN[u*kn : u*kn : (u+1)*kn])
		s.gran[u] = bestG.sorted(flatG[u*kg : u*kg : (u+1)*kg])
	}
}

// best keeps the k smallest (key, id) pairs pushed, in increasing order: an
// entry goes in by insertion from the end, which costs fewer unpredictable
// branches than a heap's sift and leaves the list sorted.
type best struct {
	k int
	h []keyID
}

// keyID is an entry of best.
type keyID struct {
	key float64
	id  int32
}

// before orders entries by key, then id.
func (a keyID) before(b keyID) bool { return a.key < b.key || a.key == b.key && a.id < b.id }

func newBest(k int) *best { return &best{k: k, h: make([]keyID, 0, k)} }

func (h *best) reset() { h.h = h.h[:0] }

// full reports whether the list holds k entries.
func (h *best) full() bool { return len(h.h) >= h.k }

// maxKey is the largest key held; the list must not be empty.
func (h *best) maxKey() float64 { return h.h[len(h.h)-1].key }

// admitsID reports whether an entry (d, id) would enter the list.
func (h *best) admitsID(d float64, id int32) bool {
	return len(h.h) < h.k || h.k > 0 && (keyID{d, id}).before(h.h[len(h.h)-1])
}

// push offers id with key d.
func (h *best) push(id int32, d float64) {
	e := keyID{d, id}
	if len(h.h) < h.k {
		h.h = append(h.h, e)
	} else if h.k == 0 || !e.before(h.h[len(h.h)-1]) {
		return
	}
	// The last entry is new or drops out: shift the larger ones up over it.
	i := len(h.h) - 1
	for i > 0 && e.before(h.h[i-1]) {
		h.h[i] = h.h[i-1]
		i--
	}
	h.h[i] = e
}

// sorted appends the ids in increasing (key, id) order to dst, emptying the list.
func (h *best) sorted(dst []int32) []int32 {
	for _, e := range h.h {
		dst = append(dst, e.id)
	}
	h.h = h.h[:0]
	return dst
}

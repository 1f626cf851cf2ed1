package route

import (
	"math"
	"math/rand/v2"
)

// solver holds the read-only data derived from a Problem and the scratch space
// of one Solve call.
type solver struct {
	p   *Problem
	m   Matrix
	opt Options
	rng *rand.Rand
	n   int

	jobSeg           []seg
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
	vehiclePenalty   float64     // added to opening a route with MinimizeVehicles
	elim             *eliminator // route elimination's scratch, made on first use

	// scratch
	clock    int64   // counts refreshes
	modified []int64 // vehicle -> clock of its tour's last refresh
	// roomAt is, per vehicle, the clock of the last change to its tour that
	// may have made room for another job: anything but an insertion.
	roomAt []int64
	// failAt is, per job, the clock of its last full insertion scan that
	// found no feasible position, or -1 (see bestInsertion).
	failAt []int64
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
}

const (
	nearSize = 40
	granSize = 20
	// neighbourSample is about how many entries of each matrix row
	// buildNeighbours samples to choose its thresholds.
	neighbourSample = 128
)

func newSolver(p *Problem, opt Options) *solver {
	n := len(p.Jobs)
	nv := len(p.Vehicles)
	s := &solver{
		p:         p,
		m:         p.Matrix,
		opt:       opt,
		rng:       rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15)),
		n:         n,
		jobSeg:    make([]seg, n),
		startSeg:  make([]seg, nv),
		endSeg:    make([]seg, nv),
		class:     make([]int32, nv),
		endClass:  make([]int32, nv),
		routable:  make([]bool, n),
		removed:   make([]bool, n),
		modified:  make([]int64, nv),
		roomAt:    make([]int64, nv),
		roomSaved: make([]int64, nv),
		routeCall: make([]int64, nv),
		routeFits: make([]bool, nv),
		nearMark:  make([]int64, n),
		failAt:    make([]int64, n),
		tested:    make([]int64, n),
		gainJob:   -1,
	}
	for i := range p.Jobs {
		s.failAt[i] = -1
		j := &p.Jobs[i]
		s.jobSeg[i] = seg{first: j.Loc, last: j.Loc, e: j.Ready, l: j.Due, dur: j.Service, load: j.Demand}
	}
	for v := range p.Vehicles {
		veh := &p.Vehicles[v]
		s.startSeg[v] = seg{first: veh.Start, last: veh.Start, e: veh.ShiftStart, l: veh.ShiftEnd}
		s.endSeg[v] = seg{first: veh.End, last: veh.End, e: veh.ShiftStart, l: veh.ShiftEnd}
	}
	// Classes of identical vehicles: only the first unused vehicle of a class
	// is tried when opening a route. Vehicles are few, so quadratic is fine.
	s.nclass = 0
	ne := 0
	for v := range p.Vehicles {
		s.class[v] = -1
		s.endClass[v] = -1
		for w := 0; w < v; w++ {
			if s.class[v] < 0 && p.Vehicles[w] == p.Vehicles[v] {
				s.class[v] = s.class[w]
			}
			if s.endClass[v] < 0 && sameEnd(&p.Vehicles[w], &p.Vehicles[v]) {
				s.endClass[v] = s.endClass[w]
			}
		}
		if s.class[v] < 0 {
			s.class[v] = int32(s.nclass)
			s.nclass++
		}
		if s.endClass[v] < 0 {
			s.endClass[v] = int32(ne)
			ne++
		}
	}
	s.classSeen = make([]bool, s.nclass)
	s.classNext = make([]int32, nv)
	last := make([]int32, s.nclass)
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
	maxCost := 0.0
	s.reason = make([]Reason, n)
	for i := range p.Jobs {
		s.reason[i] = s.reasonAlone(i)
		s.routable[i] = s.reason[i] == ""
	}
	s.depotDist = make([]float64, n)
	for i := range p.Jobs {
		d := math.Inf(1)
		for v := range p.Vehicles {
			if v > 0 && p.Vehicles[v].Start == p.Vehicles[v-1].Start {
				continue
			}
			d = min(d, s.m.Dist(p.Vehicles[v].Start, p.Jobs[i].Loc))
		}
		s.depotDist[i] = d
		for v := range p.Vehicles {
			veh := &p.Vehicles[v]
			maxCost = max(maxCost, veh.Fixed+veh.PerDist*2*d+veh.PerTime*(veh.ShiftEnd-veh.ShiftStart))
		}
	}
	s.vehiclePenalty = 10 * (maxCost + 1) * float64(n+1)
	s.fromStart, s.toEnd = make([][]float64, nv), make([][]float64, nv)
	for v := range p.Vehicles {
		veh := &p.Vehicles[v]
		for w := range v {
			if p.Vehicles[w].Start == veh.Start {
				s.fromStart[v] = s.fromStart[w]
			}
			if p.Vehicles[w].End == veh.End {
				s.toEnd[v] = s.toEnd[w]
			}
		}
		if s.fromStart[v] == nil {
			s.fromStart[v] = make([]float64, n)
			for i := range p.Jobs {
				s.fromStart[v][i] = s.m.Time(veh.Start, p.Jobs[i].Loc)
			}
		}
		if s.toEnd[v] == nil {
			s.toEnd[v] = make([]float64, n)
			for i := range p.Jobs {
				s.toEnd[v][i] = s.m.Time(p.Jobs[i].Loc, veh.End)
			}
		}
	}
	s.buildNeighbours()
	return s
}

// sameEnd reports whether vehicles v and w can exchange route tails: same end
// depot, shift and skills.
func sameEnd(v, w *Vehicle) bool {
	return v.End == w.End && v.ShiftStart == w.ShiftStart && v.ShiftEnd == w.ShiftEnd && v.Skills == w.Skills
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
// job index. Both read only row u of the matrix for job u, from u to the
// others: for an asymmetric matrix they rank by the way out, as if the way
// back were as long.
//
// O(n^2) matrix reads, sequential in memory, and O(n) heap updates: a
// sample of each row gives a threshold below which at least the k wanted
// entries lie, so most of the row costs one Dist call and a comparison.
func (s *solver) buildNeighbours() {
	n := s.n
	kn, kg := min(nearSize, n-1), min(granSize, n-1)
	s.near = make([][]int32, n)
	s.gran = make([][]int32, n)
	if n <= 1 {
		return
	}
	flatN := make([]int32, n*kn)
	flatG := make([]int32, n*kg)
	bestN, bestG := newBest(kn), newBest(kg)
	jobs := s.p.Jobs
	// rel is the relatedness of jobs a and b at distance d and travel time t:
	// the smaller of visiting b after a and a after b, counting waiting at a
	// fifth and lateness in full.
	rel := func(a, b *Job, d, t float64) float64 {
		ab := 0.2*max(b.Ready-a.Service-t-a.Due, 0) + max(a.Ready+a.Service+t-b.Due, 0)
		ba := 0.2*max(a.Ready-b.Service-t-b.Due, 0) + max(b.Ready+b.Service+t-a.Due, 0)
		return d + min(ab, ba)
	}
	// threshold returns a key that about 2k of the n keys are below, judging
	// by the sample xs (which it reorders).
	step := max(1, n/neighbourSample)
	var sample, sampleG []float64
	threshold := func(xs []float64, k int) float64 {
		r := (2*k*len(xs) + n - 1) / n
		if r >= len(xs) {
			return math.Inf(1)
		}
		return nthSmallest(xs, r)
	}
	for u := range n {
		a := &jobs[u]
		sample, sampleG = sample[:0], sampleG[:0]
		for v := 0; v < n; v += step {
			if v == u {
				continue
			}
			b := &jobs[v]
			d := s.m.Dist(a.Loc, b.Loc)
			sample = append(sample, d)
			sampleG = append(sampleG, rel(a, b, d, s.m.Time(a.Loc, b.Loc)))
		}
		tn, tg := threshold(sample, kn), threshold(sampleG, kg)
		for {
			bestN.reset()
			bestG.reset()
			for v := range n {
				if v == u {
					continue
				}
				b := &jobs[v]
				d := s.m.Dist(a.Loc, b.Loc)
				if d < tn && bestN.admits(d) {
					bestN.push(int32(v), d)
				}
				// rel >= d
				if d < tg && bestG.admits(d) {
					if r := rel(a, b, d, s.m.Time(a.Loc, b.Loc)); r < tg {
						bestG.push(int32(v), r)
					}
				}
			}
			if (len(bestN.ids) == kn && len(bestG.ids) == kg) || math.IsInf(tn, 1) && math.IsInf(tg, 1) {
				break
			}
			tn, tg = math.Inf(1), math.Inf(1) // too few below the thresholds
		}
		s.near[u] = bestN.sorted(flatN[u*kn : u*kn : (u+1)*kn])
		s.gran[u] = bestG.sorted(flatG[u*kg : u*kg : (u+1)*kg])
	}
}

// nthSmallest returns the element of rank r (from 0) of xs, reordering xs.
func nthSmallest(xs []float64, r int) float64 {
	lo, hi := 0, len(xs)-1
	for lo < hi {
		// Median of three as pivot, then Hoare partition.
		m := lo + (hi-lo)/2
		if xs[m] < xs[lo] {
			xs[m], xs[lo] = xs[lo], xs[m]
		}
		if xs[hi] < xs[lo] {
			xs[hi], xs[lo] = xs[lo], xs[hi]
		}
		if xs[hi] < xs[m] {
			xs[hi], xs[m] = xs[m], xs[hi]
		}
		p := xs[m]
		i, j := lo, hi
		for i <= j {
			for xs[i] < p {
				i++
			}
			for xs[j] > p {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		switch {
		case r <= j:
			hi = j
		case r >= i:
			lo = i
		default:
			return xs[r]
		}
	}
	return xs[r]
}

// best keeps the k smallest (key, id) pairs pushed, in a max-heap.
type best struct {
	k    int
	ids  []int32
	keys []float64
}

func newBest(k int) *best {
	return &best{k: k, ids: make([]int32, 0, k), keys: make([]float64, 0, k)}
}

func (h *best) reset() { h.ids, h.keys = h.ids[:0], h.keys[:0] }

// less orders entries i and j by key, then id.
func (h *best) less(i, j int) bool {
	return h.keys[i] < h.keys[j] || h.keys[i] == h.keys[j] && h.ids[i] < h.ids[j]
}

// admits reports whether an entry with key d could enter (it cannot when the
// heap is full and d is at least the largest key).
func (h *best) admits(d float64) bool { return len(h.ids) < h.k || h.k > 0 && d < h.keys[0] }

// push offers id with key d.
func (h *best) push(id int32, d float64) {
	if h.k == 0 {
		return
	}
	if len(h.ids) < h.k {
		h.ids, h.keys = append(h.ids, id), append(h.keys, d)
		for i := len(h.ids) - 1; i > 0; {
			p := (i - 1) / 2
			if !h.less(p, i) {
				break
			}
			h.swap(i, p)
			i = p
		}
		return
	}
	if d > h.keys[0] || d == h.keys[0] && id >= h.ids[0] {
		return
	}
	h.ids[0], h.keys[0] = id, d
	for i := 0; ; {
		c := 2*i + 1
		if c >= len(h.ids) {
			break
		}
		if c+1 < len(h.ids) && h.less(c, c+1) {
			c++
		}
		if !h.less(i, c) {
			break
		}
		h.swap(i, c)
		i = c
	}
}

func (h *best) swap(i, j int) {
	h.ids[i], h.ids[j] = h.ids[j], h.ids[i]
	h.keys[i], h.keys[j] = h.keys[j], h.keys[i]
}

// sorted appends the ids in increasing (key, id) order to dst, emptying the heap.
func (h *best) sorted(dst []int32) []int32 {
	base := len(dst)
	dst = append(dst, h.ids...)
	for end := len(h.ids) - 1; end >= 0; end-- {
		// The maximum goes last.
		dst[base+end] = h.ids[0]
		h.swap(0, end)
		h.ids, h.keys = h.ids[:end], h.keys[:end]
		for i := 0; ; {
			c := 2*i + 1
			if c >= end {
				break
			}
			if c+1 < end && h.less(c, c+1) {
				c++
			}
			if !h.less(i, c) {
				break
			}
			h.swap(i, c)
			i = c
		}
	}
	return dst
}

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
	near             [][]int32 // jobs nearest first by distance (for ruin)
	gran             [][]int32 // jobs most related first (for local search)
	depotDist        []float64
	vehiclePenalty   float64 // added to opening a route with MinimizeVehicles

	// scratch
	classSeen  []bool
	removed    []bool
	order      []int32
	keys       []float64
	ruined     []int32
	scratch    []int32
	impossible []Unassigned
}

const (
	nearSize = 40
	granSize = 20
)

func newSolver(p *Problem, opt Options) *solver {
	n := len(p.Jobs)
	nv := len(p.Vehicles)
	s := &solver{
		p:        p,
		m:        p.Matrix,
		opt:      opt,
		rng:      rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15)),
		n:        n,
		jobSeg:   make([]seg, n),
		startSeg: make([]seg, nv),
		endSeg:   make([]seg, nv),
		class:    make([]int32, nv),
		endClass: make([]int32, nv),
		routable: make([]bool, n),
		removed:  make([]bool, n),
	}
	for i := range p.Jobs {
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
	for i := range p.Jobs {
		s.routable[i] = s.reasonAlone(i) == ""
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
	for v := range s.p.Vehicles {
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
// time-window relatedness, Vidal et al. 2013) for each job.
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
	dn := make([]float64, kn)
	dg := make([]float64, kg)
	jobs := s.p.Jobs
	for u := range n {
		nu, gu := flatN[u*kn:u*kn:(u+1)*kn], flatG[u*kg:u*kg:(u+1)*kg]
		dn, dg = dn[:0], dg[:0]
		a := &jobs[u]
		for v := range n {
			if v == u {
				continue
			}
			b := &jobs[v]
			duv, dvu := s.m.Dist(a.Loc, b.Loc), s.m.Dist(b.Loc, a.Loc)
			d := duv + dvu
			nu, dn = topK(nu, dn, kn, int32(v), d)
			// u before v and v before u: travel plus weighted waiting and lateness.
			tuv, tvu := s.m.Time(a.Loc, b.Loc), s.m.Time(b.Loc, a.Loc)
			r1 := duv + 0.2*max(b.Ready-a.Service-tuv-a.Due, 0) + max(a.Ready+a.Service+tuv-b.Due, 0)
			r2 := dvu + 0.2*max(a.Ready-b.Service-tvu-b.Due, 0) + max(b.Ready+b.Service+tvu-a.Due, 0)
			gu, dg = topK(gu, dg, kg, int32(v), min(r1, r2))
		}
		s.near[u], s.gran[u] = nu, gu
	}
}

// topK inserts v with key d into the ascending list (ids, keys) of at most k entries.
func topK(ids []int32, keys []float64, k int, v int32, d float64) ([]int32, []float64) {
	if len(ids) == k {
		if d >= keys[k-1] {
			return ids, keys
		}
		ids, keys = ids[:k-1], keys[:k-1]
	}
	i := len(ids)
	ids, keys = append(ids, 0), append(keys, 0)
	for i > 0 && keys[i-1] > d {
		ids[i], keys[i] = ids[i-1], keys[i-1]
		i--
	}
	ids[i], keys[i] = v, d
	return ids, keys
}

package route

import "time"

// Route elimination for Options.MinimizeVehicles, after Nagata and Bräysy
// (2009, "A powerful route minimization heuristic for the vehicle routing
// problem with time windows"): remove a route and put its jobs into an
// ejection pool; take jobs from the pool one at a time (last in, first out)
// and insert each at its cheapest feasible position. When a job has no
// feasible position, its penalty counter grows and it is inserted by ejecting
// up to maxEject other jobs from the receiving route into the pool, choosing
// the position and the ejected jobs with the least sum of penalty counters
// (ties: the first found), so that jobs that were hard to place
// tend to stay placed; a few random feasible relocations and swaps then
// perturb the solution. When the pool empties, the route is gone; when the
// attempt's budget runs out first, the solution before the attempt is put
// back and another route is tried.

const (
	maxEject = 3 // most jobs ejected to make room for one
	// ejectWindow bounds the ejected jobs to those at most this many
	// positions before or after the inserted job.
	ejectWindow = 12
	// ejectWork caps the segment concatenations of one search for an
	// insertion with ejections.
	ejectWork = 400_000
	// In the ruin-and-recreate phase, repair gets repairSteps pool steps per
	// job of the routes to remove, each search for an insertion with
	// ejections at most repairWork concatenations: on instances where many
	// candidates open a vehicle, many cheap repairs that often fail leave
	// more time for iterations than fewer thorough ones, and did better
	// (Gehring-Homberger RC1 and RC2 at 200 and 1,000 customers).
	repairSteps = 4
	repairWork  = 200
	// perturbMoves random feasible moves are tried after each insertion with
	// ejections.
	perturbMoves = 100
	// An attempt to remove a route gets firstAttempt pool steps per job of
	// the problem (at least minAttempt), twice that after a failed attempt,
	// and so on up to maxDoublings times; without a time limit, elimination
	// stops after a failed attempt with that budget. With one, the time
	// is the limit: attempts go on, their budget doubling up to
	// maxTimedDoublings times (large instances need long attempts).
	firstAttempt      = 2
	minAttempt        = 500
	maxDoublings      = 3
	maxTimedDoublings = 6
)

// eliminator holds the scratch space of route elimination.
type eliminator struct {
	s       *solver
	penalty []int64 // job -> its penalty counter: from 1 at each attempt of eliminate, kept between repairs
	pool    []int32 // the ejection pool, a stack
	fail    []int64 // job -> clock of its last insertion scan that found nothing, or -1
	mark    []int64 // vehicle -> markCall when already a candidate route
	call    int64
	routes  []int32
	saved   *state

	// The insertion with ejections being searched: the receiving sequence
	// (u at index upos) with its suffix segments, and the best found.
	seq         []int32
	t           *tour // the receiving tour, without u
	suf         []seg
	upos, k     int
	work        int
	ejected     [maxEject]int
	bestP       int64
	bestV       int
	bestPos     int
	bestEjected [maxEject]int
}

// eliminator returns the solver's eliminator for states like st, making it
// on first use.
func (s *solver) eliminator(st *state) *eliminator {
	if s.elim == nil {
		s.elim = &eliminator{
			s:       s,
			penalty: make([]int64, s.n),
			fail:    make([]int64, s.n),
			mark:    make([]int64, len(st.tours)),
		}
		for u := range s.n {
			s.elim.penalty[u], s.elim.fail[u] = 1, -1
		}
	}
	return s.elim
}

// vehicleBound returns a lower bound on the number of vehicles that serve all
// routable jobs: in each load dimension, the total demand over the largest
// capacity, rounded up; at least 1 when there is a routable job.
func (s *solver) vehicleBound() int {
	var total, capMax Load
	some := false
	for u := range s.n {
		if s.routable[u] {
			total = total.Add(s.p.Jobs[u].Demand)
			some = true
		}
	}
	if !some {
		return 0
	}
	for v := range s.p.Vehicles {
		for d := range capMax {
			capMax[d] = max(capMax[d], s.p.Vehicles[v].Capacity[d])
		}
	}
	lb := 1
	for d := range total {
		if capMax[d] > 0 {
			lb = max(lb, int((total[d]+capMax[d]-1)/capMax[d]))
		}
	}
	return lb
}

// eliminate removes routes from st, a solution without unassigned jobs, one
// attempt after another, until st uses as many vehicles as vehicleBound,
// (when until is zero) an attempt with the budget of maxDoublings fails,
// steps pool steps are done (steps < 0: no limit), the time until passes
// (zero: no limit) or the solver's budget expires.
// It returns the number of pool steps done. st never gets worse: a failed or
// interrupted attempt is undone.
func (s *solver) eliminate(st *state, steps int, until time.Time) int {
	if len(st.unassigned) > 0 || st.used <= 1 {
		return 0
	}
	lb := s.vehicleBound()
	e := s.eliminator(st)
	e.saved = st.clone()
	timed := !until.IsZero()
	done := 0
	stopped := func() bool {
		if steps >= 0 && done >= steps {
			return true
		}
		if s.budget.expired() || timed && done&15 == 0 && !time.Now().Before(until) {
			steps = done // stay stopped without asking the clock again
			return true
		}
		return false
	}
	first := max(minAttempt, firstAttempt*s.n)
	removed := false
	fails := 0
	for st.used > lb && (fails <= maxDoublings || timed) && !stopped() {
		perAttempt := first << min(fails, maxTimedDoublings)
		e.saved.copyAll(st)
		// A random route.
		r := s.rng.IntN(st.used)
		v := 0
		for ; v < len(st.tours); v++ {
			if len(st.tours[v].jobs) > 0 {
				if r == 0 {
					break
				}
				r--
			}
		}
		for u := range e.penalty {
			e.penalty[u] = 1
			e.fail[u] = -1
		}
		t := &st.tours[v]
		e.pool = append(e.pool[:0], t.jobs...)
		for _, u := range t.jobs {
			st.routeOf[u] = -1
		}
		t.jobs = t.jobs[:0]
		s.refresh(st, v)
		limit := done + perAttempt
		for len(e.pool) > 0 && done < limit && !stopped() {
			done++
			u := e.pool[len(e.pool)-1]
			e.pool = e.pool[:len(e.pool)-1]
			if e.insert(st, u) {
				continue
			}
			e.penalty[u]++
			// Next to u's nearest neighbours first when that is a much
			// smaller search than the whole of their routes.
			if !(e.wide(st, u) && e.insertEjecting(st, u, ejectWork, true)) && !e.insertEjecting(st, u, ejectWork, false) {
				// Nowhere even with ejections: try the others first.
				e.pool = append(e.pool, 0)
				copy(e.pool[1:], e.pool)
				e.pool[0] = u
			}
			e.perturb(st)
		}
		if len(e.pool) == 0 {
			removed = true
			fails = 0
			continue
		}
		st.copyAll(e.saved)
		// Every tour may differ from what the memos describe.
		s.clock++
		for w := range st.tours {
			s.roomAt[w], s.modified[w] = s.clock, s.clock
			st.touch(w)
		}
		if done < limit {
			break // stopped, not failed
		}
		fails++
	}
	for u := range s.failAt {
		s.failAt[u] = -1
	}
	if removed {
		s.localSearch(st, 0) // the perturbations took any move
	}
	return done
}

// insert puts u at its cheapest feasible position in a used route and
// reports whether there was one.
func (e *eliminator) insert(st *state, u int32) bool {
	s := e.s
	s.failAt[u] = e.fail[u] // bestInsertion's memo, kept apart from the search's
	v, pos := -1, -1
	granular := s.n >= granularMin
	if granular && e.fail[u] < 0 {
		v, pos, _ = s.nearInsertion(st, u, 0)
	}
	if v < 0 {
		v, pos, _ = s.bestInsertion(st, u, 0, granular)
	}
	s.failAt[u] = -1
	// An empty vehicle comes out only when no used route has room: opening
	// one costs the vehicle penalty.
	if v < 0 || len(st.tours[v].jobs) == 0 {
		e.fail[u] = s.clock
		return false
	}
	s.insertAt(st, u, v, pos)
	return true
}

// candidates lists the used routes that may receive u: those of u's nearest
// neighbours for 150 or more jobs, else all.
func (e *eliminator) candidates(st *state, u int32) []int32 {
	s := e.s
	e.call++
	e.routes = e.routes[:0]
	add := func(v int32) {
		if v < 0 || e.mark[v] == e.call || len(st.tours[v].jobs) == 0 || !s.compatible(u, int(v)) {
			return
		}
		e.mark[v] = e.call
		e.routes = append(e.routes, v)
	}
	if s.n >= granularMin {
		for _, w := range s.near[u] {
			add(st.routeOf[w])
		}
	} else {
		for v := range st.tours {
			add(int32(v))
		}
	}
	return e.routes
}

// wide reports whether the routes that may receive u (candidates) have many
// more positions than those next to u's nearest neighbours, from 150 jobs.
func (e *eliminator) wide(st *state, u int32) bool {
	if e.s.n < granularMin {
		return false
	}
	positions := 0
	for _, v := range e.candidates(st, u) {
		positions += len(st.tours[v].jobs) + 1
	}
	return positions > 4*2*nearSize
}

// insertEjecting inserts u by ejecting 1, else 2, else up to maxEject jobs
// from the receiving route into the pool, at the position and with the
// ejected jobs of least total penalty (ties: the first found). It reports
// whether it found such an insertion.
//
// With nearOnly, only the positions right before and after u's nearest
// neighbours are tried (as by nearInsertion), else every position of the
// routes of candidates.
func (e *eliminator) insertEjecting(st *state, u int32, work int, nearOnly bool) bool {
	s := e.s
	var routes []int32
	if !nearOnly {
		routes = e.candidates(st, u)
	}
	e.work = work
	for e.k = 1; e.k <= maxEject; e.k++ {
		e.bestV, e.bestP = -1, 1<<62
		// Stop at the least possible penalty.
		for _, v := range routes {
			m := len(st.tours[v].jobs)
			for pos := 1; pos <= m+1 && e.work > 0 && e.bestP > int64(e.k); pos++ {
				e.search(st, u, int(v), pos)
			}
		}
		if nearOnly {
			for _, w := range s.near[u] {
				v := int(st.routeOf[w])
				if v < 0 || !s.compatible(u, v) {
					continue
				}
				for pos := int(st.posOf[w]); pos <= int(st.posOf[w])+1 && e.work > 0 && e.bestP > int64(e.k); pos++ {
					e.search(st, u, v, pos)
				}
			}
		}
		if e.bestV >= 0 {
			break
		}
		if e.work <= 0 {
			return false
		}
	}
	if e.bestV < 0 {
		return false
	}
	v := e.bestV
	t := &st.tours[v]
	e.fill(t, u, e.bestPos)
	jobs := t.jobs[:0]
	next := 0
	for i, w := range e.seq {
		if next < e.k && e.bestEjected[next] == i {
			next++
			st.routeOf[w] = -1
			e.fail[w] = -1
			e.pool = append(e.pool, w)
			continue
		}
		jobs = append(jobs, w)
	}
	t.jobs = jobs
	s.refresh(st, v)
	s.failAt[u] = -1
	e.fail[u] = -1
	return true
}

// fill sets e.seq to tour t with u inserted at node position pos.
func (e *eliminator) fill(t *tour, u int32, pos int) {
	e.seq = append(e.seq[:0], t.jobs[:pos-1]...)
	e.seq = append(e.seq, u)
	e.seq = append(e.seq, t.jobs[pos-1:]...)
	e.upos = pos - 1
}

// search finds the best way to eject exactly e.k jobs from vehicle v's tour
// with u inserted at node position pos, updating e.best*.
func (e *eliminator) search(st *state, u int32, v, pos int) {
	s := e.s
	t := &st.tours[v]
	if e.k > len(t.jobs) {
		return
	}
	e.fill(t, u, pos)
	lo, hi := max(0, e.upos-ejectWindow), min(len(e.seq)-1, e.upos+ejectWindow)
	// suf[i-lo] covers seq[i:] and the end depot.
	if cap(e.suf) < len(e.seq)+2 {
		e.suf = make([]seg, len(e.seq)+2)
	}
	e.suf = e.suf[:hi-lo+2]
	for i := hi + 1; i >= lo; i-- {
		switch {
		case i >= pos:
			e.suf[i-lo] = t.bwd[i]
		case i == pos-1:
			e.suf[i-lo] = s.join(&s.jobSeg[u], &t.bwd[pos])
		case i == pos-2:
			e.suf[i-lo] = s.join(&s.jobSeg[e.seq[i]], &e.suf[i+1-lo])
		default: // nodes i+1 and i+2 of the tour
			a := &t.arcs[i+1]
			e.suf[i-lo] = joinArc(&s.jobSeg[e.seq[i]], &e.suf[i+1-lo], a.t, a.d)
		}
		e.work--
	}
	e.t = t
	e.dfs(v, pos, lo, hi, lo, t.fwd[lo], 0, 0, lo-1)
}

// keep returns the prefix x, whose last visit is seq[prev], followed by
// seq[j]: the trip comes from the tour when the two are consecutive in it.
func (e *eliminator) keep(x *seg, prev, j int) seg {
	s := e.s
	w := &s.jobSeg[e.seq[j]]
	switch {
	case prev != j-1 || j == e.upos || prev == e.upos:
		return s.join(x, w)
	case j < e.upos:
		a := &e.t.arcs[prev+1] // nodes prev+1 and j+1
		return joinArc(x, w, a.t, a.d)
	}
	a := &e.t.arcs[prev] // nodes prev and j
	return joinArc(x, w, a.t, a.d)
}

// dfs extends the prefix x (start depot and the kept jobs of seq[:j], the
// last seq[prev]) by ejecting one of seq[j..hi] (never u) and keeping those
// before it, with cnt jobs ejected so far of total penalty p.
func (e *eliminator) dfs(v, pos, lo, hi, j int, x seg, cnt int, p int64, prev int) {
	s := e.s
	capacity := s.p.Vehicles[v].Capacity
	for ; j <= hi && e.work > 0; j++ {
		w := e.seq[j]
		if j != e.upos {
			np := p + e.penalty[w]
			// Each job still to eject adds a penalty of at least 1.
			if np+int64(e.k-cnt-1) < e.bestP {
				e.ejected[cnt] = j
				if cnt+1 == e.k {
					f := s.join(&x, &e.suf[j+1-lo])
					e.work--
					if f.tw <= twEps && f.load.Fits(capacity) {
						e.bestP, e.bestV, e.bestPos = np, v, pos
						e.bestEjected = e.ejected
					}
				} else {
					e.dfs(v, pos, lo, hi, j+1, x, cnt+1, np, prev)
				}
			}
		}
		// Keep seq[j]: a late prefix stays late whatever follows.
		x = e.keep(&x, prev, j)
		prev = j
		e.work--
		if x.tw > twEps {
			return
		}
	}
}

// perturb tries perturbMoves random feasible moves: relocating a job next to
// one of its related jobs in another route, else swapping the two. Moves are
// taken whatever their cost; they diversify the routes the pool's jobs meet.
func (e *eliminator) perturb(st *state) {
	s := e.s
	for range perturbMoves {
		u := int32(s.rng.IntN(s.n))
		if len(s.gran[u]) == 0 {
			continue
		}
		w := s.gran[u][s.rng.IntN(len(s.gran[u]))]
		a, b := int(st.routeOf[u]), int(st.routeOf[w])
		if a < 0 || b < 0 || a == b || len(st.tours[a].jobs) == 1 {
			continue
		}
		if !s.moveFeasible(st, u, w) {
			s.swapFeasible(st, u, w)
		}
	}
}

// moveFeasible relocates u right after or right before w (in another route)
// if the result is feasible, and reports whether it did.
func (s *solver) moveFeasible(st *state, u, w int32) bool {
	a, b := int(st.routeOf[u]), int(st.routeOf[w])
	if !s.compatible(u, b) {
		return false
	}
	ta, tb := &st.tours[a], &st.tours[b]
	i, j := int(st.posOf[u]), int(st.posOf[w])
	mb := len(tb.jobs)
	if !tb.fwd[mb+1].load.Add(s.p.Jobs[u].Demand).Fits(s.p.Vehicles[b].Capacity) {
		return false
	}
	at := j + s.rng.IntN(2) // after w, or before w
	x := s.join3(&tb.fwd[at-1], &s.jobSeg[u], &tb.bwd[at])
	if x.tw > twEps {
		return false
	}
	// Removing u can make its route late only with a Matrix that breaks the
	// triangle inequality.
	if rest := s.join(&ta.fwd[i-1], &ta.bwd[i+1]); rest.tw > twEps {
		return false
	}
	ta.jobs = append(ta.jobs[:i-1], ta.jobs[i:]...)
	s.refresh(st, a)
	s.insertAt(st, u, b, at)
	return true
}

// swapFeasible exchanges u and w (in different routes) if the result is
// feasible, and reports whether it did.
func (s *solver) swapFeasible(st *state, u, w int32) bool {
	a, b := int(st.routeOf[u]), int(st.routeOf[w])
	if !s.compatible(u, b) || !s.compatible(w, a) {
		return false
	}
	i, j := int(st.posOf[u]), int(st.posOf[w])
	ta, tb := &st.tours[a], &st.tours[b]
	xa := s.join3(&ta.fwd[i-1], &s.jobSeg[w], &ta.bwd[i+1])
	if _, ok := s.routeCost(a, &xa, len(ta.jobs)); !ok {
		return false
	}
	xb := s.join3(&tb.fwd[j-1], &s.jobSeg[u], &tb.bwd[j+1])
	if _, ok := s.routeCost(b, &xb, len(tb.jobs)); !ok {
		return false
	}
	ta.jobs[i-1], tb.jobs[j-1] = w, u
	s.refresh(st, a)
	s.refresh(st, b)
	return true
}

// repair tries to bring cand, a ruin-and-recreate candidate that opened
// vehicles unused in cur, back to fewer vehicles: it empties those routes into
// the pool and inserts their jobs as eliminate does, without perturbation and
// with a small budget. Penalty counters carry over from one repair to the
// next. When the pool does not empty, its jobs join cand.unassigned, so that
// cand is rejected. It reports whether the pool emptied.
func (e *eliminator) repair(cand, cur *state) bool {
	s := e.s
	e.pool = e.pool[:0]
	for v := range cand.tours {
		t := &cand.tours[v]
		if len(t.jobs) == 0 || len(cur.tours[v].jobs) > 0 {
			continue
		}
		for _, u := range t.jobs {
			cand.routeOf[u] = -1
			e.fail[u] = s.openedAt[u]
		}
		e.pool = append(e.pool, t.jobs...)
		t.jobs = t.jobs[:0]
		s.refresh(cand, v)
	}
	for left := repairSteps * len(e.pool); len(e.pool) > 0 && left > 0 && !s.budget.expired(); left-- {
		u := e.pool[len(e.pool)-1]
		e.pool = e.pool[:len(e.pool)-1]
		if e.insert(cand, u) {
			continue
		}
		e.penalty[u]++
		if !e.insertEjecting(cand, u, repairWork, s.n >= granularMin) {
			e.pool = append(e.pool, u)
			break
		}
	}
	cand.unassigned = append(cand.unassigned, e.pool...)
	return len(e.pool) == 0
}

package route

import "slices"

// SISR parameters (Christiaens and Vanden Berghe 2020).
const (
	avgRemoved = 10.0 // average number of removed jobs
	maxString  = 10.0 // maximum string length
	splitRate  = 0.5  // probability of a split-string removal
	splitDepth = 0.01 // probability of stopping to grow the preserved part
	blinkRate  = 0.01 // probability of skipping an insertion position
)

// ruin removes strings of consecutive jobs from routes near a random seed job
// and appends the removed jobs to s.order.
func (s *solver) ruin(st *state) {
	if st.used == 0 {
		return
	}
	routed := 0
	for v := range st.tours {
		routed += len(st.tours[v].jobs)
	}
	lsmax := min(maxString, float64(routed)/float64(st.used))
	ksmax := 4*avgRemoved/(1+lsmax) - 1
	ks := int(s.rng.Float64()*ksmax) + 1
	var seed int32
	for {
		seed = int32(s.rng.IntN(s.n))
		if st.routeOf[seed] >= 0 {
			break
		}
	}
	ruined := s.ruined[:0]
	for i := -1; i < len(s.near[seed]) && len(ruined) < ks; i++ {
		c := seed
		if i >= 0 {
			c = s.near[seed][i]
		}
		v := st.routeOf[c]
		if v < 0 || slices.Contains(ruined, v) {
			continue
		}
		ruined = append(ruined, v)
		t := &st.tours[v]
		m := len(t.jobs)
		l := int(s.rng.Float64()*min(float64(m), lsmax)) + 1
		pc := int(st.posOf[c]) - 1
		if l == m || s.rng.Float64() >= splitRate {
			start := s.window(pc, l, m)
			s.removeRange(st, int(v), start, start+l, start, start)
			continue
		}
		keep := 1
		for l+keep < m && s.rng.Float64() > splitDepth {
			keep++
		}
		start := s.window(pc, l+keep, m)
		k := start + s.rng.IntN(l+1)
		s.removeRange(st, int(v), start, start+l+keep, k, k+keep)
	}
	s.ruined = ruined
}

// window returns the start of a random window of length w within 0..m-1 that contains p.
func (s *solver) window(p, w, m int) int {
	lo, hi := max(0, p-w+1), min(p, m-w)
	return lo + s.rng.IntN(hi-lo+1)
}

// removeRange removes jobs [from, to) of vehicle v's tour except those in
// [keepFrom, keepTo), appending them to s.order.
func (s *solver) removeRange(st *state, v, from, to, keepFrom, keepTo int) {
	t := &st.tours[v]
	tail := len(t.jobs) - to
	out := t.jobs[:from]
	for i := from; i < to; i++ {
		u := t.jobs[i]
		if i >= keepFrom && i < keepTo {
			out = append(out, u)
			continue
		}
		s.order = append(s.order, u)
		st.routeOf[u] = -1
	}
	out = append(out, t.jobs[to:]...)
	t.jobs = out
	s.refreshKeep(st, v, from, tail)
	if m := len(t.jobs); m > 0 && t.fwd[m+1].tw > twEps {
		// Only a Matrix that breaks the triangle inequality makes a route
		// late by removing visits: recreate then places all its jobs.
		for _, u := range t.jobs {
			s.order = append(s.order, u)
			st.routeOf[u] = -1
		}
		t.jobs = t.jobs[:0]
		s.refresh(st, v)
	}
}

package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// leafSize is the largest subtree scanned linearly: below it a scan is cheaper
// than the bookkeeping of descending further.
const leafSize = 8

// Index answers nearest-point queries on the sphere. Build once, then read-only: safe for concurrent readers.
//
// It is a k-d tree over the points' 3-D unit vectors. The chord between two unit
// vectors grows monotonically with their great-circle distance, so ranking by
// Euclidean chord length is exact great-circle ranking, with no special cases at
// the antimeridian or the poles. NewIndex is O(n log n); a query is O(log n) on
// average and allocates nothing.
type Index struct {
	pts   []orb.Point // the caller's points, copied, by original index
	nodes []kdNode    // implicit tree: the median of nodes[lo:hi] is nodes[(lo+hi)/2]
}

type kdNode struct {
	v    [3]float64 // unit vector
	idx  int        // index into pts
	axis uint8      // split axis, for subtrees larger than leafSize
}

// NewIndex returns an index over a copy of pts; the i-th point keeps index i.
func NewIndex(pts []orb.Point) *Index {
	ix := &Index{
		pts:   append([]orb.Point(nil), pts...),
		nodes: make([]kdNode, len(pts)),
	}
	for i, p := range pts {
		ix.nodes[i] = kdNode{v: unitVector(p), idx: i}
	}
	build(ix.nodes)
	return ix
}

// Len returns the number of indexed points.
func (ix *Index) Len() int { return len(ix.pts) }

// Nearest returns the index of the point nearest to p by great-circle distance (ties: lowest index) and that distance; (-1, 0) when empty.
// It does not allocate. The distance is Distance(p, point), so it matches a later call exactly;
// a p with NaN coordinates has no nearest point and also gives (-1, 0).
func (ix *Index) Nearest(p orb.Point) (int, Meters) {
	if len(ix.nodes) == 0 {
		return -1, 0
	}
	s := nearestState{q: unitVector(p), pos: -1, d2: math.Inf(1)}
	ix.nearest(&s, 0, len(ix.nodes))
	if s.pos < 0 { // only when p has NaN coordinates: nothing compares less than +Inf
		return -1, 0
	}
	i := ix.nodes[s.pos].idx
	// Report the haversine distance so the result equals Distance(p, pts[i]).
	return i, Distance(p, ix.pts[i])
}

type nearestState struct {
	q   [3]float64
	pos int     // best node so far, -1 for none
	d2  float64 // its squared chord length
}

func (ix *Index) nearest(s *nearestState, lo, hi int) {
	if hi-lo <= leafSize {
		for i := lo; i < hi; i++ {
			ix.offer(s, i)
		}
		return
	}
	mid := (lo + hi) / 2
	n := &ix.nodes[mid]
	diff := s.q[n.axis] - n.v[n.axis]
	nearLo, nearHi, farLo, farHi := lo, mid, mid+1, hi
	if diff >= 0 {
		nearLo, nearHi, farLo, farHi = mid+1, hi, lo, mid
	}
	ix.nearest(s, nearLo, nearHi)
	ix.offer(s, mid)
	// <= rather than <: a point at exactly the best distance may still win on index.
	if diff*diff <= s.d2 {
		ix.nearest(s, farLo, farHi)
	}
}

func (ix *Index) offer(s *nearestState, pos int) {
	d2 := chord2(s.q, ix.nodes[pos].v)
	if d2 < s.d2 || (d2 == s.d2 && ix.nodes[pos].idx < ix.nodes[s.pos].idx) {
		s.pos, s.d2 = pos, d2
	}
}

// KNearest appends to buf[:0] the indices of the k nearest points, nearest first (ties: lowest index), and returns it.
// It returns all points when k >= Len and none when k <= 0; it allocates only when cap(buf) < k.
// O(log n + k log k) on average: the candidates live in buf itself, as a heap.
func (ix *Index) KNearest(p orb.Point, k int, buf []int) []int {
	buf = buf[:0]
	k = min(k, len(ix.nodes))
	if k <= 0 {
		return buf
	}
	if cap(buf) < k {
		buf = make([]int, 0, k)
	}
	// buf is a max-heap of node positions, worst candidate on top.
	s := knnState{q: unitVector(p), k: k, heap: buf}
	ix.knearest(&s, 0, len(ix.nodes))
	h := s.heap
	// Heap sort in place: popping the worst to the back leaves best first.
	for end := len(h) - 1; end > 0; end-- {
		h[0], h[end] = h[end], h[0]
		ix.siftDown(&s, h[:end], 0)
	}
	for i, pos := range h {
		h[i] = ix.nodes[pos].idx
	}
	return h
}

type knnState struct {
	q    [3]float64
	k    int
	heap []int
}

func (ix *Index) knearest(s *knnState, lo, hi int) {
	if hi-lo <= leafSize {
		for i := lo; i < hi; i++ {
			ix.push(s, i)
		}
		return
	}
	mid := (lo + hi) / 2
	n := &ix.nodes[mid]
	diff := s.q[n.axis] - n.v[n.axis]
	nearLo, nearHi, farLo, farHi := lo, mid, mid+1, hi
	if diff >= 0 {
		nearLo, nearHi, farLo, farHi = mid+1, hi, lo, mid
	}
	ix.knearest(s, nearLo, nearHi)
	ix.push(s, mid)
	if len(s.heap) < s.k || diff*diff <= chord2(s.q, ix.nodes[s.heap[0]].v) {
		ix.knearest(s, farLo, farHi)
	}
}

// worse reports whether node position a ranks after b for the query.
func (ix *Index) worse(s *knnState, a, b int) bool {
	da, db := chord2(s.q, ix.nodes[a].v), chord2(s.q, ix.nodes[b].v)
	return da > db || (da == db && ix.nodes[a].idx > ix.nodes[b].idx)
}

func (ix *Index) push(s *knnState, pos int) {
	h := s.heap
	if len(h) < s.k {
		h = append(h, pos)
		for c := len(h) - 1; c > 0; {
			parent := (c - 1) / 2
			if !ix.worse(s, h[c], h[parent]) {
				break
			}
			h[c], h[parent] = h[parent], h[c]
			c = parent
		}
		s.heap = h
		return
	}
	if ix.worse(s, h[0], pos) {
		h[0] = pos
		ix.siftDown(s, h, 0)
	}
}

func (ix *Index) siftDown(s *knnState, h []int, i int) {
	for {
		worst := i
		if l := 2*i + 1; l < len(h) && ix.worse(s, h[l], h[worst]) {
			worst = l
		}
		if r := 2*i + 2; r < len(h) && ix.worse(s, h[r], h[worst]) {
			worst = r
		}
		if worst == i {
			return
		}
		h[i], h[worst] = h[worst], h[i]
		i = worst
	}
}

// build arranges nodes into an implicit k-d tree, splitting each subtree at the
// median of the axis along which its points spread most.
func build(nodes []kdNode) {
	if len(nodes) <= leafSize {
		return
	}
	var lo, hi [3]float64
	lo, hi = nodes[0].v, nodes[0].v
	for _, n := range nodes[1:] {
		for a := range 3 {
			lo[a] = min(lo[a], n.v[a])
			hi[a] = max(hi[a], n.v[a])
		}
	}
	axis := 0
	for a := 1; a < 3; a++ {
		if hi[a]-lo[a] > hi[axis]-lo[axis] {
			axis = a
		}
	}
	mid := len(nodes) / 2
	selectNth(nodes, mid, axis)
	nodes[mid].axis = uint8(axis)
	build(nodes[:mid])
	build(nodes[mid+1:])
}

// selectNth partially orders nodes so that nodes[k] is the one that would be there
// if sorted by (v[axis], idx), with smaller keys before it and larger after.
// The index tie-break makes every key distinct, so the result is deterministic.
func selectNth(nodes []kdNode, k, axis int) {
	less := func(a, b *kdNode) bool {
		return a.v[axis] < b.v[axis] || (a.v[axis] == b.v[axis] && a.idx < b.idx)
	}
	lo, hi := 0, len(nodes)-1
	for lo < hi {
		// Median of three as pivot, moved to hi: avoids quadratic time on sorted input.
		mid := lo + (hi-lo)/2
		if less(&nodes[mid], &nodes[lo]) {
			nodes[mid], nodes[lo] = nodes[lo], nodes[mid]
		}
		if less(&nodes[hi], &nodes[lo]) {
			nodes[hi], nodes[lo] = nodes[lo], nodes[hi]
		}
		if less(&nodes[mid], &nodes[hi]) {
			nodes[mid], nodes[hi] = nodes[hi], nodes[mid]
		}
		store := lo
		for i := lo; i < hi; i++ {
			if less(&nodes[i], &nodes[hi]) {
				nodes[i], nodes[store] = nodes[store], nodes[i]
				store++
			}
		}
		nodes[store], nodes[hi] = nodes[hi], nodes[store]
		switch {
		case k == store:
			return
		case k < store:
			hi = store - 1
		default:
			lo = store + 1
		}
	}
}

// unitVector returns the point on the unit sphere for a lon/lat point.
func unitVector(p orb.Point) [3]float64 {
	sinLon, cosLon := math.Sincos(p[0] * math.Pi / 180)
	sinLat, cosLat := math.Sincos(p[1] * math.Pi / 180)
	return [3]float64{cosLat * cosLon, cosLat * sinLon, sinLat}
}

// chord2 returns the squared Euclidean distance between two unit vectors.
func chord2(a, b [3]float64) float64 {
	dx, dy, dz := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	return dx*dx + dy*dy + dz*dz
}

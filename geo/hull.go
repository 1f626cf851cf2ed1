package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// ConvexHull returns the convex hull of pts as a closed polygon ring, counter-clockwise (RFC 7946 exterior winding).
//
// The hull is computed in a local equirectangular projection (metres east and
// north of the points' centre, longitudes unwrapped across the antimeridian).
// That projection is affine in lon/lat, so the hull is also convex with the
// straight lon/lat edges of RFC 7946 and planar containment (Zone.Contains)
// agrees that every input point is inside; over a city the projection is within about
// 1% of true distances, which is what makes the collinearity
// tolerance meaningful. Vertices are input points, unchanged, starting from the
// westernmost (southernmost among equals); points on an edge are left out. It
// returns nil when the hull has no area: fewer than 3 distinct points, or all of
// them on one line. O(n log n); pts is not modified.
func ConvexHull(pts []orb.Point) orb.Polygon {
	if len(pts) < 3 {
		return nil
	}
	// The centre is the mean direction, so points either side of ±180° average to 180°, not 0°.
	var sum [3]float64
	for _, p := range pts {
		addUnit(&sum, p)
	}
	return hullPolygon(pts, sum)
}

// hullPolygon is the hull of pts in the projection centred on the direction sum, as a closed ring of the
// input points, or nil when it has no area.
func hullPolygon(pts []orb.Point, sum [3]float64) orb.Polygon {
	chain := hullChain(project(pts, sum), left)
	if len(chain) < 4 { // closed, so a triangle has 4 vertices
		return nil
	}
	ring := make(orb.Ring, len(chain))
	for i, h := range chain {
		ring[i] = h.p
	}
	return orb.Polygon{ring}
}

// addUnit adds p's unit vector to sum, the sum whose direction is the hull's projection centre.
func addUnit(sum *[3]float64, p orb.Point) {
	v := unitVector(p)
	sum[0], sum[1], sum[2] = sum[0]+v[0], sum[1]+v[1], sum[2]+v[2]
}

// hullPoint is a point in the hull's projection, with the point it came from.
type hullPoint struct {
	x, y float64
	p    orb.Point
}

// project maps pts to metres east and north of the direction sum (ConvexHull's projection), sorted west to
// east (south to north among equals), without repeated positions.
func project(pts []orb.Point, sum [3]float64) []hullPoint {
	lon0 := math.Atan2(sum[1], sum[0]) * 180 / math.Pi
	lat0 := math.Atan2(sum[2], math.Hypot(sum[0], sum[1])) * 180 / math.Pi
	const mPerDeg = orb.EarthRadius * math.Pi / 180
	kx := mPerDeg * math.Cos(lat0*math.Pi/180)
	ps := make([]hullPoint, len(pts))
	for i, p := range pts {
		dlon := math.Mod(p[0]-lon0+540, 360) - 180 // in [-180, 180)
		ps[i] = hullPoint{dlon * kx, (p[1] - lat0) * mPerDeg, p}
	}
	slices.SortFunc(ps, func(a, b hullPoint) int {
		return cmp.Or(cmp.Compare(a.x, b.x), cmp.Compare(a.y, b.y))
	})
	return slices.CompactFunc(ps, func(a, b hullPoint) bool { return a.x == b.x && a.y == b.y })
}

// left reports a left turn o -> a -> b. A turn counts as left only if its sine exceeds 1e-10: rounding makes
// points on one line turn by about 1e-16 either way.
func left(o, a, b hullPoint) bool { return turnSine(o, a, b, 1e-10) }

// notClearlyRight reports a turn o -> a -> b that is not clearly to the right (a sine above -1e-9): a is on
// the hull, on an edge or within rounding of either. Hull keeps such points, so that what it drops is
// clearly inside in whatever projection the final hull uses (projections with another centre are affine
// maps of each other: they keep the sign of a turn and nearly its size), and points within rounding of a
// line, where ConvexHull's tolerance decides, are all still there.
func notClearlyRight(o, a, b hullPoint) bool { return turnSine(o, a, b, -1e-9) }

// turnSine reports whether the turn o -> a -> b is to the left by a sine above tol (negative: a right turn
// by less than -tol counts).
func turnSine(o, a, b hullPoint, tol float64) bool {
	ax, ay, bx, by := a.x-o.x, a.y-o.y, b.x-o.x, b.y-o.y
	return ax*by-ay*bx > tol*math.Hypot(ax, ay)*math.Hypot(bx, by)
}

// hullChain runs Andrew's monotone chain over ps (sorted by project) with the turn test keep: the lower
// chain west to east, then the upper chain east to west, ending at the start (closed). Fewer than 3
// points give them back as they are.
func hullChain(ps []hullPoint, keep func(o, a, b hullPoint) bool) []hullPoint {
	if len(ps) < 3 {
		return ps
	}
	hull := make([]hullPoint, 0, 2*len(ps))
	for _, p := range ps { // lower chain, west to east
		for len(hull) >= 2 && !keep(hull[len(hull)-2], hull[len(hull)-1], p) {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, p)
	}
	lower := len(hull) + 1
	for i := len(ps) - 2; i >= 0; i-- { // upper chain, east to west, ending at the start
		p := ps[i]
		for len(hull) >= lower && !keep(hull[len(hull)-2], hull[len(hull)-1], p) {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, p)
	}
	return hull
}

// Hull is the convex hull of points added one at a time: its Polygon is ConvexHull of every point added,
// in the order added, but it keeps only the points that may still be vertices of it, so its memory grows
// with the hull rather than with the points. The zero value is an empty hull. One goroutine at a time.
//
// Every so often (when the points kept have doubled since the last time, and at least hullReduceAt) it
// drops the points clearly inside the hull of those it keeps (behind a turn to the right by a sine below
// -1e-9). A dropped point cannot be a vertex of the final hull, and the final hull's projection centre is
// that of every point added (their sum is kept), so the polygon is ConvexHull's (TestHullIsConvexHull)
// unless ConvexHull's own 1e-10 collinearity tolerance would decide a turn differently with a dropped point
// around, which needs that point within about 1e-9 of a line through kept ones. Points all within rounding
// of one line are all kept: the memory of such a degenerate set grows with it.
type Hull struct {
	pts  []orb.Point
	sum  [3]float64
	n    int
	next int // reduce when len(pts) reaches it
}

// hullReduceAt is the fewest points a Hull reduces.
const hullReduceAt = 256

// Add adds a point. Amortised O(log k) for a hull of k candidate points.
func (h *Hull) Add(p orb.Point) {
	addUnit(&h.sum, p)
	h.n++
	h.pts = append(h.pts, p)
	if len(h.pts) >= max(h.next, hullReduceAt) {
		ps := project(h.pts, h.sum)
		// A point may be on both chains (all on one line, say): keep each once, in projected order.
		on := make(map[orb.Point]bool, 64)
		for _, c := range hullChain(ps, notClearlyRight) {
			on[c.p] = true
		}
		h.pts = h.pts[:0]
		for _, c := range ps {
			if on[c.p] {
				h.pts = append(h.pts, c.p)
				delete(on, c.p)
			}
		}
		h.next = 2 * len(h.pts)
	}
}

// Count is the number of points added.
func (h *Hull) Count() int { return h.n }

// Polygon returns the hull of every point added as ConvexHull does; nil when it has no area.
func (h *Hull) Polygon() orb.Polygon {
	if len(h.pts) < 3 {
		return nil
	}
	return hullPolygon(h.pts, h.sum)
}

// Circle returns a polygon approximating a circle of radius r around c with n vertices (counter-clockwise, closed).
//
// Vertices are at great-circle distance r from c, the first due east of it. An n
// below 3 is taken as 3; an r that is not positive returns nil. A circle crossing
// the antimeridian keeps longitudes beyond ±180 rather than being split.
func Circle(c orb.Point, r Meters, n int) orb.Polygon {
	if !(r > 0) {
		return nil
	}
	n = max(n, 3)
	ring := make(orb.Ring, n+1)
	for i := range n {
		// Bearings run clockwise from north, so decreasing bearing is counter-clockwise.
		bearing := 90 - 360*float64(i)/float64(n)
		ring[i] = orbgeo.PointAtBearingAndDistance(c, bearing, float64(r))
	}
	ring[n] = ring[0]
	return orb.Polygon{ring}
}

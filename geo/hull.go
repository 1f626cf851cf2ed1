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
		v := unitVector(p)
		sum[0], sum[1], sum[2] = sum[0]+v[0], sum[1]+v[1], sum[2]+v[2]
	}
	lon0 := math.Atan2(sum[1], sum[0]) * 180 / math.Pi
	lat0 := math.Atan2(sum[2], math.Hypot(sum[0], sum[1])) * 180 / math.Pi
	const mPerDeg = orb.EarthRadius * math.Pi / 180
	kx := mPerDeg * math.Cos(lat0*math.Pi/180)

	type proj struct {
		x, y float64
		p    orb.Point
	}
	ps := make([]proj, len(pts))
	for i, p := range pts {
		dlon := math.Mod(p[0]-lon0+540, 360) - 180 // in [-180, 180)
		ps[i] = proj{dlon * kx, (p[1] - lat0) * mPerDeg, p}
	}
	slices.SortFunc(ps, func(a, b proj) int {
		return cmp.Or(cmp.Compare(a.x, b.x), cmp.Compare(a.y, b.y))
	})
	ps = slices.CompactFunc(ps, func(a, b proj) bool { return a.x == b.x && a.y == b.y })
	if len(ps) < 3 {
		return nil
	}
	// Andrew's monotone chain. A turn counts as left only if its sine exceeds
	// 1e-10: rounding makes points on one line turn by about 1e-16 either way.
	left := func(o, a, b proj) bool {
		ax, ay, bx, by := a.x-o.x, a.y-o.y, b.x-o.x, b.y-o.y
		return ax*by-ay*bx > 1e-10*math.Hypot(ax, ay)*math.Hypot(bx, by)
	}
	hull := make([]proj, 0, 2*len(ps))
	for _, p := range ps { // lower chain, west to east
		for len(hull) >= 2 && !left(hull[len(hull)-2], hull[len(hull)-1], p) {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, p)
	}
	lower := len(hull) + 1
	for i := len(ps) - 2; i >= 0; i-- { // upper chain, east to west, ending at the start
		p := ps[i]
		for len(hull) >= lower && !left(hull[len(hull)-2], hull[len(hull)-1], p) {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, p)
	}
	if len(hull) < 4 { // closed, so a triangle has 4 vertices
		return nil
	}
	ring := make(orb.Ring, len(hull))
	for i, h := range hull {
		ring[i] = h.p
	}
	return orb.Polygon{ring}
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

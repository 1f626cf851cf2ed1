package sim

import (
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/carriersim/carriersim/geo"
)

// stationGrid is a lon/lat grid over the city whose cells each list the only stations that can be nearest
// to some point of the cell, so a nearest-station query checks a few stations instead of walking the k-d
// tree: every order asks it once per carrier, and the tree's cost grows with the station count.
//
// Distances are chords between unit vectors, the k-d tree's own ranking (exact great-circle order). For a
// cell with centre c and radius r (the farthest chord from c to the cell) and any point p of the cell, the
// triangle inequality bounds p's nearest station s by |c-s| <= |c-p| + |p-s| <= r + |p-s_c| <= 2r + |c-s_c|,
// s_c being c's nearest station: those stations are the cell's candidates.
//
// Stations crowd where the orders are, so uniform cells sized for the whole box are far larger than the
// spacing of the central stations, and a central cell had dozens of candidates (63 a query at 1M orders,
// 270 at 20M, beijing-default). A cell with more than leafCandidates candidates is therefore split into
// quadrants, recursively (a quadtree under each cell): a quadrant's candidates are those of its parent that
// pass the same test for the quadrant, since every point of the quadrant has its nearest station among the
// parent's. Queries descend where the stations are dense and stop at once where they are sparse.
type stationGrid struct {
	minLon, minLat float64
	dLon, dLat     float64 // cell size in degrees
	perLon, perLat float64 // their inverses: a query multiplies rather than divides
	nx, ny         int
	// nodes[k] for k < nx*ny is cell k (row-major); the others are quadrants. A leaf lists its candidates
	// as cand[lo:hi]; a split node has hi < 0 and its quadrants at nodes[lo:lo+4], (south-west, south-east,
	// north-west, north-east).
	nodes []gridNode
	cand  []int32 // station indices, ascending within a leaf so ties go to the lowest index
	uv    []geo.UnitVector
}

type gridNode struct{ lo, hi int32 }

// Grid sizing: about cellsPerStation cells a station, within [minGridCells, maxGridCells]. A cell or
// quadrant with more than leafCandidates candidates is split, down to maxGridDepth levels under a cell,
// unless it is far from every station for its size (its nearest station more than farRatio times its
// radius away: there the candidates are a thin ring of equally far stations, halving the box barely thins
// it, and orders are rare), or splitting shortens no quadrant's list (stations at one point). At 20M
// orders (beijing-default) a query checks 2.8 stations on average instead of 270, in 0.13 µs instead of
// 2.1 µs, for 121,000 nodes a carrier.
const (
	cellsPerStation = 64
	minGridCells    = 256
	maxGridCells    = 1 << 16
	leafCandidates  = 4
	farRatio        = 8
	maxGridDepth    = 10
)

// cityBound is the box holding every zone and every station.
func cityBound(zones []geo.Zone, pts []orb.Point) orb.Bound {
	b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for _, z := range zones {
		b = b.Union(z.Bound)
	}
	for _, p := range pts {
		b = b.Extend(p)
	}
	return b
}

// newStationGrid returns the grid over b for the stations at pts, or nil when there is nothing to index or
// b is not a usable box (queries then go to the k-d tree).
func newStationGrid(pts []orb.Point, b orb.Bound) *stationGrid {
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	if len(pts) == 0 || !(w > 0 && h > 0) || w > 90 || h > 90 || math.Abs(b.Min[1]) > 85 || math.Abs(b.Max[1]) > 85 {
		return nil
	}
	// Square-ish cells on the ground: a degree of longitude is cos(lat) of a degree of latitude.
	wg := w * math.Cos((b.Min[1]+b.Max[1])/2*math.Pi/180)
	cells := float64(min(max(cellsPerStation*len(pts), minGridCells), maxGridCells))
	side := math.Sqrt(wg * h / cells)
	g := &stationGrid{minLon: b.Min[0], minLat: b.Min[1]}
	g.nx = max(1, int(math.Ceil(wg/side)))
	g.ny = max(1, int(math.Ceil(h/side)))
	g.dLon, g.dLat = w/float64(g.nx), h/float64(g.ny)
	g.perLon, g.perLat = 1/g.dLon, 1/g.dLat
	g.uv = make([]geo.UnitVector, len(pts))
	all := make([]int32, len(pts))
	for i, p := range pts {
		g.uv[i] = geo.UnitVectorOf(p)
		all[i] = int32(i)
	}
	g.nodes = make([]gridNode, g.nx*g.ny)
	var scratch gridScratch
	for iy := 0; iy < g.ny; iy++ {
		for ix := 0; ix < g.nx; ix++ {
			lon0, lat0 := g.minLon+float64(ix)*g.dLon, g.minLat+float64(iy)*g.dLat
			c, r, dmin := g.candidates(all, lon0, lat0, g.dLon, g.dLat, &scratch, nil)
			g.place(iy*g.nx+ix, c, r, dmin, lon0, lat0, g.dLon, g.dLat, 0, &scratch)
		}
	}
	return g
}

// gridScratch holds the distances a build reuses.
type gridScratch struct{ dist []float64 }

// candidates appends to dst, and returns, the stations among from that can be nearest to some point of the
// box [lon0, lon0+dLon] x [lat0, lat0+dLat]; from must hold every station that can be nearest to a point of
// the box, in ascending order.
func (g *stationGrid) candidates(from []int32, lon0, lat0, dLon, dLat float64, sc *gridScratch, dst []int32) ([]int32, float64, float64) {
	c := geo.UnitVectorOf(orb.Point{lon0 + dLon/2, lat0 + dLat/2})
	// The farthest point of a box this small from its centre is a corner; the edge midpoints, a 5% margin
	// and an absolute one (about 6 mm) cover the curvature of the edges and rounding.
	var r float64
	for _, fx := range [3]float64{0, 0.5, 1} {
		for _, fy := range [3]float64{0, 0.5, 1} {
			q := geo.UnitVectorOf(orb.Point{lon0 + fx*dLon, lat0 + fy*dLat})
			r = math.Max(r, math.Sqrt(chord2(c, q)))
		}
	}
	r = r*1.05 + 1e-9
	sc.dist = slices.Grow(sc.dist[:0], len(from))[:len(from)]
	dmin := math.Inf(1)
	for k, i := range from {
		sc.dist[k] = math.Sqrt(chord2(c, g.uv[i]))
		dmin = math.Min(dmin, sc.dist[k])
	}
	for k, d := range sc.dist {
		if d <= dmin+2*r {
			dst = append(dst, from[k])
		}
	}
	return dst, r, dmin
}

// place makes node k a leaf listing cand, or splits it (see leafCandidates); r and dmin are k's box's
// radius and distance to its nearest station, as candidates returned them.
func (g *stationGrid) place(k int, cand []int32, r, dmin, lon0, lat0, dLon, dLat float64, depth int, sc *gridScratch) {
	if len(cand) > leafCandidates && depth < maxGridDepth && r*farRatio >= dmin {
		hLon, hLat := dLon/2, dLat/2
		var quads [4][]int32
		var qr, qd [4]float64
		sum := 0
		for q := range quads {
			quads[q], qr[q], qd[q] = g.candidates(cand, lon0+float64(q&1)*hLon, lat0+float64(q>>1)*hLat, hLon, hLat, sc, nil)
			sum += len(quads[q])
		}
		if sum < 4*len(cand) {
			first := len(g.nodes)
			g.nodes = append(g.nodes, make([]gridNode, 4)...)
			g.nodes[k] = gridNode{lo: int32(first), hi: -1}
			for q := range quads {
				g.place(first+q, quads[q], qr[q], qd[q], lon0+float64(q&1)*hLon, lat0+float64(q>>1)*hLat, hLon, hLat, depth+1, sc)
			}
			return
		}
	}
	g.nodes[k] = gridNode{lo: int32(len(g.cand)), hi: int32(len(g.cand) + len(cand))}
	g.cand = append(g.cand, cand...)
}

// nearest returns the station nearest to p (u its unit vector), ties to the lowest index; false when p is
// outside the grid (or not a number).
func (g *stationGrid) nearest(p orb.Point, u geo.UnitVector) (int, bool) {
	n, ok := g.leaf(p)
	if !ok {
		return -1, false
	}
	best, bd := -1, math.Inf(1)
	for _, i := range g.cand[n.lo:n.hi] {
		if d := chord2(u, g.uv[i]); d < bd {
			best, bd = int(i), d
		}
	}
	return best, best >= 0
}

// leaf returns the leaf holding p; false when p is outside the grid (or not a number).
func (g *stationGrid) leaf(p orb.Point) (gridNode, bool) {
	// A rounding error can put a point on a cell or quadrant border into the one next to it, which is
	// harmless: the candidates' margin covers far more than that. Below a cell, x and y are p's position in
	// the current box in units of its side; doubling them and taking off the integer part is exact.
	fx, fy := (p[0]-g.minLon)*g.perLon, (p[1]-g.minLat)*g.perLat
	if !(fx >= 0 && fx < float64(g.nx) && fy >= 0 && fy < float64(g.ny)) {
		return gridNode{}, false
	}
	ix, iy := int(fx), int(fy)
	n := g.nodes[iy*g.nx+ix]
	x, y := fx-float64(ix), fy-float64(iy)
	for n.hi < 0 {
		x, y = 2*x, 2*y
		q := int32(0)
		if x >= 1 {
			x--
			q = 1
		}
		if y >= 1 {
			y--
			q += 2
		}
		n = g.nodes[n.lo+q]
	}
	return n, true
}

// chord2 is the squared chord between two unit vectors, computed exactly as the k-d tree computes it so the
// two rank stations identically, ties included.
func chord2(a, b geo.UnitVector) float64 {
	dx, dy, dz := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	return dx*dx + dy*dy + dz*dz
}

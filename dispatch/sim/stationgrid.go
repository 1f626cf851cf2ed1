package sim

import (
	"math"

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
type stationGrid struct {
	minLon, minLat float64
	dLon, dLat     float64 // cell size in degrees
	perLon, perLat float64 // their inverses: a query multiplies rather than divides
	nx, ny         int
	first          []int32 // cell k's candidates are cand[first[k]:first[k+1]]
	cand           []int32 // station indices, ascending within a cell so ties go to the lowest index
	uv             []geo.UnitVector
}

// Grid sizing: about cellsPerStation cells a station (a cell is then a fraction of a station's area, so it
// has few candidates), within [minGridCells, maxGridCells].
const (
	cellsPerStation = 64
	minGridCells    = 256
	maxGridCells    = 1 << 16
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
	for i, p := range pts {
		g.uv[i] = geo.UnitVectorOf(p)
	}
	g.first = make([]int32, 0, g.nx*g.ny+1)
	dist := make([]float64, len(pts))
	for iy := 0; iy < g.ny; iy++ {
		for ix := 0; ix < g.nx; ix++ {
			g.first = append(g.first, int32(len(g.cand)))
			lon0, lat0 := g.minLon+float64(ix)*g.dLon, g.minLat+float64(iy)*g.dLat
			c := geo.UnitVectorOf(orb.Point{lon0 + g.dLon/2, lat0 + g.dLat/2})
			// The farthest point of a cell this small from its centre is a corner; the edge midpoints, a 5%
			// margin and an absolute one (about 6 mm) cover the curvature of the edges and rounding.
			var r float64
			for _, fx := range [3]float64{0, 0.5, 1} {
				for _, fy := range [3]float64{0, 0.5, 1} {
					q := geo.UnitVectorOf(orb.Point{lon0 + fx*g.dLon, lat0 + fy*g.dLat})
					r = math.Max(r, math.Sqrt(chord2(c, q)))
				}
			}
			r = r*1.05 + 1e-9
			dmin := math.Inf(1)
			for i := range pts {
				dist[i] = math.Sqrt(chord2(c, g.uv[i]))
				dmin = math.Min(dmin, dist[i])
			}
			for i, d := range dist {
				if d <= dmin+2*r {
					g.cand = append(g.cand, int32(i))
				}
			}
		}
	}
	g.first = append(g.first, int32(len(g.cand)))
	return g
}

// nearest returns the station nearest to p (u its unit vector), ties to the lowest index; false when p is
// outside the grid (or not a number).
func (g *stationGrid) nearest(p orb.Point, u geo.UnitVector) (int, bool) {
	// A rounding error can put a point on a cell border into the cell next to it, which is harmless: the
	// candidates' margin covers far more than that.
	fx, fy := (p[0]-g.minLon)*g.perLon, (p[1]-g.minLat)*g.perLat
	if !(fx >= 0 && fx < float64(g.nx) && fy >= 0 && fy < float64(g.ny)) {
		return -1, false
	}
	k := int(fy)*g.nx + int(fx)
	best, bd := -1, math.Inf(1)
	for _, i := range g.cand[g.first[k]:g.first[k+1]] {
		if d := chord2(u, g.uv[i]); d < bd {
			best, bd = int(i), d
		}
	}
	return best, best >= 0
}

// chord2 is the squared chord between two unit vectors, computed exactly as the k-d tree computes it so the
// two rank stations identically, ties included.
func chord2(a, b geo.UnitVector) float64 {
	dx, dy, dz := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	return dx*dx + dy*dy + dz*dz
}

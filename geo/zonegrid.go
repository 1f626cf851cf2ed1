package geo

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/paulmach/orb"
)

// gridCells is the target number of cells of a zone's grid: a district of
// 40-2,500 km² gets cells of about 70-550 m, and a grid costs up to ~200 KB.
// Going from 4,096 to 16,384 cells halved the cost of SampleUniform on Beijing's
// districts (most of what remains is the exact test in boundary cells); 65,536
// gained only another quarter for four times the memory.
const gridCells = 16384

// Cell classes of a zoneGrid.
const (
	cellOutside = iota
	cellInside
	cellEdge // crossed or touched by the boundary: needs the exact polygon test
)

// zoneGrid is a lattice of lon/lat cells over a zone's bound, each classified as
// wholly outside, wholly inside, or on the boundary. It turns most Contains calls
// into an array lookup and lets SampleUniform propose points only from cells that
// can hold them, so a point costs ~2 µs instead of ~30 µs. It is
// built once by ReadZones and never changed, so zones stay safe to share.
type zoneGrid struct {
	geom   orb.MultiPolygon // the geometry it describes: a Zone whose Geometry was replaced ignores it
	bound  orb.Bound        // of geom
	min    orb.Point        // bound.Min
	cw, ch float64          // cell width and height, degrees
	nx, ny int
	cell   []uint8   // class of cell row*nx+col; row 0 is the southernmost
	rowSin []float64 // sin of the latitude of each row's southern edge, and of the top
	cand   []int32   // cells that may hold points: inside or edge
	cum    []float64 // cumulative spherical area of cand, for choosing one by area
}

// newZoneGrid returns the grid of mp, or nil when its bound has no area.
func newZoneGrid(mp orb.MultiPolygon, b orb.Bound) *zoneGrid {
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	if !(w > 0 && h > 0) {
		return nil
	}
	// Square cells in metres: columns / rows = east-west extent / north-south extent.
	aspect := w * math.Cos((b.Min[1]+b.Max[1])/2*math.Pi/180) / h
	nx := int(math.Round(math.Sqrt(gridCells * aspect)))
	nx = min(max(nx, 1), gridCells)
	ny := min(max(gridCells/nx, 1), gridCells)
	g := &zoneGrid{
		geom: mp, bound: b, min: b.Min, cw: w / float64(nx), ch: h / float64(ny), nx: nx, ny: ny,
		cell: make([]uint8, nx*ny),
	}
	for _, poly := range mp {
		for _, r := range poly {
			for i := 1; i < len(r); i++ {
				g.markEdge(r[i-1], r[i])
			}
		}
	}
	g.fillInside(mp)

	g.rowSin = make([]float64, ny+1)
	for row := range g.rowSin {
		g.rowSin[row] = math.Sin((g.min[1] + float64(row)*g.ch) * math.Pi / 180)
	}
	total := 0.0
	for c, class := range g.cell {
		if class == cellOutside {
			continue
		}
		// Area of a lon/lat cell on the sphere is proportional to its sin(lat) span.
		row := c / nx
		total += g.rowSin[row+1] - g.rowSin[row]
		g.cand = append(g.cand, int32(c))
		g.cum = append(g.cum, total)
	}
	return g
}

// markEdge marks every cell the segment a-b touches, padded by a millionth of a
// cell so that rounding cannot leave a touched cell unmarked.
func (g *zoneGrid) markEdge(a, b orb.Point) {
	if a[0] > b[0] {
		a, b = b, a
	}
	padX, padY := g.cw*1e-6, g.ch*1e-6
	c0, c1 := g.col(a[0]-padX), g.col(b[0]+padX)
	for c := c0; c <= c1; c++ {
		// The part of the segment within this column, as a latitude range.
		xl := max(a[0], g.min[0]+float64(c)*g.cw)
		xr := min(b[0], g.min[0]+float64(c+1)*g.cw)
		yl, yr := a[1], b[1]
		if b[0] > a[0] {
			t := (b[1] - a[1]) / (b[0] - a[0])
			yl, yr = a[1]+t*(xl-a[0]), a[1]+t*(xr-a[0])
		}
		r0, r1 := g.row(min(yl, yr)-padY), g.row(max(yl, yr)+padY)
		for r := r0; r <= r1; r++ {
			g.cell[r*g.nx+c] = cellEdge
		}
	}
}

// fillInside classifies the cells no edge touches. The boundary does not cross
// such a cell, so its centre speaks for all of it; centres are tested a row at a
// time by counting ring crossings along the row's centre line, with the same
// rule as orb's planar.PolygonContains: inside the exterior ring and in no hole.
func (g *zoneGrid) fillInside(mp orb.MultiPolygon) {
	inRing := make([]bool, g.nx) // per column: centre inside the current ring
	inPoly := make([]bool, g.nx) // per column: inside the current polygon
	var xs []float64
	for row := range g.ny {
		y := g.min[1] + (float64(row)+0.5)*g.ch
		cells := g.cell[row*g.nx : (row+1)*g.nx]
		for _, poly := range mp {
			for ri, r := range poly {
				xs = xs[:0]
				for i := 1; i < len(r); i++ {
					a, b := r[i-1], r[i]
					if (a[1] > y) != (b[1] > y) { // half-open: a vertex on the line counts once
						xs = append(xs, a[0]+(y-a[1])/(b[1]-a[1])*(b[0]-a[0]))
					}
				}
				slices.Sort(xs)
				k := 0
				for col := range g.nx {
					x := g.min[0] + (float64(col)+0.5)*g.cw
					for k < len(xs) && xs[k] < x {
						k++
					}
					inRing[col] = k%2 == 1
				}
				for col := range g.nx {
					switch {
					case ri == 0:
						inPoly[col] = inRing[col]
					case inRing[col]:
						inPoly[col] = false
					}
				}
			}
			for col, in := range inPoly {
				if in && cells[col] == cellOutside {
					cells[col] = cellInside
				}
			}
		}
	}
}

func (g *zoneGrid) col(x float64) int {
	return min(max(int(math.Floor((x-g.min[0])/g.cw)), 0), g.nx-1)
}

func (g *zoneGrid) row(y float64) int {
	return min(max(int(math.Floor((y-g.min[1])/g.ch)), 0), g.ny-1)
}

// describes reports whether g was built for mp: cheap, it compares slice headers.
func (g *zoneGrid) describes(mp orb.MultiPolygon) bool {
	return g != nil && len(mp) == len(g.geom) && (len(mp) == 0 || &mp[0] == &g.geom[0])
}

// class returns the class of the cell holding p.
func (g *zoneGrid) class(p orb.Point) uint8 {
	// Test the bound in degrees, not the cell index: h/ny*ny can exceed h by an
	// ulp, which would put a vertex on the northern edge outside.
	if !g.bound.Contains(p) {
		return cellOutside
	}
	return g.cell[g.row(p[1])*g.nx+g.col(p[0])]
}

// sample draws a cell by spherical area, then a point uniform by area within it,
// until the point is inside z; ok is false if all tries failed.
func (g *zoneGrid) sample(z *Zone, rng *rand.Rand) (p orb.Point, ok bool) {
	total := g.cum[len(g.cum)-1]
	for range maxUniformTries {
		u := rng.Float64() * total
		i := min(sort.SearchFloat64s(g.cum, u), len(g.cum)-1)
		c := int(g.cand[i])
		row, col := c/g.nx, c%g.nx
		lon := g.min[0] + (float64(col)+rng.Float64())*g.cw
		s := g.rowSin[row] + rng.Float64()*(g.rowSin[row+1]-g.rowSin[row])
		p = orb.Point{lon, math.Asin(s) * 180 / math.Pi}
		if g.cell[c] == cellInside || z.containsExact(p) {
			return p, true
		}
	}
	return orb.Point{}, false
}

package sim

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"

	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/fixtures"
)

// TestStationGridMatchesIndex checks that the grid answers every nearest-station query exactly as the k-d
// tree does (station and distance, bit for bit), on random points in and around the city, on cell corners
// and edges, on the stations themselves and on the midpoints between stations (where ties are likeliest).
func TestStationGridMatchesIndex(t *testing.T) {
	cases := []struct {
		scenario string
		orders   int
	}{
		{"beijing-default", 3000},
		{"beijing-default", 1000000},
		{"yantai-default", 50000},
		{"shanghai-default", 400000},
	}
	for _, c := range cases {
		if testing.Short() && c.orders > 100000 {
			continue // large networks: not in -short
		}
		raw, ok := fixtures.Scenario(c.scenario)
		if !ok {
			t.Fatalf("no scenario %s", c.scenario)
		}
		sc, err := scenario.Decode(bytes.NewReader(raw), c.scenario)
		if err != nil {
			t.Fatal(err)
		}
		sc.Demand.Orders = c.orders
		w, err := NewWorld(sc)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, uint64(c.orders)))
		for _, nw := range w.Carriers {
			g := nw.grid
			if g == nil {
				t.Fatalf("%s/%d %s: no grid", c.scenario, c.orders, nw.Carrier.ID)
			}
			var pts []orb.Point
			spanLon, spanLat := float64(g.nx)*g.dLon, float64(g.ny)*g.dLat
			for range 200000 {
				pts = append(pts, orb.Point{g.minLon - 0.1*spanLon + 1.2*spanLon*rng.Float64(), g.minLat - 0.1*spanLat + 1.2*spanLat*rng.Float64()})
			}
			for ix := 0; ix <= g.nx; ix++ {
				for iy := 0; iy <= g.ny; iy++ {
					lon, lat := g.minLon+float64(ix)*g.dLon, g.minLat+float64(iy)*g.dLat
					pts = append(pts, orb.Point{lon, lat}, orb.Point{math.Nextafter(lon, math.Inf(-1)), math.Nextafter(lat, math.Inf(-1))},
						orb.Point{lon + g.dLon/2, lat})
				}
			}
			// Every quadrant's corners and edge midpoints, and the points just below them: where rounding
			// can put a point into the neighbouring quadrant.
			g.walkLeaves(func(lon0, lat0, dLon, dLat float64) {
				for _, fx := range [3]float64{0, 0.5, 1} {
					for _, fy := range [3]float64{0, 0.5, 1} {
						lon, lat := lon0+fx*dLon, lat0+fy*dLat
						pts = append(pts, orb.Point{lon, lat}, orb.Point{math.Nextafter(lon, math.Inf(-1)), math.Nextafter(lat, math.Inf(-1))})
					}
				}
			})
			for i, a := range nw.Stations {
				pts = append(pts, a.Point)
				for _, b := range nw.Stations[i+1:] {
					pts = append(pts, orb.Point{(a.Point[0] + b.Point[0]) / 2, (a.Point[1] + b.Point[1]) / 2})
				}
			}
			pts = append(pts, orb.Point{math.NaN(), 40}, orb.Point{116, math.NaN()})
			inGrid := 0
			for _, p := range pts {
				wi, wd := nw.index.Nearest(p)
				gi, gd := nw.NearestStation(p)
				if gi != wi || math.Float64bits(float64(gd)) != math.Float64bits(float64(wd)) {
					t.Fatalf("%s/%d %s: nearest to %v: grid %d (%v m), k-d tree %d (%v m)", c.scenario, c.orders, nw.Carrier.ID, p, gi, gd, wi, wd)
				}
				if _, ok := g.nearest(p, [3]float64{}); ok {
					inGrid++
				}
			}
			if inGrid < len(pts)/2 {
				t.Errorf("%s/%d %s: only %d of %d points inside the grid", c.scenario, c.orders, nw.Carrier.ID, inGrid, len(pts))
			}
			t.Logf("%s/%d %s: %d stations, %dx%d cells, %d nodes, %.2f candidates a leaf", c.scenario, c.orders, nw.Carrier.ID,
				len(nw.Stations), g.nx, g.ny, len(g.nodes), float64(len(g.cand))/float64(g.leaves()))
		}
	}
}

// walkLeaves calls fn with the box of every leaf.
func (g *stationGrid) walkLeaves(fn func(lon0, lat0, dLon, dLat float64)) {
	var walk func(k int, lon0, lat0, dLon, dLat float64)
	walk = func(k int, lon0, lat0, dLon, dLat float64) {
		n := g.nodes[k]
		if n.hi >= 0 {
			fn(lon0, lat0, dLon, dLat)
			return
		}
		for q := range 4 {
			walk(int(n.lo)+q, lon0+float64(q&1)*dLon/2, lat0+float64(q>>1)*dLat/2, dLon/2, dLat/2)
		}
	}
	for iy := range g.ny {
		for ix := range g.nx {
			walk(iy*g.nx+ix, g.minLon+float64(ix)*g.dLon, g.minLat+float64(iy)*g.dLat, g.dLon, g.dLat)
		}
	}
}

// leaves counts the grid's leaves.
func (g *stationGrid) leaves() int {
	n := 0
	g.walkLeaves(func(_, _, _, _ float64) { n++ })
	return n
}

// TestStationGridFewCandidates checks that a query checks a few stations where the orders are, at the sizes
// where uniform cells held dozens (63 a query at 1M orders, 270 at 20M).
func TestStationGridFewCandidates(t *testing.T) {
	sizes := []int{100000, 1000000, 20000000}
	if testing.Short() {
		sizes = sizes[:1]
	}
	for _, n := range sizes {
		raw, _ := fixtures.Scenario("beijing-default")
		sc, err := scenario.Decode(bytes.NewReader(raw), "beijing-default")
		if err != nil {
			t.Fatal(err)
		}
		sc.Demand.Orders = n
		w, err := NewWorld(sc)
		if err != nil {
			t.Fatal(err)
		}
		orders := GenerateOrders(w, 1, 20000)
		for _, nw := range w.Carriers {
			total := 0
			for i := range orders {
				leaf, ok := nw.grid.leaf(orders[i].Dest)
				if !ok {
					t.Fatalf("%d %s: order %d at %v is outside the grid", n, nw.Carrier.ID, i, orders[i].Dest)
				}
				total += int(leaf.hi - leaf.lo)
			}
			mean := float64(total) / float64(len(orders))
			t.Logf("%d orders %s: %d stations, %d nodes, %.2f candidates a query", n, nw.Carrier.ID, len(nw.Stations), len(nw.grid.nodes), mean)
			if mean > float64(2*leafCandidates) {
				t.Errorf("%d orders %s: %.2f candidates a query, want at most %d", n, nw.Carrier.ID, mean, 2*leafCandidates)
			}
		}
	}
}

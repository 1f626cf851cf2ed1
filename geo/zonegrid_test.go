package geo

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// checkGridAgrees fails unless Contains, which consults the grid, agrees with the
// exact polygon test on random points and on points a hair from each vertex,
// where cells are most likely to be misclassified.
func checkGridAgrees(t *testing.T, z *Zone, rng *rand.Rand, random, vertices int) {
	t.Helper()
	if z.grid == nil {
		t.Fatalf("%s: no grid", z.Name)
	}
	check := func(p orb.Point) {
		if got, want := z.Contains(p), planar.MultiPolygonContains(z.Geometry, p); got != want {
			t.Fatalf("%s: Contains(%v) = %v, exact test says %v", z.Name, p, got, want)
		}
	}
	b := z.Bound
	for range random {
		check(orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])})
	}
	// Every stride-th vertex: each check is a full polygon scan, and some zones
	// have 8,000 vertices.
	n := 0
	for _, poly := range z.Geometry {
		for _, r := range poly {
			n += len(r)
		}
	}
	stride := max(1, n/vertices)
	for _, poly := range z.Geometry {
		for _, r := range poly {
			for i, v := range r {
				if i%stride != 0 {
					continue
				}
				check(v)
				for range 2 {
					check(orb.Point{v[0] + (rng.Float64()-0.5)*1e-4, v[1] + (rng.Float64()-0.5)*1e-4})
				}
			}
		}
	}
}

func TestZoneGridAgreesBeijing(t *testing.T) {
	zones := readBeijing(t)
	rng := rand.New(rand.NewPCG(30, 30))
	n := 5000
	if testing.Short() {
		n = 500 // the fast loop samples a tenth of the points
	}
	for i := range zones {
		checkGridAgrees(t, &zones[i], rng, n, 400)
	}
}

// TestZoneGridAgreesSharedBoundaries loads every city in shared/ when it is present.
func TestZoneGridAgreesSharedBoundaries(t *testing.T) {
	if testing.Short() {
		t.Skip("every shared city's districts: not in -short")
	}
	paths, _ := filepath.Glob("../../shared/data/boundaries/*.geojson")
	if len(paths) == 0 {
		t.Skip("no shared/data/boundaries beside the repository")
	}
	rng := rand.New(rand.NewPCG(31, 31))
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		zones, err := ReadZones(f, filepath.Base(path))
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for i := range zones {
			z := &zones[i]
			if !z.Contains(z.Center) || !(z.AreaKm2 > 0) {
				t.Errorf("%s: Center %v inside = %v, AreaKm2 = %v", z.Name, z.Center, z.Contains(z.Center), z.AreaKm2)
			}
			checkGridAgrees(t, z, rng, 500, 150)
		}
	}
}

func TestZoneGridAgreesShapes(t *testing.T) {
	shapes := map[string]string{
		"U":    `{"type":"Polygon","coordinates":[[[0,0],[3,0],[3,3],[2,3],[2,1],[1,1],[1,3],[0,3],[0,0]]]}`,
		"hole": `{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[1,3],[3,3],[3,1],[1,1]]]}`,
		// Invalid but possible input: overlapping parts and a hole poking out of its exterior.
		"overlaps": `{"type":"MultiPolygon","coordinates":[[[[0,0],[2,0],[2,2],[0,2],[0,0]],[[1,1],[3,1],[3,3],[1,3],[1,1]]],[[[1.5,1.5],[4,1.5],[4,4],[1.5,4],[1.5,1.5]]]]}`,
		"sliver":   `{"type":"Polygon","coordinates":[[[116,39],[117,40],[117.0001,40],[116,39]]]}`,
		"diagonal": `{"type":"Polygon","coordinates":[[[116,39],[117,39.5],[116.5,40],[116,39]]]}`,
		"thin":     `{"type":"Polygon","coordinates":[[[116,39],[116.00001,39],[116.00001,40],[116,40],[116,39]]]}`,
	}
	rng := rand.New(rand.NewPCG(32, 32))
	for name, geom := range shapes {
		t.Run(name, func(t *testing.T) {
			zones, err := ReadZones(strings.NewReader(fc(`{"type":"Feature","properties":{"name":"`+name+`"},"geometry":`+geom+`}`)), name)
			if err != nil {
				t.Fatal(err)
			}
			z := &zones[0]
			checkGridAgrees(t, z, rng, 5000, 400)
			for range 2000 {
				if p := z.SampleUniform(rng); !planar.MultiPolygonContains(z.Geometry, p) {
					t.Fatalf("SampleUniform = %v, outside", p)
				}
			}
		})
	}
}

func TestZoneGridIgnoredWhenGeometryReplaced(t *testing.T) {
	zones := readBeijing(t)
	z := zones[0] // a copy shares the grid, which is fine: it is read-only
	far := rectZone(100, 10, 101, 11)
	z.Geometry, z.Bound = far.Geometry, far.Bound
	if !z.Contains(orb.Point{100.5, 10.5}) {
		t.Error("after replacing Geometry, Contains answered from the old grid")
	}
	if p := z.SampleUniform(rand.New(rand.NewPCG(33, 33))); !far.Contains(p) {
		t.Errorf("after replacing Geometry, SampleUniform = %v, outside the new geometry", p)
	}
}

func TestSampleUniformGridMatchesRejection(t *testing.T) {
	// The grid sampler and plain rejection from the bound must give the same
	// distribution: compare the share of points south of the Center.
	zones := readBeijing(t)
	z := zoneNamed(t, zones, "海淀区")
	plain := *z
	plain.grid = nil
	rng := rand.New(rand.NewPCG(34, 34))
	const n = 10000
	share := func(z *Zone) float64 {
		south := 0
		for range n {
			if z.SampleUniform(rng)[1] < z.Center[1] {
				south++
			}
		}
		return float64(south) / n
	}
	grid, rejection := share(z), share(&plain)
	if d := grid - rejection; d > 0.025 || d < -0.025 {
		t.Errorf("share south of Center: grid %.4f, rejection %.4f; want within 0.025", grid, rejection)
	}
}

package geo

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/planar"
)

// checkRing fails unless r is closed and counter-clockwise.
func checkRing(t *testing.T, r orb.Ring) {
	t.Helper()
	if len(r) < 4 || r[0] != r[len(r)-1] {
		t.Fatalf("ring %v: want closed with at least 4 positions", r)
	}
	if a := orbgeo.SignedArea(r); !(a > 0) {
		t.Errorf("ring signed area = %v, want > 0 (counter-clockwise)", a)
	}
}

func TestConvexHull(t *testing.T) {
	tests := []struct {
		name string
		pts  []orb.Point
		want orb.Ring // nil for no hull
	}{
		{"nil", nil, nil},
		{"two points", []orb.Point{{116, 39}, {117, 40}}, nil},
		{"three identical", []orb.Point{{116, 39}, {116, 39}, {116, 39}}, nil},
		{"two distinct", []orb.Point{{116, 39}, {117, 40}, {116, 39}, {117, 40}}, nil},
		{"on a meridian", []orb.Point{{116, 39}, {116, 40}, {116, 39.5}}, nil},
		{"on the equator", []orb.Point{{0, 0}, {2, 0}, {1, 0}, {3, 0}}, nil},
		{"opposite points", []orb.Point{{0, 0}, {180, 0}, {90, 0}, {-90, 0}}, nil},
		{"triangle, clockwise input", []orb.Point{{116, 39}, {116.5, 40}, {117, 39}},
			orb.Ring{{116, 39}, {117, 39}, {116.5, 40}, {116, 39}}},
		{"square with inside, duplicate and edge points",
			[]orb.Point{{116.5, 39.5}, {116, 39}, {117, 40}, {116, 40}, {117, 39}, {116, 39}, {116.5, 39.0001}, {116, 39.5}},
			orb.Ring{{116, 39}, {117, 39}, {117, 40}, {116, 40}, {116, 39}}},
		{"across the antimeridian", []orb.Point{{179.9, -0.1}, {-179.9, -0.1}, {-179.9, 0.1}, {179.9, 0.1}, {180, 0}},
			orb.Ring{{179.9, -0.1}, {-179.9, -0.1}, {-179.9, 0.1}, {179.9, 0.1}, {179.9, -0.1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ConvexHull(tt.pts)
			if tt.want == nil {
				if got != nil {
					t.Errorf("ConvexHull = %v, want nil", got)
				}
				return
			}
			if len(got) != 1 || !got[0].Equal(tt.want) {
				t.Errorf("ConvexHull = %v, want [%v]", got, tt.want)
			}
		})
	}
}

func TestConvexHullContainsPoints(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 20))
	for _, n := range []int{3, 10, 1000} {
		pts := beijingPoints(rng, n)
		hull := ConvexHull(pts)
		if hull == nil {
			t.Fatalf("n=%d: ConvexHull = nil", n)
		}
		checkRing(t, hull[0])
		for _, p := range pts {
			if !planar.PolygonContains(hull, p) {
				t.Fatalf("n=%d: point %v outside its hull %v", n, p, hull)
			}
		}
		// Every hull vertex is an input point.
		in := make(map[orb.Point]bool, n)
		for _, p := range pts {
			in[p] = true
		}
		for _, v := range hull[0] {
			if !in[v] {
				t.Fatalf("n=%d: hull vertex %v is not an input point", n, v)
			}
		}
	}
}

func TestConvexHullDoesNotModifyInput(t *testing.T) {
	pts := []orb.Point{{117, 40}, {116, 39}, {117, 39}, {116, 40}}
	want := append([]orb.Point(nil), pts...)
	ConvexHull(pts)
	for i := range pts {
		if pts[i] != want[i] {
			t.Fatalf("input changed: got %v, want %v", pts, want)
		}
	}
}

func TestCircle(t *testing.T) {
	tests := []struct {
		name string
		c    orb.Point
		r    Meters
		n    int
	}{
		{"Beijing 3 km", orb.Point{116.4, 39.9}, 3000, 64},
		{"triangle", orb.Point{116.4, 39.9}, 500, 3},
		{"n below 3 is 3", orb.Point{116.4, 39.9}, 500, 1},
		{"near the pole", orb.Point{0, 89.9}, 5000, 32},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			poly := Circle(tt.c, tt.r, tt.n)
			if len(poly) != 1 {
				t.Fatalf("got %d rings, want 1", len(poly))
			}
			r := poly[0]
			if want := max(tt.n, 3) + 1; len(r) != want {
				t.Errorf("got %d positions, want %d", len(r), want)
			}
			checkRing(t, r)
			for i, p := range r {
				if d := Distance(tt.c, p); !near(float64(d), float64(tt.r), 1e-9) {
					t.Errorf("vertex %d at %.6f m from the centre, want %v", i, d, tt.r)
				}
			}
		})
	}
	// Area of a fine polygon approaches the circle's πr².
	poly := Circle(orb.Point{116.4, 39.9}, 3000, 360)
	if got, want := orbgeo.Area(poly), math.Pi*3000*3000; math.Abs(got-want) > 0.001*want {
		t.Errorf("area of a 360-gon of radius 3 km = %.0f m², want %.0f ± 0.1%%", got, want)
	}
	for _, r := range []Meters{0, -1, Meters(math.NaN())} {
		if got := Circle(orb.Point{116.4, 39.9}, r, 16); got != nil {
			t.Errorf("Circle(r=%v) = %v, want nil", r, got)
		}
	}
}

// TestHullIsConvexHull adds points one at a time to a Hull and checks that its polygon is ConvexHull's of
// all of them, byte for byte, while it keeps few of them: uniform doors over a district, a dense cluster, a
// grid of rounded coordinates (many collinear and repeated points, as replayed files give), a line and a
// handful of points.
func TestHullIsConvexHull(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 16))
	uniform := func(n int) []orb.Point {
		pts := make([]orb.Point, n)
		for i := range pts {
			pts[i] = orb.Point{116.1 + 0.08*rng.Float64(), 39.88 + 0.06*rng.Float64()}
		}
		return pts
	}
	cluster := func(n int) []orb.Point {
		pts := make([]orb.Point, n)
		for i := range pts {
			pts[i] = orb.Point{116.4 + 0.01*rng.NormFloat64(), 39.9 + 0.01*rng.NormFloat64()}
		}
		return pts
	}
	grid := func(n int) []orb.Point {
		pts := make([]orb.Point, n)
		for i := range pts {
			pts[i] = orb.Point{116.3 + 0.001*float64(rng.IntN(40)), 39.9 + 0.001*float64(rng.IntN(30))}
		}
		return pts
	}
	line := func(n int) []orb.Point {
		pts := make([]orb.Point, n)
		for i := range pts {
			f := rng.Float64()
			pts[i] = orb.Point{116.3 + 0.05*f, 39.9 + 0.03*f}
		}
		return pts
	}
	for _, tc := range []struct {
		name string
		pts  []orb.Point
		keep int // at most this many points kept at the end
	}{
		{"none", nil, 0},
		{"two", uniform(2), 2},
		{"uniform 200", uniform(200), 256},
		{"uniform 5000", uniform(5000), 256},
		{"uniform 100000", uniform(100000), 256},
		{"cluster 50000", cluster(50000), 256},
		{"grid 20000", grid(20000), 256},
		{"line 3000", line(3000), 3000}, // all within rounding of one line: all kept,
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h Hull
			for _, p := range tc.pts {
				h.Add(p)
			}
			if h.Count() != len(tc.pts) {
				t.Errorf("Count() = %d, want %d", h.Count(), len(tc.pts))
			}
			want, got := ConvexHull(tc.pts), h.Polygon()
			if len(want) != len(got) || (len(want) > 0 && !slices.Equal(want[0], got[0])) {
				t.Fatalf("Hull = %v, want ConvexHull's %v", got, want)
			}
			if len(h.pts) > tc.keep {
				t.Errorf("kept %d of %d points, want at most %d", len(h.pts), len(tc.pts), tc.keep)
			}
		})
	}
}

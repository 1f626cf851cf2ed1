package geo

import (
	"math"
	"math/rand/v2"
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

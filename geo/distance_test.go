package geo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// near reports whether got is within tol of want, relative to max(1, |want|).
func near(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func TestDistance(t *testing.T) {
	// Reference values from the Vincenty formula on a sphere of radius 6,378,137 m,
	// an independent route to the same great-circle distance.
	tests := []struct {
		name string
		a, b orb.Point
		want Meters
	}{
		{"same point", orb.Point{116.3975, 39.9087}, orb.Point{116.3975, 39.9087}, 0},
		{"Tiananmen to the Bund", orb.Point{116.3975, 39.9087}, orb.Point{121.4903, 31.2400}, 1069003.2803753882},
		{"0.01 deg east in Beijing", orb.Point{116.3975, 39.9087}, orb.Point{116.4075, 39.9087}, 853.8959050135328},
		{"0.01 deg north in Beijing", orb.Point{116.3975, 39.9087}, orb.Point{116.3975, 39.9187}, 1113.1949079324856},
		{"1 deg along the equator", orb.Point{0, 0}, orb.Point{1, 0}, 111319.49079327358},
		{"across the antimeridian", orb.Point{179.5, 0}, orb.Point{-179.5, 0}, 111319.49079327358},
		{"over the north pole", orb.Point{0, 89.5}, orb.Point{180, 89.5}, 111319.49079327309},
		{"pole to pole", orb.Point{0, 90}, orb.Point{0, -90}, 20037508.342789244},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Distance(tt.a, tt.b)
			if !near(float64(got), float64(tt.want), 1e-9) {
				t.Errorf("Distance(%v, %v) = %.6f, want %.6f", tt.a, tt.b, got, tt.want)
			}
			if back := Distance(tt.b, tt.a); back != got {
				t.Errorf("Distance is not symmetric: got %v and %v", got, back)
			}
		})
	}
}

func TestMetersKm(t *testing.T) {
	tests := []struct {
		m    Meters
		want float64
	}{{0, 0}, {1500, 1.5}, {-250, -0.25}}
	for _, tt := range tests {
		if got := tt.m.Km(); got != tt.want {
			t.Errorf("Meters(%v).Km() = %v, want %v", float64(tt.m), got, tt.want)
		}
	}
}

func TestUnitVectorDistanceMatchesHaversine(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 10000; i++ {
		a := orb.Point{rng.Float64()*360 - 180, rng.Float64()*180 - 90}
		b := orb.Point{a[0] + rng.NormFloat64()*0.2, math.Max(-90, math.Min(90, a[1]+rng.NormFloat64()*0.2))}
		if i%10 == 0 { // far pairs too
			b = orb.Point{rng.Float64()*360 - 180, rng.Float64()*180 - 90}
		}
		want := float64(Distance(a, b))
		got := float64(UnitVectorOf(a).Distance(UnitVectorOf(b)))
		if math.Abs(got-want) > 1e-6*math.Max(1, want) {
			t.Fatalf("%v to %v: unit-vector distance %.6f m, haversine %.6f m", a, b, got, want)
		}
	}
}

package geo

import (
	"math"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// Meters is a distance in metres.
type Meters float64

// Km returns the distance in kilometres.
func (m Meters) Km() float64 { return float64(m) / 1000 }

// Distance returns the great-circle distance between two lon/lat points.
func Distance(a, b orb.Point) Meters {
	return Meters(orbgeo.DistanceHaversine(a, b))
}

// UnitVector is a point on the unit sphere. Computing one per point makes distances between many pairs of
// points cheap: one square root and one arcsine a pair instead of the haversine's trigonometry.
type UnitVector [3]float64

// UnitVectorOf returns the unit vector of a lon/lat point.
func UnitVectorOf(p orb.Point) UnitVector { return UnitVector(unitVector(p)) }

// Distance returns the great-circle distance to b: 2R·asin(chord/2), the same as Distance on the points.
// Below a chord of 0.05 (about 320 km) the arcsine's series c + c³/24 + 3c⁵/640 is used instead: its
// error there is under 0.004 mm (3.5 µm at a chord of 0.05), and it is several times faster than math.Asin.
func (a UnitVector) Distance(b UnitVector) Meters {
	c := math.Sqrt(chord2(a, b))
	if c < 0.05 {
		c2 := c * c
		return Meters(orb.EarthRadius * c * (1 + c2/24 + 3*c2*c2/640))
	}
	return Meters(2 * orb.EarthRadius * math.Asin(math.Min(1, c/2)))
}

package geo

import (
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

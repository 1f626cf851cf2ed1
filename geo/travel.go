package geo

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Travel turns straight-line distance into road distance and travel time.
type Travel struct {
	Circuity   float64     // road distance / great-circle distance, e.g. 1.3
	Congestion [24]float64 // speed multiplier by hour of day (1 = the vehicle's nominal speed)
}

// DefaultTravel returns a circuity of 1.3 and a weekday congestion profile typical of a
// Chinese megacity: free-flowing nights, morning and evening peaks at about half speed.
func DefaultTravel() Travel {
	return Travel{
		Circuity: 1.3,
		Congestion: [24]float64{
			1.2, 1.2, 1.2, 1.2, 1.2, 1.1, // 00-05
			0.9, 0.6, 0.55, 0.7, 0.85, 0.85, // 06-11
			0.8, 0.85, 0.85, 0.8, 0.7, 0.55, // 12-17
			0.55, 0.7, 0.85, 0.95, 1.05, 1.1, // 18-23
		},
	}
}

// Validate reports the first field out of range: circuity must be in [1, 3] and each
// congestion multiplier in (0, 2].
func (t Travel) Validate() error {
	// Written as !(in range) so that NaN is rejected too.
	if !(t.Circuity >= 1 && t.Circuity <= 3) {
		return fmt.Errorf("circuity: must be in [1, 3], got %v", t.Circuity)
	}
	for h, m := range t.Congestion {
		if !(m > 0 && m <= 2) {
			return fmt.Errorf("congestion[%d]: must be in (0, 2], got %v", h, m)
		}
	}
	return nil
}

// Road returns the road distance between a and b: Circuity times the great-circle distance.
func (t Travel) Road(a, b orb.Point) Meters {
	return Meters(t.Circuity) * Distance(a, b)
}

// Minutes returns travel minutes for d at nominal speed speedKmh when departing at
// minute-of-simulation departMinute (minute 0 = 00:00 of day 0; hour of day =
// (departMinute/60) mod 24; the multiplier of that hour applies to the whole leg).
// It returns +Inf when the effective speed is not positive, as for a zero Travel.
// O(1); a leg spanning a peak is charged at its departure hour, which is simple
// and keeps travel times consistent between the quote and the route.
func (t Travel) Minutes(d Meters, speedKmh float64, departMinute float64) float64 {
	speed := speedKmh * t.Congestion[hourOfDay(departMinute)]
	if !(speed > 0) {
		return math.Inf(1)
	}
	return d.Km() / speed * 60
}

// hourOfDay maps a minute of simulation, negative ones included, to 0..23.
func hourOfDay(minute float64) int {
	h := math.Mod(math.Floor(minute/60), 24)
	if h < 0 {
		h += 24
	}
	if !(h >= 0 && h < 24) { // NaN or ±Inf: an index must never panic
		return 0
	}
	return int(h)
}

package sim

import (
	"math"
	"math/rand/v2"
	"sort"

	"github.com/paulmach/orb"

	"github.com/carriersim/carriersim/fixtures"
	"github.com/carriersim/carriersim/geo"
)

// loadCities reads the embedded prefecture cities.
func loadCities() ([]OriginCity, error) {
	rows, err := fixtures.PrefectureCities()
	if err != nil {
		return nil, err
	}
	out := make([]OriginCity, len(rows))
	for i, c := range rows {
		out[i] = OriginCity{Name: c.Name, Pinyin: c.Pinyin, Code: c.Code, Point: orb.Point{c.Lon, c.Lat}, Population: c.Population}
	}
	return out, nil
}

// originSampler picks the city a line-haul order ships from by a gravity model, mass times (distance /
// 100 km) to the power -decay (decay 0: mass alone), excluding cities within 50 km of the simulated city
// (those count as local). A city's mass is its population, unless shares gives it a measured share of the
// country's parcels: then it is that share of all cities' population, and the other cities scale their
// populations to share the rest.
type originSampler struct {
	cities []OriginCity
	cum    []float64
	km     []float64 // great-circle km to the simulated city's centre
}

func (o *originSampler) init(cities []OriginCity, centre orb.Point, decay float64, shares map[string]float64) {
	// Masses: with no shares, rest is exactly 1 and every mass exactly the population, so scenarios without
	// shares draw as before.
	var all, listed, share float64
	for _, c := range cities {
		if c.Population > 0 {
			all += c.Population
			if s, ok := shares[c.Code]; ok {
				listed += c.Population
				share += s
			}
		}
	}
	rest := 1.0
	if len(shares) > 0 && all > listed {
		rest = (1 - share) * all / (all - listed)
	}
	var total float64
	for _, c := range cities {
		km := geo.Distance(c.Point, centre).Km()
		if km < 50 || c.Population <= 0 {
			continue
		}
		mass := c.Population * rest
		if s, ok := shares[c.Code]; ok {
			mass = s * all
		}
		// Pow(x, -0) is exactly 1, so decay 0 draws exactly as mass alone.
		total += mass * math.Pow(km/100, -decay)
		o.cities = append(o.cities, c)
		o.cum = append(o.cum, total)
		o.km = append(o.km, km)
	}
}

// draw returns the great-circle km from the origin city to the simulated city.
func (o *originSampler) draw(rng *rand.Rand) float64 {
	if len(o.cum) == 0 {
		return 0
	}
	r := rng.Float64() * o.cum[len(o.cum)-1]
	return o.km[min(sort.SearchFloat64s(o.cum, r), len(o.km)-1)]
}

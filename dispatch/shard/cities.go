package shard

import (
	"math"
	"slices"
	"strconv"

	"github.com/carriersim/carriersim/fixtures"
)

// City is one prefecture city of a national run, with the demand and circle derived for it.
type City struct {
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	Pinyin   string  `json:"pinyin"`
	Province string  `json:"province"` // 2-digit province code
	Lon      float64 `json:"lon"`
	Lat      float64 `json:"lat"`
	// Population is the fixture's figure, or an estimate (PopulationSource "estimated"): the smaller of the
	// median population of its province's cities and their median density times the city's polygon area.
	Population       float64 `json:"population"`
	PopulationSource string  `json:"population_source"`
	// ParcelsPerPersonDay and its source ("province" or "national").
	ParcelsPerPersonDay float64 `json:"parcels_per_person_day"`
	RateSource          string  `json:"rate_source"`
	// Orders is the design (ordinary-day) volume at the plan's scale; the simulated day has Orders times
	// the peak multiplier. DayOrders is that day's expected count, the shard balancing weight.
	Orders    int     `json:"orders"`
	DayOrders int     `json:"day_orders"`
	RadiusKm  float64 `json:"radius_km"`
	// Seed is the city's run seed; NetworkSeed places its stations.
	Seed        uint64 `json:"seed"`
	NetworkSeed uint64 `json:"network_seed"`
}

// prefecture is a row of the embedded prefecture-city table.
type prefecture struct {
	code, name, pinyin, province string
	lon, lat, pop, areaKm2       float64
}

// readPrefectures reads the embedded prefecture cities (fixtures.PrefectureCities).
func readPrefectures() ([]prefecture, error) {
	rows, err := fixtures.PrefectureCities()
	if err != nil {
		return nil, err
	}
	out := make([]prefecture, len(rows))
	for i, c := range rows {
		out[i] = prefecture{code: c.Code, name: c.Name, pinyin: c.Pinyin, province: c.Province, lon: c.Lon, lat: c.Lat,
			pop: c.Population, areaKm2: c.AreaKm2}
	}
	return out, nil
}

// median of values (0 for none).
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	v = slices.Clone(v)
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// CitiesAt derives the cities of n at scale (the share of real volume, e.g. 0.01), in code order.
func (n *National) CitiesAt(scale float64) ([]City, error) {
	if !(scale > 0 && scale <= 1) {
		return nil, badInput("scale: expected a share of real volume in (0, 1], got %g", scale)
	}
	all, err := readPrefectures()
	if err != nil {
		return nil, err
	}
	// Population and density of each province's cities that have both, for the cities that lack one.
	dens, pops := map[string][]float64{}, map[string][]float64{}
	var everyDens, everyPop []float64
	for _, p := range all {
		if p.pop > 0 && p.areaKm2 > 0 {
			dens[p.province] = append(dens[p.province], p.pop/p.areaKm2)
			pops[p.province] = append(pops[p.province], p.pop)
			everyDens, everyPop = append(everyDens, p.pop/p.areaKm2), append(everyPop, p.pop)
		}
	}
	chosen := all
	if len(n.Cities) > 0 {
		chosen = nil
		for _, ref := range n.Cities {
			var hit []prefecture
			for _, p := range all {
				if ref == p.code || ref == p.name || ref == p.pinyin {
					hit = append(hit, p)
				}
			}
			if len(hit) != 1 {
				return nil, badInput("cities: %q names %d prefecture cities, want exactly one (give the 6-digit code)", ref, len(hit))
			}
			if slices.ContainsFunc(chosen, func(p prefecture) bool { return p.code == hit[0].code }) {
				return nil, badInput("cities: %q is listed twice", ref)
			}
			chosen = append(chosen, hit[0])
		}
	}
	out := make([]City, 0, len(chosen))
	for _, p := range chosen {
		c := City{Code: p.code, Name: p.name, Pinyin: p.pinyin, Province: p.province, Lon: p.lon, Lat: p.lat,
			Population: p.pop, PopulationSource: "fixture"}
		if c.Population <= 0 {
			// The smaller of the province's median city and its median density times the city's area: area
			// alone overstates the vast, empty prefectures of the west.
			d, m := median(dens[p.province]), median(pops[p.province])
			if d == 0 {
				d, m = median(everyDens), median(everyPop)
			}
			c.Population, c.PopulationSource = math.Round(min(m, d*p.areaKm2)), "estimated"
		}
		c.ParcelsPerPersonDay, c.RateSource = n.perPersonDay(p.province)
		design := c.Population * c.ParcelsPerPersonDay
		if n.OrdersPerCity > 0 {
			design = float64(n.OrdersPerCity)
		}
		c.Orders = max(1, int(math.Round(design*scale)))
		c.DayOrders = int(math.Round(float64(c.Orders) * n.PeakMultiplier))
		// The full city's urban land as one disc, shrunk with the volume simulated so that orders per km²
		// stay those of the real city (sqrt(scale) with population-based volumes).
		full := math.Sqrt(c.Population * n.UrbanM2PerPerson / 1e6 / math.Pi)
		share := float64(c.Orders) / (c.Population * c.ParcelsPerPersonDay)
		c.RadiusKm = math.Max(n.MinRadiusKm, math.Round(full*math.Sqrt(min(1, share))*1000)/1000)
		code, _ := strconv.ParseUint(p.code, 10, 64)
		c.Seed = mix(n.Seed ^ code)
		c.NetworkSeed = mix(n.Seed ^ code<<20)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b City) int { return cmpString(a.Code, b.Code) })
	return out, nil
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// mix is SplitMix64's finaliser: distinct inputs give well-spread, distinct seeds.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

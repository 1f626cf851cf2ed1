package sim

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strconv"

	"github.com/paulmach/orb"

	"github.com/carriersim/carriersim/fixtures"
	"github.com/carriersim/carriersim/geo"
)

const citiesFile = "china_prefecture_cities.csv"

// loadCities reads the embedded prefecture cities; population is SimpleMaps', else GeoNames'.
func loadCities() ([]OriginCity, error) {
	f, err := fixtures.Open(citiesFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", citiesFile, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for _, want := range []string{"adcode", "name_zh", "pinyin", "lat", "lng", "simplemaps_population", "geonames_population"} {
		if _, ok := col[want]; !ok {
			return nil, fmt.Errorf("%s: line 1: missing column %q", citiesFile, want)
		}
	}
	var out []OriginCity
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", citiesFile, err)
		}
		lat, err1 := strconv.ParseFloat(rec[col["lat"]], 64)
		lng, err2 := strconv.ParseFloat(rec[col["lng"]], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s: line %d: lat/lng: expected decimal degrees", citiesFile, line)
		}
		pop, _ := strconv.ParseFloat(rec[col["simplemaps_population"]], 64)
		if pop <= 0 {
			pop, _ = strconv.ParseFloat(rec[col["geonames_population"]], 64)
		}
		out = append(out, OriginCity{Name: rec[col["name_zh"]], Pinyin: rec[col["pinyin"]], Code: rec[col["adcode"]],
			Point: orb.Point{lng, lat}, Population: pop})
	}
	return out, nil
}

// originSampler picks the city a line-haul order ships from, weighted by population, excluding cities
// within 50 km of the simulated city (those count as local).
type originSampler struct {
	cities []OriginCity
	cum    []float64
	km     []float64 // great-circle km to the simulated city's centre
}

func (o *originSampler) init(cities []OriginCity, centre orb.Point) {
	var total float64
	for _, c := range cities {
		km := geo.Distance(c.Point, centre).Km()
		if km < 50 || c.Population <= 0 {
			continue
		}
		total += c.Population
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

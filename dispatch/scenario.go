package dispatch

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
)

// Scenario describes one simulated world: a city, its demand, the carriers' networks and the access
// policies to compare. It is decoded strictly from JSON (unknown fields are errors) and checked by Validate.
// Every default is explained, with its source, in docs/parameters.md.
type Scenario struct {
	Version     int        `json:"version"`
	Name        string     `json:"name"`
	Description string     `json:"description,omitempty"`
	City        City       `json:"city"`
	Demand      Demand     `json:"demand"`
	Goods       Goods      `json:"goods"`
	Products    []Product  `json:"products"`
	Platforms   []Platform `json:"platforms"`
	Carriers    []Carrier  `json:"carriers"`
	Policies    []Policy   `json:"policies"`
	Travel      Travel     `json:"travel"`
	Routing     Routing    `json:"routing"`
}

// City is the simulated area: district polygons with demand weights.
type City struct {
	Name string `json:"name"`
	// Zones names an embedded GeoJSON file of district polygons (e.g. "beijing_districts.geojson").
	Zones string `json:"zones,omitempty"`
	// Prefecture and RadiusKm describe the city instead of Zones: a circle of RadiusKm around the city point
	// of one of China's 337 prefecture cities (its pinyin, Chinese name or 6-digit code, e.g. "yantai").
	Prefecture string  `json:"prefecture,omitempty"`
	RadiusKm   float64 `json:"radius_km,omitempty"`
	// ZoneWeights gives each district's share of demand (any positive scale, e.g. resident population),
	// keyed by the polygon's "name" property. Districts not listed get no orders. Not used with Prefecture.
	ZoneWeights map[string]float64 `json:"zone_weights,omitempty"`
	// Spread is the standard deviation of destinations around a district's label point, as a fraction of
	// the square root of the district's area; the rest (UniformShare) is spread evenly over the polygon.
	Spread       float64 `json:"spread"`
	UniformShare float64 `json:"uniform_share"`
}

// Demand is the seeded order generator's configuration.
type Demand struct {
	// Orders is the number of orders created on the simulated day.
	Orders int `json:"orders"`
	// Hourly is the relative order creation rate for each hour of the day.
	Hourly [24]float64 `json:"hourly"`
	// NetworkSeed fixes station placement; it is separate from the run seed so that every run of a scenario
	// sees the same carrier networks.
	NetworkSeed uint64 `json:"network_seed"`
	// PlanningSample is how many demand points station placement draws.
	PlanningSample int `json:"planning_sample"`
	// PeakMultiplier scales the day's orders (e.g. 1.7 on Double-11) while the networks stay sized for
	// Orders: peaks test capacity built for an ordinary day.
	PeakMultiplier float64 `json:"peak_multiplier"`
	// RemoteKmPerDay adds a day to the promise of an order shipped from another city per this many road km.
	RemoteKmPerDay float64 `json:"remote_km_per_day"`
}

// Goods gives each category's size, handling time, promise and value of time.
type Goods struct {
	Parcel           GoodsSpec `json:"parcel"`
	Bulky            GoodsSpec `json:"bulky"`
	ApplianceInstall GoodsSpec `json:"appliance_install"`
}

// Spec returns the specification of category c.
func (g *Goods) Spec(c Category) *GoodsSpec {
	switch c {
	case Bulky:
		return &g.Bulky
	case ApplianceInstall:
		return &g.ApplianceInstall
	}
	return &g.Parcel
}

// GoodsSpec describes one category of goods.
type GoodsSpec struct {
	// WeightKg and VolumeL are uniform ranges (parcel and bulky; installs take them from their product).
	WeightKg [2]float64 `json:"weight_kg,omitempty"`
	VolumeL  [2]float64 `json:"volume_l,omitempty"`
	// Promise is "211" (ordered by 11:00: same day 23:00; by 23:00: next day 15:00; plus ExtraDays) or
	// "appointment" (the customer's chosen half-day slot).
	Promise   string `json:"promise"`
	ExtraDays int    `json:"extra_days,omitempty"`
	// AppointmentDays is the customer's preferred day: weights for 1, 2, 3, ... days after the day the order
	// is created (plus ExtraDays and line-haul days; appointment promise only).
	AppointmentDays []float64 `json:"appointment_days,omitempty"`
	// AppointmentSlots are the start times of the half-day slots a customer can book, each
	// AppointmentSlotMinutes long (appointment promise only).
	AppointmentSlots       []Clock `json:"appointment_slots,omitempty"`
	AppointmentSlotMinutes float64 `json:"appointment_slot_minutes,omitempty"`
	// ValueOfTimeCNYPerHour prices an hour of waiting when a policy compares quotes.
	ValueOfTimeCNYPerHour float64 `json:"value_of_time_cny_per_hour"`
	// LatePenaltyCNY is what a merchant counts against a quote that misses the promise (compensation,
	// ratings): for installs, a quote whose slot is not the customer's preferred one.
	LatePenaltyCNY float64 `json:"late_penalty_cny"`
}

// Product is a kind of large appliance or furniture delivered with installation.
type Product struct {
	ID    string  `json:"id"`
	Name  string  `json:"name"`
	Share float64 `json:"share"` // share of appliance_install orders
	// WeightKg and VolumeL are uniform ranges.
	WeightKg [2]float64 `json:"weight_kg"`
	VolumeL  [2]float64 `json:"volume_l"`
	// Skill is what the installing crew must have (e.g. "air_conditioner").
	Skill string `json:"skill"`
	// InstallMinutes is a triangular distribution: minimum, mode, maximum.
	InstallMinutes [3]float64 `json:"install_minutes"`
	// CrewSize is how many installers the job needs.
	CrewSize int `json:"crew_size"`
}

// Platform is an e-commerce platform whose orders the city receives.
type Platform struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Share       float64 `json:"share"`        // share of all orders
	FirstParty  float64 `json:"first_party"`  // share of this platform's orders sold by the platform itself (1P)
	HomeCarrier string  `json:"home_carrier"` // the carrier of the platform's group (closed access)
	// Mix is the share of parcel, bulky and appliance_install orders.
	Mix map[string]float64 `json:"mix"`
	// LocalOrigin is the share of orders shipped from a warehouse in the city; the rest come by line-haul
	// from another prefecture city chosen by population.
	LocalOrigin float64 `json:"local_origin"`
}

// Carrier is a logistics network: sorting centres, delivery stations, fleets and crews.
type Carrier struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// OrdersPerStation sets the number of delivery stations: expected closed-access daily orders / this.
	OrdersPerStation int `json:"orders_per_station"`
	// MinStations is the fewest stations the carrier keeps in the city whatever the volume, for coverage.
	MinStations    int `json:"min_stations"`
	SortingCenters int `json:"sorting_centers"`
	// PickupMinutes: from order creation until the goods leave the merchant (every order); a city-warehouse
	// order then reaches the sorting centre, a line-haul order starts its trip.
	PickupMinutes float64 `json:"pickup_minutes"`
	// SortMinutes: dwell in the sorting centre before the shuttle leaves for the station.
	SortMinutes float64 `json:"sort_minutes"`
	// LinehaulKmh is the average line-haul speed, loading and waiting included.
	LinehaulKmh      float64 `json:"linehaul_kmh"`
	LinehaulCNYPerKm float64 `json:"linehaul_cny_per_km"` // per order and road km
	LocalPickupCNY   float64 `json:"local_pickup_cny"`    // first-mile cost of a city-warehouse order
	SortingCNY       float64 `json:"sorting_cny"`         // per order
	ShuttleKmh       float64 `json:"shuttle_kmh"`         // sorting centre to station trucks
	// Stations, when given, fixes the delivery stations (e.g. known depots) instead of placing them from
	// demand; OrdersPerStation and MinStations are then unused.
	Stations []FixedStation `json:"stations,omitempty"`
	// InstallModel is "integrated" (送装一体: one crew and truck deliver and install in one visit) or
	// "split" (the bulky truck delivers; an installer crew visits in a later appointment slot).
	InstallModel string  `json:"install_model"`
	Fleets       []Fleet `json:"fleets"`
}

// FixedStation is a delivery station at a known position.
type FixedStation struct {
	ID  string  `json:"id"`
	Lon float64 `json:"lon"`
	Lat float64 `json:"lat"`
}

// Install models.
const (
	Integrated = "integrated"
	Split      = "split"
)

// Fleet is one kind of vehicle or crew at every station of a carrier, working in waves.
type Fleet struct {
	Name       string   `json:"name"`
	Categories []string `json:"categories"`
	// Waves are the start times of the fleet's shifts each day; each shift lasts WaveMinutes.
	Waves       []Clock `json:"waves"`
	WaveMinutes float64 `json:"wave_minutes"`
	// Days is how many days of waves exist from day 0 (the booking horizon).
	Days     int     `json:"days"`
	SpeedKmh float64 `json:"speed_kmh"`
	// Capacity per vehicle per wave. Install crews are limited by Minutes (crew-minutes per slot).
	Capacity FleetCapacity `json:"capacity"`
	// ServiceMinutes is the handover time at each stop (installation comes on top).
	ServiceMinutes float64 `json:"service_minutes"`
	FixedCNY       float64 `json:"fixed_cny"` // per vehicle and wave when used
	PerKmCNY       float64 `json:"per_km_cny"`
	PerHourCNY     float64 `json:"per_hour_cny"`
	// PerStation fixes the number of vehicles per station and wave; 0 sizes it from the station's expected
	// closed-access demand times Headroom.
	PerStation int     `json:"per_station"`
	Headroom   float64 `json:"headroom"`
	// Skills of an install crew, and its size in persons (install fleets only).
	Skills   []string `json:"skills,omitempty"`
	CrewSize int      `json:"crew_size,omitempty"`
}

// FleetCapacity is what one vehicle or crew takes in one wave.
type FleetCapacity struct {
	Count    int     `json:"count"`
	VolumeL  float64 `json:"volume_l"`
	WeightKg float64 `json:"weight_kg"`
	Minutes  float64 `json:"minutes,omitempty"`
}

// IsInstall reports whether the fleet is an install crew (capacity counted in crew-minutes).
func (f *Fleet) IsInstall() bool { return f.Capacity.Minutes > 0 }

// Policy is an access regime: which orders may use which carrier, and how they choose.
type Policy struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Open selects the orders that may use any carrier; all others use their platform's home carrier.
	Open []Selector `json:"open"`
	// Choice is "best_quote" (minimum of cost + value of time x hours to ETA + the late penalty when the quote
	// misses the promise) or "overflow" (the home carrier unless it cannot meet the promise, then the best
	// other quote).
	Choice string `json:"choice"`
}

// Selector matches orders; an empty field matches anything.
type Selector struct {
	Platform string `json:"platform,omitempty"`
	Merchant string `json:"merchant,omitempty"` // "1p" or "3p"
	Category string `json:"category,omitempty"`
}

// Travel holds the road model shared by all vehicles.
type Travel struct {
	Circuity   float64     `json:"circuity"`
	Congestion [24]float64 `json:"congestion"`
}

// Routing bounds the wave router.
type Routing struct {
	// Iterations of local search per station-wave (deterministic); 0 means construction and descent only.
	Iterations int `json:"iterations"`
	// MaxWaveStops cuts a station-wave of more stops into sectors around the station, routed on their own
	// with shares of the wave's vehicles and iterations; 0 routes every wave whole.
	MaxWaveStops int `json:"max_wave_stops,omitempty"`
	// MaxIterationsPerStop caps a wave's (or sector's) iterations at this many per stop; 0 means no cap.
	MaxIterationsPerStop int `json:"max_iterations_per_stop,omitempty"`
}

// ErrInvalid marks scenario validation failures.
var ErrInvalid = errors.New("invalid scenario")

// DecodeScenario reads a scenario strictly: unknown fields and trailing data are errors naming the file.
func DecodeScenario(r io.Reader, name string) (*Scenario, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Scenario
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("%s: %w: %s", name, ErrInvalid, describeJSONError(data, err))
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: %w: unexpected data after the scenario object", name, ErrInvalid)
	}
	return &s, nil
}

// describeJSONError turns encoding/json's errors into "line N: ..." messages.
func describeJSONError(data []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("line %d: %v", lineOf(data, syn.Offset), syn)
	case errors.As(err, &typ):
		return fmt.Sprintf("line %d: %s: expected %s, got %s", lineOf(data, typ.Offset), typ.Field, typ.Type, typ.Value)
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return "unknown field " + f
	}
	return strings.TrimPrefix(msg, "json: ")
}

func lineOf(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

// problems collects validation messages with their JSON paths.
type problems []string

func (p *problems) add(path, format string, args ...any) {
	*p = append(*p, path+": "+fmt.Sprintf(format, args...))
}

func (p *problems) positive(path string, v float64) {
	if !(v > 0) || math.IsInf(v, 0) {
		p.add(path, "must be positive, got %v", v)
	}
}

func (p *problems) share(path string, v float64) {
	if !(v >= 0 && v <= 1) {
		p.add(path, "must be within [0, 1], got %v", v)
	}
}

func (p *problems) nonNeg(path string, v float64) {
	if !(v >= 0) || math.IsInf(v, 0) {
		p.add(path, "must be zero or positive, got %v", v)
	}
}

func (p *problems) rng(path string, r [2]float64) {
	if !(r[0] >= 0 && r[1] >= r[0]) || math.IsInf(r[1], 0) {
		p.add(path, "must be a range [min, max] with 0 <= min <= max, got %v", r)
	}
}

// ValidationError lists every problem found in a scenario, each with its JSON path.
type ValidationError struct{ Problems []string }

func (e *ValidationError) Error() string {
	if len(e.Problems) == 1 {
		return e.Problems[0]
	}
	return fmt.Sprintf("%s (and %d more problems)", e.Problems[0], len(e.Problems)-1)
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// Validate checks every field and returns a *ValidationError listing all problems, or nil.
func (s *Scenario) Validate() error {
	var p problems
	if s.Version != 1 {
		p.add("version", "must be 1, got %d", s.Version)
	}
	if s.Name == "" {
		p.add("name", "must not be empty")
	}
	c := &s.City
	switch {
	case c.Zones != "" && c.Prefecture != "":
		p.add("city", "give either zones or prefecture and radius_km, not both")
	case c.Zones == "" && c.Prefecture == "":
		p.add("city.zones", "must name a district GeoJSON file (or give city.prefecture and city.radius_km)")
	case c.Prefecture != "":
		if !(c.RadiusKm >= 1 && c.RadiusKm <= 200) {
			p.add("city.radius_km", "must be within [1, 200], got %v", c.RadiusKm)
		}
		if len(c.ZoneWeights) > 0 {
			p.add("city.zone_weights", "must be left out with city.prefecture (the circle is one zone)")
		}
	default:
		if len(c.ZoneWeights) == 0 {
			p.add("city.zone_weights", "must give at least one district a weight")
		}
	}
	for _, k := range sortedKeys(c.ZoneWeights) {
		p.nonNeg("city.zone_weights."+k, c.ZoneWeights[k])
	}
	p.nonNeg("city.spread", c.Spread)
	p.share("city.uniform_share", c.UniformShare)

	d := &s.Demand
	if d.Orders < 1 {
		p.add("demand.orders", "must be a positive number, got %d", d.Orders)
	}
	var hsum float64
	for h, w := range d.Hourly {
		p.nonNeg(fmt.Sprintf("demand.hourly[%d]", h), w)
		hsum += w
	}
	if !(hsum > 0) {
		p.add("demand.hourly", "must have a positive total")
	}
	p.positive("demand.remote_km_per_day", d.RemoteKmPerDay)
	if !(d.PeakMultiplier >= 0.1 && d.PeakMultiplier <= 5) {
		p.add("demand.peak_multiplier", "must be within [0.1, 5], got %v", d.PeakMultiplier)
	}
	if d.PlanningSample < 100 {
		p.add("demand.planning_sample", "must be at least 100, got %d", d.PlanningSample)
	}

	for _, cat := range Categories() {
		g := s.Goods.Spec(cat)
		path := "goods." + cat.String()
		if cat != ApplianceInstall {
			p.rng(path+".weight_kg", g.WeightKg)
			p.rng(path+".volume_l", g.VolumeL)
		}
		p.nonNeg(path+".value_of_time_cny_per_hour", g.ValueOfTimeCNYPerHour)
		p.nonNeg(path+".late_penalty_cny", g.LatePenaltyCNY)
		if g.ExtraDays < 0 || g.ExtraDays > 30 {
			p.add(path+".extra_days", "must be within [0, 30], got %d", g.ExtraDays)
		}
		if want := map[bool]string{true: "appointment", false: "211"}[cat == ApplianceInstall]; g.Promise != want && (g.Promise == "211" || g.Promise == "appointment") {
			p.add(path+".promise", "must be %q for %s orders, got %q", want, cat, g.Promise)
		}
		switch g.Promise {
		case "211":
		case "appointment":
			if len(g.AppointmentDays) == 0 {
				p.add(path+".appointment_days", "must give at least one day weight")
			}
			var sum float64
			for i, w := range g.AppointmentDays {
				p.nonNeg(fmt.Sprintf("%s.appointment_days[%d]", path, i), w)
				sum += w
			}
			if len(g.AppointmentDays) > 0 && !(sum > 0) {
				p.add(path+".appointment_days", "must have a positive total")
			}
			if len(g.AppointmentSlots) == 0 {
				p.add(path+".appointment_slots", "must list at least one slot start")
			}
			p.positive(path+".appointment_slot_minutes", g.AppointmentSlotMinutes)
		default:
			p.add(path+".promise", "must be \"211\" or \"appointment\", got %q", g.Promise)
		}
	}

	skills := map[string]bool{}
	productIDs := map[string]bool{}
	var pshare float64
	for i, pr := range s.Products {
		path := fmt.Sprintf("products[%d]", i)
		if pr.ID == "" || productIDs[pr.ID] {
			p.add(path+".id", "must be a unique, non-empty id, got %q", pr.ID)
		}
		productIDs[pr.ID] = true
		p.share(path+".share", pr.Share)
		pshare += pr.Share
		p.rng(path+".weight_kg", pr.WeightKg)
		p.rng(path+".volume_l", pr.VolumeL)
		if pr.Skill == "" {
			p.add(path+".skill", "must name the skill installing it requires")
		}
		skills[pr.Skill] = true
		m := pr.InstallMinutes
		if !(m[0] > 0 && m[0] <= m[1] && m[1] <= m[2] && m[2] <= 24*60) {
			p.add(path+".install_minutes", "must be [min, mode, max] with 0 < min <= mode <= max <= 1440, got %v", m)
		}
		if pr.CrewSize < 1 {
			p.add(path+".crew_size", "must be a positive number, got %d", pr.CrewSize)
		}
	}
	if len(s.Products) == 0 {
		p.add("products", "must list at least one product for appliance_install orders")
	} else if math.Abs(pshare-1) > 1e-6 {
		p.add("products", "shares must add up to 1, got %v", pshare)
	}

	carrierIdx := map[string]int{}
	for i, cr := range s.Carriers {
		path := fmt.Sprintf("carriers[%d]", i)
		if cr.ID == "" {
			p.add(path+".id", "must not be empty")
		} else if _, dup := carrierIdx[cr.ID]; dup {
			p.add(path+".id", "duplicate carrier id %q", cr.ID)
		}
		carrierIdx[cr.ID] = i
		if len(cr.Stations) == 0 {
			if cr.OrdersPerStation < 1 {
				p.add(path+".orders_per_station", "must be a positive number, got %d", cr.OrdersPerStation)
			}
			if cr.MinStations < 1 {
				p.add(path+".min_stations", "must be a positive number, got %d", cr.MinStations)
			}
		}
		stationIDs := map[string]bool{}
		for j, st := range cr.Stations {
			sp := fmt.Sprintf("%s.stations[%d]", path, j)
			if st.ID == "" || stationIDs[st.ID] {
				p.add(sp+".id", "must be a unique, non-empty id, got %q", st.ID)
			}
			stationIDs[st.ID] = true
			if !(st.Lon >= -180 && st.Lon <= 180) {
				p.add(sp+".lon", "must be within [-180, 180], got %v", st.Lon)
			}
			if !(st.Lat >= -90 && st.Lat <= 90) {
				p.add(sp+".lat", "must be within [-90, 90], got %v", st.Lat)
			}
		}
		if cr.SortingCenters < 1 {
			p.add(path+".sorting_centers", "must be a positive number, got %d", cr.SortingCenters)
		}
		p.nonNeg(path+".pickup_minutes", cr.PickupMinutes)
		p.nonNeg(path+".sort_minutes", cr.SortMinutes)
		p.positive(path+".linehaul_kmh", cr.LinehaulKmh)
		p.positive(path+".shuttle_kmh", cr.ShuttleKmh)
		p.nonNeg(path+".linehaul_cny_per_km", cr.LinehaulCNYPerKm)
		p.nonNeg(path+".local_pickup_cny", cr.LocalPickupCNY)
		p.nonNeg(path+".sorting_cny", cr.SortingCNY)
		if cr.InstallModel != Integrated && cr.InstallModel != Split {
			p.add(path+".install_model", "must be %q or %q, got %q", Integrated, Split, cr.InstallModel)
		}
		served := map[Category]string{}
		crewSkills := map[string]int{}
		for j := range cr.Fleets {
			f := &cr.Fleets[j]
			fp := fmt.Sprintf("%s.fleets[%d]", path, j)
			validateFleet(&p, fp, f, served)
			for k, sk := range f.Skills {
				if !skills[sk] {
					p.add(fmt.Sprintf("%s.skills[%d]", fp, k), "no product needs skill %q", sk)
				}
				crewSkills[sk] = max(crewSkills[sk], f.CrewSize)
			}
			if f.IsInstall() && f.CrewSize < 1 {
				p.add(fp+".crew_size", "must be a positive number for an install crew, got %d", f.CrewSize)
			}
			for _, name := range f.Categories {
				c, err := ParseCategory(name)
				if err != nil {
					continue
				}
				heaviest := 0.0
				if c == ApplianceInstall || (c == Bulky && cr.InstallModel == Split) {
					for _, pr := range s.Products {
						heaviest = math.Max(heaviest, pr.WeightKg[1])
					}
				}
				if c != ApplianceInstall {
					heaviest = math.Max(heaviest, s.Goods.Spec(c).WeightKg[1])
				}
				if heaviest > f.Capacity.WeightKg {
					p.add(fp+".capacity.weight_kg", "%v kg cannot carry the heaviest %s item (%v kg)", f.Capacity.WeightKg, name, heaviest)
				}
			}
		}
		for _, cat := range Categories() {
			if _, ok := served[cat]; !ok && cat != ApplianceInstall {
				p.add(path+".fleets", "no fleet serves category %s", cat)
			}
		}
		for i, pr := range s.Products {
			if crewSkills[pr.Skill] < pr.CrewSize {
				p.add(path+".fleets", "no install crew of %d or more with skill %q for products[%d] (%s)", pr.CrewSize, pr.Skill, i, pr.ID)
			}
		}
	}
	if len(s.Carriers) == 0 {
		p.add("carriers", "must list at least one carrier")
	}

	var share float64
	platformIdx := map[string]bool{}
	for i, pl := range s.Platforms {
		path := fmt.Sprintf("platforms[%d]", i)
		if pl.ID == "" {
			p.add(path+".id", "must not be empty")
		} else if platformIdx[pl.ID] {
			p.add(path+".id", "duplicate platform id %q", pl.ID)
		}
		platformIdx[pl.ID] = true
		p.share(path+".share", pl.Share)
		share += pl.Share
		p.share(path+".first_party", pl.FirstParty)
		p.share(path+".local_origin", pl.LocalOrigin)
		if _, ok := carrierIdx[pl.HomeCarrier]; !ok {
			p.add(path+".home_carrier", "must be one of the carriers' ids, got %q", pl.HomeCarrier)
		}
		var mix float64
		for _, k := range sortedKeys(pl.Mix) {
			if _, err := ParseCategory(k); err != nil {
				p.add(path+".mix."+k, "%v", err)
			}
			p.share(path+".mix."+k, pl.Mix[k])
			mix += pl.Mix[k]
		}
		if math.Abs(mix-1) > 1e-6 {
			p.add(path+".mix", "shares must add up to 1, got %v", mix)
		}
	}
	if len(s.Platforms) == 0 {
		p.add("platforms", "must list at least one platform")
	} else if math.Abs(share-1) > 1e-6 {
		p.add("platforms", "shares must add up to 1, got %v", share)
	}

	names := map[string]bool{}
	for i, pol := range s.Policies {
		path := fmt.Sprintf("policies[%d]", i)
		if pol.Name == "" {
			p.add(path+".name", "must not be empty")
		} else if names[pol.Name] {
			p.add(path+".name", "duplicate policy name %q", pol.Name)
		}
		names[pol.Name] = true
		if pol.Choice != "best_quote" && pol.Choice != "overflow" {
			p.add(path+".choice", "must be \"best_quote\" or \"overflow\", got %q", pol.Choice)
		}
		for j, sel := range pol.Open {
			sp := fmt.Sprintf("%s.open[%d]", path, j)
			if sel.Platform != "" && !platformIdx[sel.Platform] {
				p.add(sp+".platform", "must be one of the platforms' ids, got %q", sel.Platform)
			}
			if sel.Merchant != "" && sel.Merchant != "1p" && sel.Merchant != "3p" {
				p.add(sp+".merchant", "must be \"1p\" or \"3p\", got %q", sel.Merchant)
			}
			if sel.Category != "" {
				if _, err := ParseCategory(sel.Category); err != nil {
					p.add(sp+".category", "%v", err)
				}
			}
		}
	}
	if len(s.Policies) == 0 {
		p.add("policies", "must list at least one policy")
	}

	t := &s.Travel
	if !(t.Circuity >= 1 && t.Circuity <= 3) {
		p.add("travel.circuity", "must be within [1, 3], got %v", t.Circuity)
	}
	for h, m := range t.Congestion {
		if !(m > 0 && m <= 2) {
			p.add(fmt.Sprintf("travel.congestion[%d]", h), "must be within (0, 2], got %v", m)
		}
	}
	if s.Routing.Iterations < 0 {
		p.add("routing.iterations", "must be zero or positive, got %d", s.Routing.Iterations)
	}
	if s.Routing.MaxWaveStops < 0 {
		p.add("routing.max_wave_stops", "must be zero (no limit) or positive, got %d", s.Routing.MaxWaveStops)
	}
	if s.Routing.MaxIterationsPerStop < 0 {
		p.add("routing.max_iterations_per_stop", "must be zero (no cap) or positive, got %d", s.Routing.MaxIterationsPerStop)
	}
	if len(p) > 0 {
		return &ValidationError{Problems: p}
	}
	return nil
}

func validateFleet(p *problems, path string, f *Fleet, served map[Category]string) {
	if f.Name == "" {
		p.add(path+".name", "must not be empty")
	}
	if len(f.Categories) == 0 {
		p.add(path+".categories", "must list at least one category")
	}
	for k, name := range f.Categories {
		cat, err := ParseCategory(name)
		if err != nil {
			p.add(fmt.Sprintf("%s.categories[%d]", path, k), "%v", err)
			continue
		}
		if prev, dup := served[cat]; dup && cat != ApplianceInstall {
			p.add(fmt.Sprintf("%s.categories[%d]", path, k), "%s is already served by fleet %q", name, prev)
		}
		served[cat] = f.Name
		if cat == ApplianceInstall && !f.IsInstall() {
			p.add(path+".capacity.minutes", "must be positive for a fleet serving appliance_install")
		}
		if cat != ApplianceInstall && f.IsInstall() {
			p.add(path+".capacity.minutes", "must be left out for a fleet serving %s (crew-minutes make it an install crew)", name)
		}
		if cat == ApplianceInstall && len(f.Skills) == 0 {
			p.add(path+".skills", "must list the skills of a fleet serving appliance_install")
		}
	}
	if len(f.Waves) == 0 {
		p.add(path+".waves", "must list at least one wave start")
	}
	for k := 1; k < len(f.Waves); k++ {
		if f.Waves[k] <= f.Waves[k-1] {
			p.add(fmt.Sprintf("%s.waves[%d]", path, k), "must be later than the wave before it")
		}
	}
	p.positive(path+".wave_minutes", f.WaveMinutes)
	if f.WaveMinutes > 24*60 {
		p.add(path+".wave_minutes", "must be at most 1440, got %v", f.WaveMinutes)
	}
	if f.Days < 1 || f.Days > 60 {
		p.add(path+".days", "must be within [1, 60], got %d", f.Days)
	}
	p.positive(path+".speed_kmh", f.SpeedKmh)
	if f.Capacity.Count < 1 {
		p.add(path+".capacity.count", "must be a positive number, got %d", f.Capacity.Count)
	}
	p.positive(path+".capacity.volume_l", f.Capacity.VolumeL)
	p.positive(path+".capacity.weight_kg", f.Capacity.WeightKg)
	p.nonNeg(path+".capacity.minutes", f.Capacity.Minutes)
	p.nonNeg(path+".service_minutes", f.ServiceMinutes)
	p.nonNeg(path+".fixed_cny", f.FixedCNY)
	p.nonNeg(path+".per_km_cny", f.PerKmCNY)
	p.nonNeg(path+".per_hour_cny", f.PerHourCNY)
	if f.PerStation < 0 {
		p.add(path+".per_station", "must be zero or positive, got %d", f.PerStation)
	}
	if f.PerStation == 0 && !(f.Headroom >= 1 && f.Headroom <= 10) {
		p.add(path+".headroom", "must be within [1, 10] when per_station is 0, got %v", f.Headroom)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// PolicyByName returns the scenario's policy with that name.
func (s *Scenario) PolicyByName(name string) (*Policy, bool) {
	for i := range s.Policies {
		if s.Policies[i].Name == name {
			return &s.Policies[i], true
		}
	}
	return nil, false
}

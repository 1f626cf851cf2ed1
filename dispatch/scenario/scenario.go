package scenario

import (
	"fmt"
	"math"
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
	// Shifts are named demand shifts (see Shift); a run applies at most one, to every policy alike.
	Shifts  []Shift `json:"shifts,omitempty"`
	Travel  Travel  `json:"travel"`
	Routing Routing `json:"routing"`
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
	// Residents is the simulated area's resident population (0: not stated). Calibration compares the
	// networks' stations per resident with the city's outlets per resident.
	Residents float64 `json:"residents,omitempty"`
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
	// RemoteKmPerDay adds a day to the promise of an order shipped from another city per this many road km
	// (installs' appointment days; parcels' and bulky goods' promise too when RemotePromiseHours is 0).
	RemoteKmPerDay float64 `json:"remote_km_per_day"`
	// OriginDistanceDecay is the gravity model's distance exponent for the city a line-haul order ships from:
	// a city of population P at great-circle distance d is drawn with weight P × (d / 100 km)^-decay. 0 (the
	// default) weights by population alone.
	OriginDistanceDecay float64 `json:"origin_distance_decay,omitempty"`
	// OriginShares gives producing cities their measured mass in the gravity model: the share of the
	// country's parcels collected there, by 6-digit prefecture code (e.g. Jinhua-Yiwu "330700": 0.108).
	// The other cities share the rest of the mass by population. Empty: population alone.
	OriginShares map[string]float64 `json:"origin_shares,omitempty"`
	// RemotePromiseHours, when positive, is the promise of a parcel or bulky order shipped from another city:
	// this many hours from creation (plus the category's extra days), instead of the 211 rule plus a day per
	// RemoteKmPerDay.
	RemotePromiseHours float64 `json:"remote_promise_hours,omitempty"`
	// ParcelsPerResidentDay is how many parcels a resident of the area receives a day, and PlatformsShare
	// the share of them the scenario's platforms make up (0: not stated). Orders is their product times
	// City.Residents in a scenario at real density; calibration scales the city's outlets by PlatformsShare.
	ParcelsPerResidentDay float64 `json:"parcels_per_resident_day,omitempty"`
	PlatformsShare        float64 `json:"platforms_share,omitempty"`
	// ReplayScale, above 1, says that each replayed order stands for this many parcels of its day: a replay
	// adds generated background parcels (in no metric) to bring the stations and couriers to that volume,
	// and sizes the networks for it. 0 or 1: the replayed orders alone.
	ReplayScale float64 `json:"replay_scale,omitempty"`
	// Days is how many consecutive days of orders are simulated (0 or 1: one). With more, the first day is
	// a warm-up (the networks start empty) and the report covers the others, which start with the
	// backlog, bookings and crews' appointments of the days before them.
	Days int `json:"days,omitempty"`
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
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Share      float64 `json:"share"`       // share of all orders
	FirstParty float64 `json:"first_party"` // share of this platform's orders sold by the platform itself (1P)
	// HomeCarrier is the carrier of the platform's group (closed access); empty for a platform without one,
	// whose baseline must then give a carrier for every order.
	HomeCarrier string `json:"home_carrier"`
	// Mix is the share of parcel, bulky and appliance_install orders.
	Mix map[string]float64 `json:"mix"`
	// LocalOrigin is the share of orders shipped from a warehouse in the city; the rest come by line-haul
	// from another prefecture city chosen by population.
	LocalOrigin float64 `json:"local_origin"`
	// Baseline gives the carriers the platform's merchants use today (their current carrier mix), by
	// merchant type and category: the first matching rule's shares. Orders no rule matches use HomeCarrier.
	// Under a policy an order keeps its baseline carrier when it may (see Policy.Choice).
	Baseline []BaselineRule `json:"baseline,omitempty"`
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
	LinehaulKmh float64 `json:"linehaul_kmh"`
	// LinehaulDwellMinutes is the time a line-haul order spends in the network's hubs whatever the distance
	// (origin and transfer hubs' sorting and waiting), on top of the distance at LinehaulKmh.
	LinehaulDwellMinutes float64 `json:"linehaul_dwell_minutes,omitempty"`
	LinehaulCNYPerKm     float64 `json:"linehaul_cny_per_km"` // per order and road km
	LocalPickupCNY       float64 `json:"local_pickup_cny"`    // first-mile cost of a city-warehouse order
	SortingCNY           float64 `json:"sorting_cny"`         // per order
	ShuttleKmh           float64 `json:"shuttle_kmh"`         // sorting centre to station trucks
	// Stations, when given, fixes the delivery stations (e.g. known depots) instead of placing them from
	// demand; OrdersPerStation and MinStations are then unused.
	Stations []FixedStation `json:"stations,omitempty"`
	// InstallModel is "integrated" (送装一体: one crew and truck deliver and install in one visit) or
	// "split" (the bulky truck delivers; an installer crew visits in a later appointment slot).
	InstallModel string  `json:"install_model"`
	Fleets       []Fleet `json:"fleets"`
	// Network is "direct" (own stations and couriers) or "franchise" (outlets run by network partners);
	// descriptive, the difference is in the carrier's numbers. Empty when not stated.
	Network string `json:"network,omitempty"`
	// NationalShare is the carrier's share of China's parcel volume (descriptive; 0 when not known).
	NationalShare float64 `json:"national_share,omitempty"`
	// PricePremiumCNY is what a merchant pays per order above the carrier's cost estimate (its margin and
	// price level). It counts in the quote a merchant compares, not in the reported cost.
	PricePremiumCNY float64 `json:"price_premium_cny,omitempty"`
	// StationCNYPerDay is the fixed daily cost of one delivery station (rent, utilities, station staff),
	// paid whether the station is busy or not.
	StationCNYPerDay float64 `json:"station_cny_per_day,omitempty"`
	// TariffCNY is what the carrier is paid per delivered order, by category name (parcel, bulky,
	// appliance_install): the revenue of the per-carrier report. A missing category earns 0.
	TariffCNY map[string]float64 `json:"tariff_cny,omitempty"`
}

// Tariff returns the carrier's revenue per delivered order of category c.
func (c *Carrier) Tariff(cat Category) float64 { return c.TariffCNY[cat.String()] }

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
	// PerStopCNY is paid per delivered stop (a courier's piece rate); variable like the route costs.
	PerStopCNY float64 `json:"per_stop_cny,omitempty"`
	// DailyCNY is the fixed daily cost of one vehicle or crew of the fleet (the vehicle's ownership and the
	// couriers' or installers' guaranteed pay for the day), paid whether it runs or not.
	DailyCNY float64 `json:"daily_cny,omitempty"`
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
	// Access rules, when given, come first (see Allowed).
	Open []Selector `json:"open"`
	// Access is the access matrix: the first rule matching an order's platform x merchant x category lists
	// the carriers it may use.
	Access []AccessRule `json:"access,omitempty"`
	// Choice is the rule among the allowed carriers' quotes, each scored as cost estimate + price premium +
	// value of time x hours to ETA + the late penalty when the quote misses the promise: "best_quote" (the
	// lowest score), "overflow" (the order's baseline carrier unless it cannot meet the promise, then the best
	// other quote) or "sticky" (the baseline carrier unless another allowed quote scores more than
	// SwitchThresholdCNY lower; the best quote when the baseline carrier is not allowed or has no room).
	Choice string `json:"choice"`
	// SwitchThresholdCNY is the saving per order a merchant needs to leave its baseline carrier (sticky).
	SwitchThresholdCNY float64 `json:"switch_threshold_cny,omitempty"`
	// BaselineAccess names the policy whose access the merchants chose their baseline carriers under
	// (sticky). The carriers it allowed an order are no candidates for a switch: the merchant preferred its
	// carrier to them for reasons the quote does not see. Empty: every allowed carrier is a candidate.
	BaselineAccess string `json:"baseline_access,omitempty"`
}

// Selector matches orders; an empty field matches anything.
type Selector struct {
	Platform string `json:"platform,omitempty"`
	Merchant string `json:"merchant,omitempty"` // "1p" or "3p"
	Category string `json:"category,omitempty"`
}

// Matches reports whether the selector matches an order of that platform id, merchant type and category.
func (sel *Selector) Matches(platform string, firstParty bool, c Category) bool {
	return (sel.Platform == "" || sel.Platform == platform) &&
		(sel.Merchant == "" || sel.Merchant == Merchant(firstParty)) &&
		(sel.Category == "" || sel.Category == c.String())
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

// PolicyByName returns the scenario's policy with that name.
func (s *Scenario) PolicyByName(name string) (*Policy, bool) {
	for i := range s.Policies {
		if s.Policies[i].Name == name {
			return &s.Policies[i], true
		}
	}
	return nil, false
}

// PoliciesNamed resolves policy names, in the order given; an unknown name is an error naming the policies
// the scenario has.
func (s *Scenario) PoliciesNamed(names []string) ([]*Policy, error) {
	pols := make([]*Policy, len(names))
	for i, name := range names {
		p, ok := s.PolicyByName(name)
		if !ok {
			return nil, fmt.Errorf("unknown policy %q: scenario %s has %s", name, s.Name, s.PolicyNames())
		}
		pols[i] = p
	}
	return pols, nil
}

// PolicyNames lists the scenario's policy names, comma-separated, for messages.
func (s *Scenario) PolicyNames() string {
	names := make([]string, len(s.Policies))
	for i, p := range s.Policies {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

// DayOrders returns how many orders the simulated day has: the design volume times the peak multiplier.
func (s *Scenario) DayOrders() int {
	return int(math.Round(float64(s.Demand.Orders) * s.Demand.PeakMultiplier))
}

// SimDays is how many consecutive days of orders are simulated (demand.days, at least 1).
func (s *Scenario) SimDays() int { return max(1, s.Demand.Days) }

// ReportedDays is how many of them the report covers: all but the first when there are several.
func (s *Scenario) ReportedDays() int { return max(1, s.SimDays()-1) }

// WarmupDays is how many days before the simulated day contribute warm-up orders: installs booked up to
// that many days ahead still occupy crews on the simulated day's appointment days.
func (s *Scenario) WarmupDays() int { return len(s.Goods.ApplianceInstall.AppointmentDays) }

// Opens reports whether the policy lets an order of that platform (an index into s.Platforms), merchant
// type and category choose among all carriers.
func (p *Policy) Opens(s *Scenario, platform int, firstParty bool, c Category) bool {
	for i := range p.Open {
		if p.Open[i].Matches(s.Platforms[platform].ID, firstParty, c) {
			return true
		}
	}
	return false
}

// Merchant returns "1p" for goods sold by the platform itself, "3p" for a third-party merchant's.
func Merchant(firstParty bool) string {
	if firstParty {
		return "1p"
	}
	return "3p"
}

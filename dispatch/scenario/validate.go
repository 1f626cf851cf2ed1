package scenario

import (
	"fmt"
	"math"
	"sort"
)

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

func (p *problems) atMost(path string, v, max float64) {
	if v > max {
		p.add(path, "must be at most %v, got %v", max, v)
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

// unique adds a problem for an empty id or one already in seen, and records it.
func (p *problems) unique(path, what, id string, seen map[string]bool) {
	if id == "" {
		p.add(path, "must not be empty")
	} else if seen[id] {
		p.add(path, "duplicate %s %q", what, id)
	}
	seen[id] = true
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

// Validate checks every field and returns a *ValidationError listing all problems, or nil. Each section of
// the file has its own check, run in file order so the problems come in the order a reader meets them.
func (s *Scenario) Validate() error {
	p := &problems{}
	if s.Version != 1 {
		p.add("version", "must be 1, got %d", s.Version)
	}
	if s.Name == "" {
		p.add("name", "must not be empty")
	}
	s.validateCity(p)
	s.validateDemand(p)
	s.validateGoods(p)
	skills := s.validateProducts(p)
	carriers := s.validateCarriers(p, skills)
	platforms := s.validatePlatforms(p, carriers)
	s.validatePolicies(p, platforms, carriers)
	s.validateShifts(p, platforms)
	s.validateTravel(p)
	if len(*p) > 0 {
		return &ValidationError{Problems: *p}
	}
	return nil
}

// validateCity checks city.
func (s *Scenario) validateCity(p *problems) {
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
	p.nonNeg("city.residents", c.Residents)
	p.share("city.uniform_share", c.UniformShare)

}

// validateDemand checks demand.
func (s *Scenario) validateDemand(p *problems) {
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
	if !(d.OriginDistanceDecay >= 0 && d.OriginDistanceDecay <= 3) {
		p.add("demand.origin_distance_decay", "must be within [0, 3], got %v", d.OriginDistanceDecay)
	}
	validateOriginShares(p, "demand.origin_shares", d.OriginShares)
	p.nonNeg("demand.parcels_per_resident_day", d.ParcelsPerResidentDay)
	p.share("demand.platforms_share", d.PlatformsShare)
	p.nonNeg("demand.replay_scale", d.ReplayScale)
	p.nonNeg("demand.remote_promise_hours", d.RemotePromiseHours)
	p.atMost("demand.remote_promise_hours", d.RemotePromiseHours, 24*30)
	if d.Days < 0 || d.Days > MaxDays {
		p.add("demand.days", "must be within [0, %d], got %d", MaxDays, d.Days)
	}
	p.atMost("demand.replay_scale", d.ReplayScale, 1000)
	if !(d.PeakMultiplier >= 0.1 && d.PeakMultiplier <= 5) {
		p.add("demand.peak_multiplier", "must be within [0.1, 5], got %v", d.PeakMultiplier)
	}
	if d.Orders > MaxOrders {
		p.add("demand.orders", "must be at most %d, got %d", MaxOrders, d.Orders)
	}
	if d.PlanningSample < 100 || d.PlanningSample > MaxPlanningSample {
		p.add("demand.planning_sample", "must be within [100, %d], got %d", MaxPlanningSample, d.PlanningSample)
	}

}

// validateGoods checks goods, one category at a time.
func (s *Scenario) validateGoods(p *problems) {
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

}

// validateProducts checks products and returns the skills they need.
func (s *Scenario) validateProducts(p *problems) map[string]bool {
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

	return skills
}

// validateCarriers checks carriers and their fleets against the products' skills and returns the carriers' indices by id.
func (s *Scenario) validateCarriers(p *problems, skills map[string]bool) map[string]int {
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
			if cr.MinStations < 1 || cr.MinStations > MaxStations {
				p.add(path+".min_stations", "must be within [1, %d], got %d", MaxStations, cr.MinStations)
			}
		}
		if len(cr.Stations) > MaxStations {
			p.add(path+".stations", "must list at most %d stations, got %d", MaxStations, len(cr.Stations))
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
		if cr.SortingCenters < 1 || cr.SortingCenters > MaxSortingCenters {
			p.add(path+".sorting_centers", "must be within [1, %d], got %d", MaxSortingCenters, cr.SortingCenters)
		}
		p.nonNeg(path+".pickup_minutes", cr.PickupMinutes)
		p.nonNeg(path+".sort_minutes", cr.SortMinutes)
		p.positive(path+".linehaul_kmh", cr.LinehaulKmh)
		p.nonNeg(path+".linehaul_dwell_minutes", cr.LinehaulDwellMinutes)
		p.atMost(path+".linehaul_dwell_minutes", cr.LinehaulDwellMinutes, 10*24*60)
		p.positive(path+".shuttle_kmh", cr.ShuttleKmh)
		p.nonNeg(path+".linehaul_cny_per_km", cr.LinehaulCNYPerKm)
		p.nonNeg(path+".local_pickup_cny", cr.LocalPickupCNY)
		p.nonNeg(path+".sorting_cny", cr.SortingCNY)
		p.nonNeg(path+".station_cny_per_day", cr.StationCNYPerDay)
		for _, k := range sortedKeys(cr.TariffCNY) {
			if _, err := ParseCategory(k); err != nil {
				p.add(path+".tariff_cny."+k, "%v", err)
			}
			p.nonNeg(path+".tariff_cny."+k, cr.TariffCNY[k])
		}
		// A carrier that does not install may leave its install model out.
		if cr.InstallModel != Integrated && cr.InstallModel != Split && (cr.InstallModel != "" || cr.Serves(ApplianceInstall)) {
			p.add(path+".install_model", "must be %q or %q, got %q", Integrated, Split, cr.InstallModel)
		}
		served := map[Category]string{}
		crewSkills := map[string]int{}
		for j := range cr.Fleets {
			f := &cr.Fleets[j]
			fp := fmt.Sprintf("%s.fleets[%d]", path, j)
			validateFleet(p, fp, f, served)
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
		if _, ok := served[Parcel]; !ok {
			p.add(path+".fleets", "no fleet serves category %s", Parcel)
		}
		// A carrier may leave out bulky goods and installs (many parcel networks do); one that installs
		// must install every product.
		if len(crewSkills) > 0 {
			for i, pr := range s.Products {
				if crewSkills[pr.Skill] < pr.CrewSize {
					p.add(path+".fleets", "no install crew of %d or more with skill %q for products[%d] (%s)", pr.CrewSize, pr.Skill, i, pr.ID)
				}
			}
			if _, ok := served[Bulky]; !ok && cr.InstallModel == Split {
				p.add(path+".fleets", "the split install model needs a fleet for bulky (it delivers the appliance before the crew installs it)")
			}
		}
		s.validateCarrierMarket(p, path, &cr)
	}
	if len(s.Carriers) == 0 {
		p.add("carriers", "must list at least one carrier")
	} else if len(s.Carriers) > MaxCarriers {
		p.add("carriers", "must list at most %d carriers, got %d", MaxCarriers, len(s.Carriers))
	}
	for _, cat := range Categories() {
		n := 0
		for i := range s.Carriers {
			if s.Carriers[i].Serves(cat) {
				n++
			}
		}
		if n == 0 && len(s.Carriers) > 0 {
			p.add("carriers", "no carrier serves category %s", cat)
		}
	}

	return carrierIdx
}

// validatePlatforms checks platforms against the carriers and returns the set of platform ids.
func (s *Scenario) validatePlatforms(p *problems, carrierIdx map[string]int) map[string]bool {
	var share float64
	platformIdx := map[string]bool{}
	for i, pl := range s.Platforms {
		path := fmt.Sprintf("platforms[%d]", i)
		p.unique(path+".id", "platform id", pl.ID, platformIdx)
		p.share(path+".share", pl.Share)
		share += pl.Share
		p.share(path+".first_party", pl.FirstParty)
		p.share(path+".local_origin", pl.LocalOrigin)
		if _, ok := carrierIdx[pl.HomeCarrier]; !ok && pl.HomeCarrier != "" {
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
		s.validateBaseline(p, path, &pl, carrierIdx)
	}
	if len(s.Platforms) == 0 {
		p.add("platforms", "must list at least one platform")
	} else if math.Abs(share-1) > 1e-6 {
		p.add("platforms", "shares must add up to 1, got %v", share)
	}

	return platformIdx
}

// validatePolicies checks policies against the platforms and carriers.
func (s *Scenario) validatePolicies(p *problems, platformIdx map[string]bool, carrierIdx map[string]int) {
	names := map[string]bool{}
	for i, pol := range s.Policies {
		path := fmt.Sprintf("policies[%d]", i)
		p.unique(path+".name", "policy name", pol.Name, names)
		switch pol.Choice {
		case ChoiceBestQuote, ChoiceOverflow, ChoiceSticky:
		default:
			p.add(path+".choice", "must be \"best_quote\", \"overflow\" or \"sticky\", got %q", pol.Choice)
		}
		p.nonNeg(path+".switch_threshold_cny", pol.SwitchThresholdCNY)
		if _, ok := s.PolicyByName(pol.BaselineAccess); pol.BaselineAccess != "" && !ok {
			p.add(path+".baseline_access", "must name one of the scenario's policies (%s), got %q", s.PolicyNames(), pol.BaselineAccess)
		}
		if (pol.BaselineAccess != "" || pol.SwitchThresholdCNY != 0) && pol.Choice != ChoiceSticky {
			p.add(path+".choice", "must be %q when switch_threshold_cny or baseline_access is given, got %q", ChoiceSticky, pol.Choice)
		}
		for j := range pol.Open {
			validateSelector(p, fmt.Sprintf("%s.open[%d]", path, j), &pol.Open[j], platformIdx)
		}
		validateAccess(p, path, pol.Access, platformIdx, carrierIdx)
	}
	if len(s.Policies) == 0 {
		p.add("policies", "must list at least one policy")
	}

}

// validateTravel checks travel and routing.
func (s *Scenario) validateTravel(p *problems) {
	t := &s.Travel
	if !(t.Circuity >= 1 && t.Circuity <= 3) {
		p.add("travel.circuity", "must be within [1, 3], got %v", t.Circuity)
	}
	for h, m := range t.Congestion {
		if !(m > 0 && m <= 2) {
			p.add(fmt.Sprintf("travel.congestion[%d]", h), "must be within (0, 2], got %v", m)
		}
	}
	if s.Routing.Iterations < 0 || s.Routing.Iterations > MaxIterations {
		p.add("routing.iterations", "must be within [0, %d], got %d", MaxIterations, s.Routing.Iterations)
	}
	if s.Routing.MaxWaveStops < 0 {
		p.add("routing.max_wave_stops", "must be zero (no limit) or positive, got %d", s.Routing.MaxWaveStops)
	}
	if s.Routing.MaxIterationsPerStop < 0 {
		p.add("routing.max_iterations_per_stop", "must be zero (no cap) or positive, got %d", s.Routing.MaxIterationsPerStop)
	}
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
	if f.Capacity.Count < 1 || f.Capacity.Count > MaxCapacityCount {
		p.add(path+".capacity.count", "must be within [1, %d], got %d", MaxCapacityCount, f.Capacity.Count)
	}
	p.positive(path+".capacity.volume_l", f.Capacity.VolumeL)
	p.atMost(path+".capacity.volume_l", f.Capacity.VolumeL, MaxCapacityL)
	p.positive(path+".capacity.weight_kg", f.Capacity.WeightKg)
	p.atMost(path+".capacity.weight_kg", f.Capacity.WeightKg, MaxCapacityKg)
	p.nonNeg(path+".capacity.minutes", f.Capacity.Minutes)
	p.atMost(path+".capacity.minutes", f.Capacity.Minutes, MaxCapacityMinutes)
	p.nonNeg(path+".service_minutes", f.ServiceMinutes)
	p.nonNeg(path+".fixed_cny", f.FixedCNY)
	p.nonNeg(path+".per_km_cny", f.PerKmCNY)
	p.nonNeg(path+".per_hour_cny", f.PerHourCNY)
	p.nonNeg(path+".per_stop_cny", f.PerStopCNY)
	p.nonNeg(path+".daily_cny", f.DailyCNY)
	if f.PerStation < 0 || f.PerStation > MaxPerStation {
		p.add(path+".per_station", "must be within [0, %d], got %d", MaxPerStation, f.PerStation)
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

// ValidateOriginShares checks origin shares given outside a scenario (the national scenario), naming them
// by path; the error is a *ValidationError.
func ValidateOriginShares(path string, shares map[string]float64) error {
	p := &problems{}
	validateOriginShares(p, path, shares)
	if len(*p) > 0 {
		return &ValidationError{Problems: *p}
	}
	return nil
}

// validateOriginShares checks a gravity model's measured masses: prefecture codes of the embedded table, each
// share in (0, 1), together less than 1 (the other cities need some mass).
func validateOriginShares(p *problems, path string, shares map[string]float64) {
	if len(shares) == 0 {
		return
	}
	known, err := PrefectureCodes()
	if err != nil {
		p.add(path, "cannot read the prefecture cities: %v", err)
		return
	}
	codes := make([]string, 0, len(shares))
	for c := range shares {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var sum float64
	for _, c := range codes {
		v := shares[c]
		if !known[c] {
			p.add(path+"."+c, "expected the 6-digit code of one of the 337 prefecture cities (fixtures/geo/china_prefecture_cities.csv), got %q", c)
		}
		if !(v > 0 && v < 1) {
			p.add(path+"."+c, "must be a share within (0, 1), got %v", v)
		}
		sum += v
	}
	if !(sum < 1) {
		p.add(path, "shares must add up to less than 1 (the other cities share the rest), got %v", sum)
	}
}

package sim

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/paulmach/orb"

	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/fixtures"
	"github.com/carriersim/carriersim/geo"
)

// World is a scenario made concrete: zones, the demand sampler and every carrier's network. It is built
// once per scenario and shared read-only by all policy runs, so every policy sees the same networks.
type World struct {
	Scenario *scenario.Scenario
	Zones    []geo.Zone
	Travel   geo.Travel
	Carriers []*Network
	Cities   []OriginCity
	// Skills lists every install skill; a crew's or job's skill set is a bitmask over this list.
	Skills  []string
	sampler zoneSampler
	origins originSampler
	center  orb.Point
	home    []int // per platform: index of its home carrier
}

// Network is one carrier's physical network in the city.
type Network struct {
	Index          int
	Carrier        *scenario.Carrier
	SortingCenters []orb.Point
	Stations       []Station
	index          *geo.Index
	grid           *stationGrid
	// fleetOf maps parcel and bulky to the index of the fleet serving them (-1: none).
	fleetOf [scenario.NumCategories]int
	// crews lists the install fleets; crewSkills their skill bitmasks.
	crews      []int
	crewSkills []uint64
}

// Station is a delivery station with its fleets.
type Station struct {
	ID       string
	Point    orb.Point
	Sorting  int     // index of the sorting centre that feeds it
	ShuttleM float64 // road metres from that sorting centre
	// PlannedOrders is the station's expected daily orders under closed access, from the planning sample.
	PlannedOrders float64
	// Vehicles per wave, per fleet (same order as Carrier.Fleets): the vehicles (or crews) the station
	// keeps, each working every wave of its fleet.
	Vehicles []int
	// Planned is, per fleet, the daily orders (legs) the fleet was sized for (0 for a fleet given a fixed
	// per_station).
	Planned []float64
}

// OriginCity is one of China's prefecture cities: the origin of line-haul orders, or a city to simulate.
type OriginCity struct {
	Name       string // Chinese name, e.g. 烟台市
	Pinyin     string // e.g. yantai
	Code       string // 6-digit NBS code, e.g. 370600
	Point      orb.Point
	Population float64
}

// NearestStation returns the index of the station nearest to p on the sphere and its great-circle distance.
func (n *Network) NearestStation(p orb.Point) (int, geo.Meters) {
	return n.nearestStation(p, geo.UnitVectorOf(p))
}

// nearestStation is NearestStation given p's unit vector, which the carriers quoting one order share. The
// answer is the k-d tree's (same station, ties to the lowest index, same distance); the grid only finds it
// faster for points inside the city.
func (n *Network) nearestStation(p orb.Point, u geo.UnitVector) (int, geo.Meters) {
	if n.grid != nil {
		if i, ok := n.grid.nearest(p, u); ok {
			return i, geo.Distance(p, n.Stations[i].Point)
		}
	}
	return n.index.Nearest(p)
}

// FleetFor returns the index of the fleet that serves parcel or bulky orders, or -1.
func (n *Network) FleetFor(c scenario.Category) int { return n.fleetOf[c] }

// CrewFleets returns the install fleets that have every skill in mask and at least crewSize persons.
func (n *Network) CrewFleets(mask uint64, crewSize int, buf []int) []int {
	buf = buf[:0]
	for k, fi := range n.crews {
		if n.crewSkills[k]&mask == mask && n.Carrier.Fleets[fi].CrewSize >= crewSize {
			buf = append(buf, fi)
		}
	}
	return buf
}

// SkillMask returns the bitmask of the named skills over World.Skills.
func (w *World) SkillMask(names ...string) uint64 {
	var m uint64
	for _, n := range names {
		for i, s := range w.Skills {
			if s == n {
				m |= 1 << i
			}
		}
	}
	return m
}

// NewWorld builds the world for a validated scenario.
func NewWorld(s *scenario.Scenario) (*World, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	cities, err := loadCities()
	if err != nil {
		return nil, err
	}
	zones, weights, err := cityZones(&s.City, cities)
	if err != nil {
		return nil, err
	}
	w := &World{
		Scenario: s,
		Zones:    zones,
		Travel:   geo.Travel{Circuity: s.Travel.Circuity, Congestion: s.Travel.Congestion},
	}
	seen := map[string]bool{}
	for _, p := range s.Products {
		if !seen[p.Skill] {
			seen[p.Skill] = true
			w.Skills = append(w.Skills, p.Skill)
		}
	}
	sort.Strings(w.Skills)
	if len(w.Skills) > 64 {
		return nil, fmt.Errorf("products: at most 64 distinct skills, got %d", len(w.Skills))
	}
	if err := w.sampler.init(zones, weights, &s.City); err != nil {
		return nil, err
	}
	w.center = w.sampler.center()
	w.Cities = cities
	w.origins.init(cities, w.center, s.Demand.OriginDistanceDecay, s.Demand.OriginShares)

	// Planning sample: where demand will be, from a stream of its own so it never depends on the run seed.
	rng := rand.New(rand.NewPCG(s.Demand.NetworkSeed, streamPlanning))
	sample := make([]orb.Point, s.Demand.PlanningSample)
	for i := range sample {
		sample[i] = w.sampler.draw(rng)
	}
	for _, p := range s.Platforms {
		h, _ := s.CarrierIndex(p.HomeCarrier) // -1 for a platform without one: its baseline covers every order
		w.home = append(w.home, h)
	}
	for ci := range s.Carriers {
		nw, err := buildNetwork(w, ci, sample)
		if err != nil {
			return nil, err
		}
		w.Carriers = append(w.Carriers, nw)
	}
	return w, nil
}

// cityZones loads the city's district polygons and weights, or builds the circle of a prefecture city.
func cityZones(c *scenario.City, cities []OriginCity) ([]geo.Zone, map[string]float64, error) {
	if c.Prefecture == "" {
		f, err := fixtures.Open(c.Zones)
		if err != nil {
			return nil, nil, fmt.Errorf("city.zones: no embedded district file %q", c.Zones)
		}
		defer f.Close()
		zones, err := geo.ReadZones(f, c.Zones)
		return zones, c.ZoneWeights, err
	}
	var matches []OriginCity
	for _, pc := range cities {
		if pc.Pinyin == c.Prefecture || pc.Name == c.Prefecture || pc.Code == c.Prefecture {
			matches = append(matches, pc)
		}
	}
	if len(matches) > 1 {
		return nil, nil, fmt.Errorf("city.prefecture: %q names %d cities (%s and %s): give the Chinese name or the 6-digit code", c.Prefecture, len(matches), matches[0].Name, matches[1].Name)
	}
	if len(matches) == 1 {
		pc := matches[0]
		ring := geo.Circle(pc.Point, geo.Meters(c.RadiusKm*1000), 72)
		z := geo.Zone{ID: pc.Code, Name: pc.Name, Geometry: orb.MultiPolygon{ring}, Center: pc.Point}
		z.Bound = z.Geometry.Bound()
		z.AreaKm2 = math.Pi * c.RadiusKm * c.RadiusKm
		return []geo.Zone{z}, map[string]float64{pc.Name: 1}, nil
	}
	return nil, nil, fmt.Errorf("city.prefecture: %q is none of the 337 prefecture cities (give its pinyin, e.g. \"yantai\", its Chinese name or its 6-digit code)", c.Prefecture)
}

// Random streams, one per concern (STYLE.md): the second PCG word names the concern.
const (
	streamPlanning uint64 = 0x706c616e + iota
	streamNetwork
	streamTimes
	streamMix
	streamPlace
	streamSize
	streamOrigin
	streamAppointment
	streamRouting
	streamBaseline
	streamBackground
)

// homeShare returns the share of all orders whose platform's home carrier is carrier ci, and the
// carrier's expected category mix under closed access.
func homeShare(s *scenario.Scenario, ci int) (float64, [scenario.NumCategories]float64) {
	var share float64
	var mix [scenario.NumCategories]float64
	for _, p := range s.Platforms {
		if p.HomeCarrier != s.Carriers[ci].ID {
			continue
		}
		share += p.Share
		for k, v := range p.Mix {
			c, _ := scenario.ParseCategory(k)
			mix[c] += p.Share * v
		}
	}
	if share > 0 {
		for c := range mix {
			mix[c] /= share
		}
	}
	return share, mix
}

// planShare is the share of all orders carrier ci's network is sized for, and their category mix. Without
// baseline carrier mixes that is its closed-access load (homeShare). With them, per category, the larger
// of its closed-access load and its baseline load: the networks then carry the walled and the current
// market alike, and as cost counts only vehicles that run, the unused room costs nothing.
func planShare(s *scenario.Scenario, ci int) (float64, [scenario.NumCategories]float64) {
	hasBaseline := false
	for _, p := range s.Platforms {
		hasBaseline = hasBaseline || len(p.Baseline) > 0
	}
	if !hasBaseline {
		return homeShare(s, ci)
	}
	var home, base [scenario.NumCategories]float64
	for pi, p := range s.Platforms {
		for k, v := range p.Mix {
			c, _ := scenario.ParseCategory(k)
			for m, ms := range [2]float64{1 - p.FirstParty, p.FirstParty} {
				orders := p.Share * v * ms
				if p.HomeCarrier == s.Carriers[ci].ID {
					home[c] += orders
				}
				if w := s.BaselineWeights(pi, m == 1, c); w != nil {
					base[c] += orders * w[ci]
				} else if p.HomeCarrier == s.Carriers[ci].ID {
					base[c] += orders
				}
			}
		}
	}
	var share float64
	var mix [scenario.NumCategories]float64
	for c := range mix {
		mix[c] = math.Max(home[c], base[c])
		share += mix[c]
	}
	if share > 0 {
		for c := range mix {
			mix[c] /= share
		}
	}
	return share, mix
}

// WithDemand returns a world with the same networks whose orders are drawn from sc's demand (a shifted
// copy of the world's scenario, scenario.Shifted): the networks stay as built. sc must have the world's
// platforms, carriers and products in the same order.
func (w *World) WithDemand(sc *scenario.Scenario) *World {
	c := *w
	c.Scenario = sc
	return &c
}

// BaselineCarrier returns the index of the carrier the order's merchant uses today.
func (w *World) BaselineCarrier(o *Order) int {
	if o.Baseline > 0 {
		return int(o.Baseline) - 1
	}
	return w.home[o.Platform]
}

// Serves reports whether the network can take an order of category c: a fleet for it, and for installs a
// crew (and, in the split model, a truck to deliver first). Crews cover every product (validated).
func (n *Network) Serves(c scenario.Category) bool {
	if c == scenario.ApplianceInstall {
		return len(n.crews) > 0 && (n.Carrier.InstallModel == scenario.Integrated || n.fleetOf[scenario.Bulky] >= 0)
	}
	return n.fleetOf[c] >= 0
}

func buildNetwork(w *World, ci int, sample []orb.Point) (*Network, error) {
	s := w.Scenario
	cr := &s.Carriers[ci]
	nw := &Network{Index: ci, Carrier: cr}
	for c := range nw.fleetOf {
		nw.fleetOf[c] = -1
	}
	for fi := range cr.Fleets {
		f := &cr.Fleets[fi]
		if f.IsInstall() {
			nw.crews = append(nw.crews, fi)
			nw.crewSkills = append(nw.crewSkills, w.SkillMask(f.Skills...))
			continue
		}
		for _, name := range f.Categories {
			c, _ := scenario.ParseCategory(name)
			nw.fleetOf[c] = fi
		}
	}
	share, mix := planShare(s, ci)
	expected := share * float64(s.Demand.Orders)
	k := math.Ceil(expected / float64(cr.OrdersPerStation))
	if k > scenario.MaxStations {
		return nil, fmt.Errorf("carriers[%d]: %.0f orders a day at orders_per_station %d would place %.0f stations, more than the limit of %d",
			ci, expected, cr.OrdersPerStation, k, scenario.MaxStations)
	}
	nk := max(cr.MinStations, min(int(k), len(sample)/4))

	rng := rand.New(rand.NewPCG(s.Demand.NetworkSeed+uint64(ci)*7919, streamNetwork))
	proj := newProjection(w.center)
	xy := make([][2]float64, len(sample))
	for i, p := range sample {
		xy[i] = proj.forward(p)
	}
	weights := make([]float64, len(xy))
	for i := range weights {
		weights[i] = 1
	}
	var centres [][2]float64
	if len(cr.Stations) > 0 {
		for _, fs := range cr.Stations {
			centres = append(centres, proj.forward(orb.Point{fs.Lon, fs.Lat}))
		}
	} else {
		centres = kmeans(xy, weights, nk, rng)
	}
	pts := make([]orb.Point, len(centres))
	for i, c := range centres {
		pts[i] = proj.inverse(c)
	}
	if len(cr.Stations) > 0 {
		for i, fs := range cr.Stations {
			pts[i] = orb.Point{fs.Lon, fs.Lat} // exactly as given, not through the projection
		}
	}
	// Ranking by great-circle distance (never by flat degrees) decides each sample point's station.
	nw.index = geo.NewIndex(pts)
	nw.grid = newStationGrid(pts, cityBound(w.Zones, pts))
	load := make([]float64, len(pts))
	stemSum := make([]float64, len(pts))
	for _, p := range sample {
		i, d := nw.index.Nearest(p)
		load[i]++
		stemSum[i] += float64(d)
	}
	scale := expected / float64(len(sample))

	// Sorting centres: at the load-weighted centres of groups of stations.
	nsc := min(cr.SortingCenters, len(pts))
	sxy := make([][2]float64, len(pts))
	for i := range centres {
		sxy[i] = centres[i]
	}
	scs := kmeans(sxy, load, nsc, rng)
	for _, c := range scs {
		nw.SortingCenters = append(nw.SortingCenters, proj.inverse(c))
	}
	scIndex := geo.NewIndex(nw.SortingCenters)

	for i, p := range pts {
		id := fmt.Sprintf("%s-%02d", cr.ID, i+1)
		if len(cr.Stations) > 0 {
			id = cr.Stations[i].ID
		}
		st := Station{
			ID:            id,
			Point:         p,
			PlannedOrders: load[i] * scale,
		}
		st.Sorting, _ = scIndex.Nearest(p)
		st.ShuttleM = float64(w.Travel.Road(nw.SortingCenters[st.Sorting], p))
		meanStemKm := 0.0
		if load[i] > 0 {
			meanStemKm = stemSum[i] / load[i] / 1000 * s.Travel.Circuity
		}
		for fi := range cr.Fleets {
			v, planned := sizeFleet(w, nw, fi, st.PlannedOrders, mix, meanStemKm)
			st.Vehicles = append(st.Vehicles, v)
			st.Planned = append(st.Planned, planned)
		}
		nw.Stations = append(nw.Stations, st)
	}
	return nw, nil
}

// sizeFleet returns vehicles (or crews) per wave: the station's expected closed-access demand for what the
// fleet does, spread over the day's waves, times headroom, over one vehicle's capacity. Install crews are
// sized by crew-minutes: each product's expected installs go to the crews with its skill (shared evenly when
// several fleets have it). A split-model carrier's bulky trucks also carry the appliances. It also returns
// the daily orders the fleet was sized for.
func sizeFleet(w *World, nw *Network, fi int, planned float64, mix [scenario.NumCategories]float64, meanStemKm float64) (int, float64) {
	s := w.Scenario
	cr := nw.Carrier
	f := &cr.Fleets[fi]
	if f.PerStation > 0 {
		return f.PerStation, 0
	}
	installs := planned * mix[scenario.ApplianceInstall]
	var orders, minutes float64
	if f.IsInstall() {
		mask := w.SkillMask(f.Skills...)
		travel := meanStemKm / f.SpeedKmh * 60
		for _, p := range s.Products {
			if mask&w.SkillMask(p.Skill) == 0 {
				continue
			}
			shared := float64(len(nw.CrewFleets(w.SkillMask(p.Skill), p.CrewSize, nil)))
			n := installs * p.Share / max(1, shared)
			orders += n
			mean := (p.InstallMinutes[0] + p.InstallMinutes[1] + p.InstallMinutes[2]) / 3
			minutes += n * (mean + f.ServiceMinutes + travel)
		}
	} else {
		for _, name := range f.Categories {
			c, _ := scenario.ParseCategory(name)
			orders += planned * mix[c]
		}
		if cr.InstallModel == scenario.Split && fi == nw.fleetOf[scenario.Bulky] {
			orders += installs
		}
	}
	perWave := orders / float64(len(f.Waves))
	need := perWave * f.Headroom / float64(f.Capacity.Count)
	if f.IsInstall() {
		need = math.Max(need, minutes/float64(len(f.Waves))*f.Headroom/f.Capacity.Minutes)
	}
	return max(1, int(math.Ceil(need))), orders
}

// projection is a local equirectangular projection to metres around a centre, accurate at city scale;
// it is used only for k-means centroids, never to rank distances.
type projection struct {
	c      orb.Point
	kx, ky float64
}

func newProjection(c orb.Point) projection {
	const r = 6378137.0
	return projection{c: c, kx: r * math.Pi / 180 * math.Cos(c[1]*math.Pi/180), ky: r * math.Pi / 180}
}

func (p projection) forward(q orb.Point) [2]float64 {
	return [2]float64{(q[0] - p.c[0]) * p.kx, (q[1] - p.c[1]) * p.ky}
}

func (p projection) inverse(xy [2]float64) orb.Point {
	return orb.Point{p.c[0] + xy[0]/p.kx, p.c[1] + xy[1]/p.ky}
}

// kmeans returns k weighted centroids (k-means++ seeding, then Lloyd iterations), deterministic for rng.
func kmeans(pts [][2]float64, w []float64, k int, rng *rand.Rand) [][2]float64 {
	if k >= len(pts) {
		out := make([][2]float64, len(pts))
		copy(out, pts)
		return out
	}
	d2 := func(a, b [2]float64) float64 { dx, dy := a[0]-b[0], a[1]-b[1]; return dx*dx + dy*dy }
	centres := make([][2]float64, 0, k)
	best := make([]float64, len(pts))
	for i := range best {
		best[i] = math.Inf(1)
	}
	pick := func(weights func(i int) float64) int {
		var total float64
		for i := range pts {
			total += weights(i)
		}
		r := rng.Float64() * total
		for i := range pts {
			r -= weights(i)
			if r < 0 {
				return i
			}
		}
		return len(pts) - 1
	}
	first := pick(func(i int) float64 { return w[i] })
	centres = append(centres, pts[first])
	for len(centres) < k {
		last := centres[len(centres)-1]
		for i := range pts {
			best[i] = math.Min(best[i], d2(pts[i], last))
		}
		centres = append(centres, pts[pick(func(i int) float64 { return w[i] * best[i] })])
	}
	assign := make([]int, len(pts))
	for iter := 0; iter < 50; iter++ {
		changed := false
		for i, p := range pts {
			bi, bd := 0, math.Inf(1)
			for j, c := range centres {
				if d := d2(p, c); d < bd {
					bi, bd = j, d
				}
			}
			if assign[i] != bi || iter == 0 {
				changed = changed || assign[i] != bi
				assign[i] = bi
			}
		}
		sum := make([][3]float64, k)
		for i, p := range pts {
			a := &sum[assign[i]]
			a[0] += w[i] * p[0]
			a[1] += w[i] * p[1]
			a[2] += w[i]
		}
		for j := range centres {
			if sum[j][2] > 0 {
				centres[j] = [2]float64{sum[j][0] / sum[j][2], sum[j][1] / sum[j][2]}
			}
		}
		if !changed && iter > 0 {
			break
		}
	}
	// A stable order (west to east, then south to north) keeps station ids independent of seeding order.
	sort.SliceStable(centres, func(a, b int) bool {
		if centres[a][0] != centres[b][0] {
			return centres[a][0] < centres[b][0]
		}
		return centres[a][1] < centres[b][1]
	})
	return centres
}

// zoneSampler draws order destinations: a district by weight, then a point in it.
type zoneSampler struct {
	zones   []geo.Zone
	idx     []int     // zones with weight > 0
	cum     []float64 // cumulative weights over idx
	sigma   []geo.Meters
	uniform float64
}

func (zs *zoneSampler) init(zones []geo.Zone, weights map[string]float64, c *scenario.City) error {
	zs.zones = zones
	zs.uniform = c.UniformShare
	byName := map[string]int{}
	for i, z := range zones {
		byName[z.Name] = i
	}
	var total float64
	for _, name := range slices.Sorted(maps.Keys(weights)) {
		i, ok := byName[name]
		if !ok {
			return fmt.Errorf("city.zone_weights.%s: no district of that name in %s", name, c.Zones)
		}
		wt := weights[name]
		if wt <= 0 {
			continue
		}
		total += wt
		zs.idx = append(zs.idx, i)
		zs.cum = append(zs.cum, total)
		zs.sigma = append(zs.sigma, geo.Meters(c.Spread*math.Sqrt(zones[i].AreaKm2)*1000))
	}
	if total <= 0 {
		return fmt.Errorf("city.zone_weights: no district has a positive weight")
	}
	return nil
}

func (zs *zoneSampler) pickZone(rng *rand.Rand) int {
	r := rng.Float64() * zs.cum[len(zs.cum)-1]
	return sort.SearchFloat64s(zs.cum, r)
}

// draw returns a destination and always consumes the same number of draws before sampling the point.
func (zs *zoneSampler) draw(rng *rand.Rand) orb.Point {
	p, _ := zs.drawZone(rng)
	return p
}

func (zs *zoneSampler) drawZone(rng *rand.Rand) (orb.Point, int) {
	k := min(zs.pickZone(rng), len(zs.idx)-1)
	z := &zs.zones[zs.idx[k]]
	if rng.Float64() < zs.uniform {
		return z.SampleUniform(rng), zs.idx[k]
	}
	return z.SampleNear(rng, zs.sigma[k]), zs.idx[k]
}

// center is the demand-weighted mean of district label points.
func (zs *zoneSampler) center() orb.Point {
	var x, y, prev float64
	for k, i := range zs.idx {
		wt := zs.cum[k] - prev
		prev = zs.cum[k]
		x += wt * zs.zones[i].Center[0]
		y += wt * zs.zones[i].Center[1]
	}
	t := zs.cum[len(zs.cum)-1]
	return orb.Point{x / t, y / t}
}

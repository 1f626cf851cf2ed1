package metrics

import (
	"math"
	"slices"

	"github.com/carriersim/carriersim/dispatch/ledger"
	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/dispatch/sim"
)

// Report is the compare/simulate report of CONTRACT.md.
type Report struct {
	Scenario string `json:"scenario"`
	Seed     uint64 `json:"seed"`
	// Shift names the demand shift the orders were drawn with (none: omitted).
	Shift string `json:"shift,omitempty"`
	// Days is how many consecutive days the figures cover (scenario demand.days minus its warm-up day);
	// omitted for one day. Totals are over these days; per-day figures (fixed cost, courier-days) count each.
	Days     int            `json:"days,omitempty"`
	Replay   *ReplayInfo    `json:"replay,omitempty"`
	Policies []PolicyReport `json:"policies"`
	// Replications, with more than one replication, summarises them all; the rest of the report is
	// replication 0's (seed Seed).
	Replications *ReplicationSummary `json:"replications,omitempty"`
	// ScenarioSHA256 is the sha256 of the scenario as simulated (overrides applied, design volume set),
	// as JSON; two reports with the same hash and seeds ran the same inputs. Version is the build that
	// wrote the report and Overrides the --set PATH=VALUE given, in order.
	ScenarioSHA256 string `json:"scenario_sha256,omitempty"`
	// LatencyQuantiles says how the latency quantiles (p50, p90, p99 and the install hours' p50, p90) were
	// computed: LatencyExact, or a sketch's name and relative accuracy (LatencySketch) for merged reports.
	LatencyQuantiles string   `json:"latency_quantiles,omitempty"`
	Version          string   `json:"version,omitempty"`
	Overrides        []string `json:"overrides,omitempty"`
}

// Values of Report.LatencyQuantiles.
const (
	// LatencyExact: nearest-rank quantiles of every delivered order's value, exact at the report's
	// resolution (0.1 minute, 0.01 hour) whether or not the run kept its orders (roundedCounts).
	LatencyExact = "exact"
	// LatencySketch: quantiles of merged DDSketches, within SketchAccuracy relative error (Sketch).
	LatencySketch = "ddsketch(alpha=0.005)"
)

// ReplayInfo describes the orders file of a replay run.
type ReplayInfo struct {
	File   string `json:"file"`
	Format string `json:"format"`
	// Start is minute 0 of the run: midnight before the earliest order, RFC 3339.
	Start   string `json:"start"`
	Orders  int    `json:"orders"`
	Skipped int    `json:"skipped_rows"`
	// Background counts the generated parcels the replayed orders ran among (scenario demand.replay_scale;
	// in no metric).
	Background int `json:"background_orders,omitempty"`
	// Problems are the first skipped rows' messages ("file:line: column: ...").
	Problems []string `json:"problems,omitempty"`
}

// PolicyReport is one policy's totals and its platform x carrier x category groups.
type PolicyReport struct {
	Policy string `json:"policy"`
	Metrics
	Groups []GroupReport `json:"groups"`
	// Carriers gives every carrier's part of the policy's orders, in scenario order.
	Carriers []CarrierShare `json:"carriers"`
	// PlatformCategory merges the groups over carriers (carrier "*"), computed from the orders themselves.
	PlatformCategory []GroupReport `json:"by_platform_category"`
	// Installs reports appliance installations per platform x carrier x product; InstallModels per carrier
	// (platform and product "*"), which shows each install service model's cost and latency.
	Installs      []InstallReport `json:"installs"`
	InstallModels []InstallReport `json:"install_models"`
	// Fleets gives each carrier fleet's utilisation.
	Fleets []FleetReport `json:"fleets"`
	// Districts gives the day's orders by destination district (the scenario's city zones, in their
	// order), whichever carrier served them; orders outside every district are in district "outside".
	Districts []DistrictReport `json:"districts"`
	// LongRun is the policy's cost with the networks resized to its demand; Metrics.Cost is the short
	// run (the networks as built, idle capacity paid for).
	LongRun LongRunCost `json:"cost_cny_long_run"`
	// Productivity is the parcel couriers' load and routes.
	Productivity Productivity `json:"productivity"`
	// OnTimeByPromise splits the day's orders by the kind of promise they were given.
	OnTimeByPromise []PromiseReport `json:"on_time_by_promise"`
}

// CarrierShare is one carrier's part of a policy's orders (the day's, warm-up excluded).
type CarrierShare struct {
	Carrier string `json:"carrier"`
	// Orders the carrier accepted (delivered, or accepted and then not completed), and of them delivered.
	Orders    int `json:"orders"`
	Delivered int `json:"delivered"`
	// Share is Orders over the policy's orders; orders no carrier accepted belong to none.
	Share float64 `json:"share"`
	// ShareChange is Share minus the carrier's share under the report's first policy (0 for that policy).
	ShareChange float64 `json:"share_change"`
	// BaselineOrders are the orders whose merchant uses this carrier today (the platforms' baseline mixes;
	// the same under every policy); Switched counts those that went to another carrier or none.
	BaselineOrders int     `json:"baseline_orders"`
	BaselineShare  float64 `json:"baseline_share"`
	Switched       int     `json:"switched"`
	// RevenueCNY is the carrier's tariff (scenario carriers[].tariff_cny) for every order it delivered;
	// CostCNY the variable cost of those orders plus the carrier's whole fixed cost of the day (short run);
	// MarginCNY the difference.
	RevenueCNY float64 `json:"revenue_cny"`
	CostCNY    float64 `json:"cost_cny"`
	MarginCNY  float64 `json:"margin_cny"`
}

// CompareCarriers sets every policy's carriers' ShareChange against the first policy of the report.
func CompareCarriers(r *Report) {
	if len(r.Policies) == 0 {
		return
	}
	first := map[string]float64{}
	for _, c := range r.Policies[0].Carriers {
		first[c.Carrier] = c.Share
	}
	for i := range r.Policies {
		for j := range r.Policies[i].Carriers {
			c := &r.Policies[i].Carriers[j]
			c.ShareChange = round(c.Share-first[c.Carrier], 4)
			if c.ShareChange == 0 {
				c.ShareChange = 0 // not -0, which JSON and the table would show as "-0"
			}
		}
	}
}

// DistrictReport is the metrics of the orders whose door lies in one district of the city.
type DistrictReport struct {
	District string `json:"district"`
	Metrics
}

// InstallReport is the install view of a group of appliance_install orders.
type InstallReport struct {
	Platform  string `json:"platform"`
	Carrier   string `json:"carrier"`
	Product   string `json:"product"`
	Model     string `json:"install_model"`
	Orders    int    `json:"orders"`
	Installed int    `json:"installed"`
	Unserved  int    `json:"unserved"`
	// Late counts installs whose crew arrived after the preferred slot ended.
	Late int `json:"late"`
	// OnPreferredDay is the share of installed orders installed on the customer's preferred day.
	OnPreferredDay float64 `json:"on_preferred_day"`
	// WaitHours is the appointment slot's start minus the preferred slot's start (0 when the preferred slot
	// had room), over installed orders.
	WaitHours Hours `json:"wait_h"`
	// OrderToInstalledHours is from order creation to installation completed.
	OrderToInstalledHours Hours `json:"order_to_installed_h"`
	// Cost per installed order: total, and its line-haul and sorting, truck delivery (split model) and
	// crew parts.
	CostPerInstall  float64 `json:"cost_per_install_cny"`
	LinehaulSorting float64 `json:"linehaul_sorting_cny"`
	DeliveryCost    float64 `json:"delivery_cny"`
	CrewCost        float64 `json:"crew_cny"`
}

// Hours summarises a duration distribution in hours.
type Hours struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
}

// FleetReport is one carrier fleet's utilisation: what was booked over what was offered. For vans and
// trucks it is the load factor (parcels) of the waves that carried any of the day's orders, days 0-1; for
// install crews it is crew-minutes over every slot of day 1, warm-up bookings included: day 1 is the one
// appointment day whose whole steady-state load (installs ordered on the seven days before it) is simulated.
type FleetReport struct {
	Carrier      string  `json:"carrier"`
	Fleet        string  `json:"fleet"`
	UnitsPerWave int     `json:"units_per_wave"` // vehicles or crews per wave, all stations
	Unit         string  `json:"unit"`
	Booked       float64 `json:"booked"`
	Offered      float64 `json:"offered"`
	Utilisation  float64 `json:"utilisation"`
	// FromDay and ToDay bound the window (days since the simulated day's midnight, ToDay exclusive).
	FromDay int `json:"from_day"`
	ToDay   int `json:"to_day"`
}

// GroupReport is the metrics of one platform x carrier x category group. Carrier "none" holds orders no
// carrier took.
type GroupReport struct {
	Platform string `json:"platform"`
	Carrier  string `json:"carrier"`
	Category string `json:"category"`
	Metrics
}

// Metrics are the figures reported for a policy or a group. Cost parts and per-order figures are over
// delivered orders; the on-time rate is over all orders (an unserved order is never on time). In groups,
// VehiclesUsed is the group's share of vehicles (each vehicle split equally over its stops), so groups add
// up to the policy total.
type Metrics struct {
	Orders           int            `json:"orders"`
	Delivered        int            `json:"delivered"`
	Late             int            `json:"late"`
	Unserved         int            `json:"unserved"`
	UnservedByReason map[string]int `json:"unserved_by_reason"`
	Cost             Cost           `json:"cost_cny"`
	Latency          Latency        `json:"latency_min"`
	OnTimeRate       float64        `json:"on_time_rate"`
	Km               float64        `json:"km"`
	KmPerOrder       float64        `json:"km_per_order"`
	VehiclesUsed     float64        `json:"vehicles_used"`
}

// Cost is money in CNY: the total and per delivered order, by part. Total is Fixed (the daily cost of
// stations, vehicles and crews, busy or not, allocated to the orders delivered) plus Variable (line-haul,
// sorting, the routes' km, hours and piece rates); the last-mile and install parts include their fixed
// shares.
type Cost struct {
	Total    float64 `json:"total"`
	PerOrder float64 `json:"per_order"`
	Linehaul float64 `json:"linehaul"`
	Sorting  float64 `json:"sorting"`
	LastMile float64 `json:"last_mile"`
	Install  float64 `json:"install"`
	Fixed    float64 `json:"fixed"`
	Variable float64 `json:"variable"`
}

// Latency is minutes from order creation to delivery (to installation completed, for installs).
type Latency struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
}

// acc accumulates one metrics cell as orders finish. Money sums hold the variable costs; the fixed costs,
// known only at the end of the run, are added by metrics from the counts of delivered orders by carrier and
// fleets (fixed). A cell of a partial (Tally.Partial) also keeps a latency sketch.
type acc struct {
	orders, delivered, late, unserved int
	reasons                           map[string]int
	linehaul, sorting, lastMile, inst float64
	km, vehicles, latSum              float64
	lat                               roundedCounts
	sketch                            *Sketch // nil unless the cell is a partial's
	fixed                             legCounts
}

func (a *acc) add(o *sim.Order, out *sim.Outcome) {
	a.orders++
	if out.State != sim.Delivered {
		a.unserved++
		if a.reasons == nil {
			a.reasons = map[string]int{}
		}
		a.reasons[string(out.Reason)]++
		return
	}
	a.delivered++
	if out.Late(o) {
		a.late++
	}
	a.linehaul += out.Linehaul
	a.sorting += out.Sorting
	a.lastMile += out.LastMile
	a.inst += out.Install
	a.km += out.Km
	a.vehicles += out.VehShare
	lat := float64(out.Done - o.Created)
	a.latSum += lat
	if a.lat.blocks == nil {
		a.lat = newRoundedCounts(1)
	}
	a.lat.add(lat)
	if a.sketch != nil {
		a.sketch.Add(lat)
	}
	a.fixed.add(out)
}

// money is the cell's cost with fx, the fixed cost of its delivered orders: its total and its fixed part.
func (a *acc) money(fx fixedPart) (total, fixed float64) {
	return a.linehaul + a.sorting + (a.lastMile + fx.lastMile) + (a.inst + fx.install), fx.lastMile + fx.install
}

// metrics rounds the cell's figures; rates are the run's fixed costs per delivered order (nil: none).
func (a *acc) metrics(rates fixedRates) Metrics {
	return a.metricsWith(a.fixed.cost(rates))
}

// metricsWith rounds the cell's figures with fx, the fixed cost of its delivered orders.
func (a *acc) metricsWith(fx fixedPart) Metrics {
	m := Metrics{Orders: a.orders, Delivered: a.delivered, Late: a.late, Unserved: a.unserved,
		UnservedByReason: map[string]int{}}
	for k, v := range a.reasons {
		m.UnservedByReason[k] = v
	}
	lastMile, inst := a.lastMile+fx.lastMile, a.inst+fx.install
	total, fixed := a.money(fx)
	m.Cost.Total = round(total, 2)
	m.Cost.Fixed = round(fixed, 2)
	m.Cost.Variable = round(total-fixed, 2)
	if a.delivered > 0 {
		d := float64(a.delivered)
		m.Cost.PerOrder = round(total/d, 4)
		m.Cost.Linehaul = round(a.linehaul/d, 4)
		m.Cost.Sorting = round(a.sorting/d, 4)
		m.Cost.LastMile = round(lastMile/d, 4)
		m.Cost.Install = round(inst/d, 4)
		m.KmPerOrder = round(a.km/d, 4)
		if a.lat.n > 0 {
			m.Latency = Latency{Mean: round(a.latSum/d, 1), P50: a.lat.quantile(0.5), P90: a.lat.quantile(0.9),
				P99: a.lat.quantile(0.99)}
		}
	}
	if a.orders > 0 {
		m.OnTimeRate = round(float64(a.delivered-a.late)/float64(a.orders), 4)
	}
	m.Km = round(a.km, 3)
	m.VehiclesUsed = round(a.vehicles, 3)
	return m
}

// quantile is the nearest-rank quantile of sorted values.
func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// fleetUse reads each fleet's booked and offered capacity from the ledger: vans and trucks over days 0-1
// (where the day's parcels go), crews over the appointment days.
func fleetUse(w *sim.World, run *sim.Run) []FleetReport {
	var out []FleetReport
	for _, nw := range w.Carriers {
		for fi := range nw.Carrier.Fleets {
			f := &nw.Carrier.Fleets[fi]
			fr := FleetReport{Carrier: nw.Carrier.ID, Fleet: f.Name, Unit: "parcels", FromDay: 0, ToDay: 2}
			if f.IsInstall() {
				// Day 1 is the only appointment day whose whole steady-state load is simulated: later days
				// would also carry installs ordered after day 0.
				fr.Unit, fr.FromDay, fr.ToDay = "crew_minutes", 1, 2
			}
			for _, st := range nw.Stations {
				fr.UnitsPerWave += st.Vehicles[fi]
			}
			out = append(out, fr)
		}
	}
	idx := func(c, f int) int {
		n := 0
		for i := 0; i < c; i++ {
			n += len(w.Carriers[i].Carrier.Fleets)
		}
		return n + f
	}
	run.Ledger.Ascend(func(sl ledger.Slot) bool {
		c, _, f := run.Resource(sl.Resource)
		fr := &out[idx(c, f)]
		d := int(math.Floor(float64(sl.Start) / scenario.Day))
		if d < fr.FromDay || d >= fr.ToDay {
			return true
		}
		used := sl.Capacity.Sub(sl.Remaining)
		if fr.Unit != "crew_minutes" && used.Count == 0 {
			return true // a wave nobody booked did not run
		}
		if fr.Unit == "crew_minutes" {
			fr.Booked += float64(used.Minutes)
			fr.Offered += float64(sl.Capacity.Minutes)
		} else {
			fr.Booked += float64(used.Count)
			fr.Offered += float64(sl.Capacity.Count)
		}
		return true
	})
	for i := range out {
		if out[i].Offered > 0 {
			out[i].Utilisation = round(out[i].Booked/out[i].Offered, 4)
		}
	}
	return out
}

// groupKey is (platform, carrier, category or product) as indices; -1 or -2 mark "none" and "all".
type groupKey [3]int

// sortKeys orders group keys lexicographically, so reports list groups in a stable order.
func sortKeys(keys []groupKey) {
	slices.SortFunc(keys, func(a, b groupKey) int { return slices.Compare(a[:], b[:]) })
}

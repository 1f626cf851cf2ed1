package shard

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/carriersim/carriersim/dispatch/metrics"
)

// Report is the national report: compare's report shape (scenario, seed, policies with their totals,
// groups, platform x category view, fleet utilisation and long-run cost) plus the plan's scale, the sketch accuracy and one
// row per city. Installs and districts are not merged (empty). Latency quantiles are sketch quantiles.
type Report struct {
	metrics.Report
	ScenarioHash    string       `json:"scenario_hash"`
	Scale           float64      `json:"scale"`
	SketchAccuracy  float64      `json:"latency_sketch_relative_accuracy"`
	CitiesSimulated int          `json:"cities_simulated"`
	Cities          []CityReport `json:"cities"`
}

// CityReport is one city's row: where it is, its demand and each policy's metrics, in policy order.
type CityReport struct {
	City
	DayOrdersSimulated int                 `json:"day_orders_simulated"`
	Policies           []CityPolicyMetrics `json:"policies"`
}

// CityPolicyMetrics is one policy's metrics in one city.
type CityPolicyMetrics struct {
	Policy string `json:"policy"`
	metrics.Metrics
}

// Merge combines the partials of every shard of one plan into the national report; names are the
// partials' file names, for messages. It refuses partials of different plans, a shard given twice, a
// missing shard and a city given twice. Sums are added city by city in code order, so the result does not
// depend on the order of the partials nor on how the cities were split into shards.
func Merge(parts []*Partial, names []string) (*Report, error) {
	if len(parts) == 0 {
		return nil, badInput("no partial given: merge needs every shard's partial of one plan")
	}
	first := parts[0]
	byShard := make([]int, first.Shards)
	for i := range byShard {
		byShard[i] = -1
	}
	cities := map[string]*CityPartial{}
	for i, pt := range parts {
		name := names[i]
		switch {
		case pt.Plan != first.Plan:
			return nil, badInput("%s is a partial of plan %s (scenario %s), %s of plan %s (scenario %s): merge only partials of one plan",
				name, pt.Plan, pt.Scenario, names[0], first.Plan, first.Scenario)
		case pt.Shard < 0 || pt.Shard >= len(byShard) || pt.Shards != len(byShard):
			return nil, badInput("%s: shard %d of %d does not fit its plan's %d shards", name, pt.Shard, pt.Shards, len(byShard))
		case byShard[pt.Shard] >= 0:
			return nil, badInput("%s and %s are both shard %d: give each shard's partial once", names[byShard[pt.Shard]], name, pt.Shard)
		}
		byShard[pt.Shard] = i
		for j := range pt.Cities {
			c := &pt.Cities[j]
			if len(c.Policies) != len(first.Policies) {
				return nil, badInput("%s: city %s has %d policies, its plan %d", name, c.Code, len(c.Policies), len(first.Policies))
			}
			if cities[c.Code] != nil {
				return nil, badInput("%s: city %s is also in another partial: the partials are not one plan's", name, c.Code)
			}
			cities[c.Code] = c
		}
	}
	var missing []string
	for s, i := range byShard {
		if i < 0 {
			missing = append(missing, fmt.Sprint(s))
		}
	}
	if len(missing) > 0 {
		what := "shard " + missing[0] + " of plan %s (%d shards) is missing: run it"
		if len(missing) > 1 {
			what = "shards " + strings.Join(missing, ", ") + " of plan %s (%d shards) are missing: run them"
		}
		return nil, badInput(what+" (carriersim shard run --index I) and merge again", first.Plan, len(byShard))
	}
	return national(first, cities), nil
}

// polAcc accumulates one policy over cities.
type polAcc struct {
	total    metrics.Cell
	vehicles int
	fleets   [][]metrics.FleetReport
	groups   map[[3]string]*metrics.Cell
	byPC     map[[3]string]*metrics.Cell
	longRun  metrics.LongRunPartial
}

// national adds the cities in code order into the report.
func national(p *Partial, cities map[string]*CityPartial) *Report {
	r := &Report{Report: metrics.Report{Scenario: p.Scenario, Seed: p.Seed, Policies: make([]metrics.PolicyReport, len(p.Policies)),
		LatencyQuantiles: metrics.LatencySketch},
		ScenarioHash: p.ScenarioHash, Scale: p.Scale, SketchAccuracy: metrics.SketchAccuracy, CitiesSimulated: len(cities)}
	accs := make([]polAcc, len(p.Policies))
	for i := range accs {
		accs[i] = polAcc{total: metrics.NewCell(), groups: map[[3]string]*metrics.Cell{}, byPC: map[[3]string]*metrics.Cell{}}
	}
	add := func(m map[[3]string]*metrics.Cell, k [3]string, c *metrics.Cell) {
		if m[k] == nil {
			n := metrics.NewCell()
			m[k] = &n
		}
		m[k].Merge(c)
	}
	for _, code := range slices.Sorted(maps.Keys(cities)) {
		cp := cities[code]
		row := CityReport{City: cp.City, DayOrdersSimulated: cp.DayOrdersSimulated}
		for i := range cp.Policies {
			pp := &cp.Policies[i]
			a := &accs[i]
			a.total.Merge(&pp.Total)
			a.vehicles += pp.VehiclesUsed
			a.longRun.Merge(&pp.LongRun)
			a.fleets = append(a.fleets, pp.Fleets)
			for g := range pp.Groups {
				gc := &pp.Groups[g]
				add(a.groups, [3]string{gc.Platform, gc.Carrier, gc.Category}, &gc.Cell)
				add(a.byPC, [3]string{gc.Platform, "*", gc.Category}, &gc.Cell)
			}
			m := pp.Total.Metrics()
			m.VehiclesUsed = float64(pp.VehiclesUsed)
			row.Policies = append(row.Policies, CityPolicyMetrics{Policy: p.Policies[i], Metrics: m})
		}
		r.Cities = append(r.Cities, row)
	}
	for i, a := range accs {
		pr := metrics.PolicyReport{Policy: p.Policies[i], Metrics: a.total.Metrics()}
		pr.VehiclesUsed = float64(a.vehicles)
		pr.Groups = groupReports(a.groups)
		pr.PlatformCategory = groupReports(a.byPC)
		pr.Fleets = metrics.MergeFleets(a.fleets...)
		pr.LongRun = a.total.LongRun(&a.longRun)
		r.Policies[i] = pr
	}
	return r
}

// groupReports lists groups by platform, carrier and category name.
func groupReports(m map[[3]string]*metrics.Cell) []metrics.GroupReport {
	keys := make([][3]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [3]string) int { return slices.Compare(a[:], b[:]) })
	out := make([]metrics.GroupReport, 0, len(keys))
	for _, k := range keys {
		out = append(out, metrics.GroupReport{Platform: k[0], Carrier: k[1], Category: k[2], Metrics: m[k].Metrics()})
	}
	return out
}

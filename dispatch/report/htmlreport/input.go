package htmlreport

// This is the one file that knows the simulation's types. When the report types move to their own package,
// only the aliases and the functions below change.

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/metrics"
	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/dispatch/sim"
)

// Aliases for the report types the page reads.
type (
	report         = metrics.Report
	policyReport   = metrics.PolicyReport
	groupReport    = metrics.GroupReport
	installReport  = metrics.InstallReport
	districtReport = metrics.DistrictReport
)

// Input is everything the page shows. Report is required; every other part may be missing, and the page
// says so where it would have been drawn.
type Input struct {
	// Report is the compare JSON report (one replication, or the first of several).
	Report *metrics.Report
	// Map holds the city's districts and the carriers' stations; nil draws no map (the district table stays).
	Map *Map
	// Latency gives each policy's latency distribution, in the report's policy order; nil when only the
	// JSON report was at hand.
	Latency []PolicyLatency
	// Installs gives each policy and carrier's install distributions; nil when only the JSON report was at
	// hand (the page then draws the report's p50-p90 ranges instead).
	Installs []InstallLatency
	// Intervals gives confidence intervals of the headline figures over replications; nil for one run.
	Intervals []PolicyIntervals
	// Sweep is the result of a parameter sweep; nil for a single comparison.
	Sweep *Sweep
	Meta  Meta
}

// Quantiles is how many quantiles a latency distribution keeps: the 1%, 2%, ..., 100% points.
const Quantiles = 100

// PolicyLatency is one policy's latency distribution as quantiles: element i is the (i+1)% nearest-rank
// quantile, in minutes. A slice is empty when the policy delivered no such order.
type PolicyLatency struct {
	Policy string
	// Door is from order creation to the door, over delivered parcel and bulky orders of the day.
	Door []float64
	// Installed is from order creation to installation completed, over installed orders of the day.
	Installed []float64
}

// InstallLatency is the distributions of one policy and carrier's installed orders, as Quantiles
// quantiles in hours.
type InstallLatency struct {
	Policy, Carrier, Model string
	// Wait is from the start of the customer's preferred slot to the start of the booked slot.
	Wait []float64
	// Installed is from order creation to installation completed.
	Installed []float64
}

// PolicyIntervals holds one policy's headline figures over replications, each as mean and 95% interval.
type PolicyIntervals struct {
	Policy       string
	Replications int
	CostPerOrder Interval // CNY per delivered order
	P50Minutes   Interval // median minutes from order to door
	OnTimeRate   Interval // share of orders on time
}

// Interval is an estimate with the bounds of its confidence interval.
type Interval struct {
	Mean, Lo, Hi float64
}

// Sweep is a metric-by-parameter table: for each swept value, each policy's metrics with intervals.
type Sweep struct {
	Parameter string    // e.g. "demand.orders"
	Values    []float64 // the swept values, ascending
	Metrics   []SweepMetric
}

// SweepMetric is one metric along the sweep, one series per policy.
type SweepMetric struct {
	Name, Unit string
	Series     []SweepSeries
}

// SweepSeries is one policy's metric at each swept value (same length as Sweep.Values); Lo and Hi may be
// nil when there were no replications.
type SweepSeries struct {
	Policy       string
	Mean, Lo, Hi []float64
}

// Map is what the page draws of the city.
type Map struct {
	Districts []District
	Carriers  []MapCarrier
}

// District is one polygon of the city, named as in the report's districts (lon/lat).
type District struct {
	Name     string
	Geometry orb.MultiPolygon
}

// MapCarrier is one carrier's delivery stations (lon/lat).
type MapCarrier struct {
	ID, Name string
	Stations []orb.Point
}

// Meta describes the run: what a reader needs to reproduce it.
type Meta struct {
	Scenario string
	Version  string   // carriersim's version or commit
	Seeds    []uint64 // one per replication
	Command  []string // the command line, program name first
	// Params are the scenario's key parameters, in display order.
	Params []Param
	// Promises describes each category's delivery promise, keyed by the report's category names.
	Promises []Param
}

// Param is a named value for display.
type Param struct {
	Name, Value string
}

// FromComparison builds the page's input from a finished comparison that kept its orders: its report, its
// world's districts and stations, and each policy's latency distributions over the simulated day's orders
// (warm-up orders excluded), as LatencySinks collect them. Fields of meta left empty are filled from the
// comparison.
func FromComparison(c *dispatch.Comparison, meta Meta) *Input {
	sinks := make([]*LatencySink, len(c.Runs))
	for k, run := range c.Runs {
		sinks[k] = NewLatencySink(c, k)
		for i := range c.Orders {
			sinks[k].Finished(int32(i), &c.Orders[i], &run.Outcomes[i])
		}
	}
	return FromStream(c, meta, sinks)
}

// FromStream builds the page's input from a finished comparison and one LatencySink per policy that
// observed its run (dispatch.Options.Observe): the same page as FromComparison, for a run that released
// its orders.
func FromStream(c *dispatch.Comparison, meta Meta, sinks []*LatencySink) *Input {
	in := FromReport(&c.Report, c.World, meta)
	if len(in.Meta.Seeds) == 0 {
		in.Meta.Seeds = []uint64{c.Seed}
	}
	for _, l := range sinks {
		in.Latency = append(in.Latency, PolicyLatency{Policy: l.policy,
			Door: l.door.Quantiles(Quantiles), Installed: l.installed.Quantiles(Quantiles)})
		for ci, cr := range c.World.Scenario.Carriers {
			if l.total[ci].Len() > 0 {
				in.Installs = append(in.Installs, InstallLatency{Policy: l.policy, Carrier: cr.ID, Model: cr.InstallModel,
					Wait: l.wait[ci].Quantiles(Quantiles), Installed: l.total[ci].Quantiles(Quantiles)})
			}
		}
	}
	return in
}

// LatencySink collects one policy's latency distributions for the page as the run's orders reach their
// final state (a sim.Sink): order to door in minutes, order to installed in minutes and, per carrier,
// installs' wait for a slot and order to installed in hours. It counts values at the JSON report's
// resolution (0.1 minute, 0.01 hour; metrics.Distribution), so its memory does not grow with the orders
// and its quantiles are the exact quantiles rounded as the report rounds them.
type LatencySink struct {
	policy          string
	door, installed *metrics.Distribution
	wait, total     []*metrics.Distribution // per carrier
}

// NewLatencySink returns an empty sink for policy i of c.
func NewLatencySink(c *dispatch.Comparison, i int) *LatencySink {
	l := &LatencySink{policy: c.Policies[i].Name, door: metrics.NewDistribution(1), installed: metrics.NewDistribution(1)}
	for range c.World.Scenario.Carriers {
		l.wait = append(l.wait, metrics.NewDistribution(2))
		l.total = append(l.total, metrics.NewDistribution(2))
	}
	return l
}

// Finished counts a final order (sim.Sink): delivered orders of the simulated day only.
func (l *LatencySink) Finished(_ int32, o *sim.Order, out *sim.Outcome) {
	if o.Warmup || out.State != sim.Delivered {
		return
	}
	minutes := float64(out.Done - o.Created)
	if o.Category != scenario.ApplianceInstall {
		l.door.Add(minutes)
		return
	}
	l.installed.Add(minutes)
	if out.Carrier >= 0 {
		l.wait[out.Carrier].Add(float64(out.Slot-o.PrefStart) / 60)
		l.total[out.Carrier].Add(minutes / 60)
	}
}

// Routed does nothing: the page draws no route (sim.Sink).
func (l *LatencySink) Routed(*sim.RouteRecord, int) {}

// FromReport builds the page's input from a report alone and, when w is not nil, the world of its scenario
// (built with the report's order count, see DesignOrders) for the map and the key parameters. The page then
// has no latency distributions and says so.
func FromReport(r *metrics.Report, w *sim.World, meta Meta) *Input {
	in := &Input{Report: r, Meta: meta, Intervals: IntervalsFrom(r.Replications)}
	if in.Meta.Scenario == "" {
		in.Meta.Scenario = r.Scenario
	}
	if len(in.Meta.Seeds) == 0 {
		in.Meta.Seeds = []uint64{r.Seed}
		if r.Replications != nil {
			in.Meta.Seeds = r.Replications.Seeds
		}
	}
	if w == nil {
		return in
	}
	m := &Map{}
	for _, z := range w.Zones {
		m.Districts = append(m.Districts, District{Name: z.Name, Geometry: z.Geometry})
	}
	for _, nw := range w.Carriers {
		mc := MapCarrier{ID: nw.Carrier.ID, Name: nw.Carrier.Name}
		for _, st := range nw.Stations {
			mc.Stations = append(mc.Stations, st.Point)
		}
		m.Carriers = append(m.Carriers, mc)
	}
	in.Map = m
	if in.Meta.Params == nil {
		in.Meta.Params = scenarioParams(w)
	}
	if in.Meta.Promises == nil {
		in.Meta.Promises = promises(w.Scenario)
	}
	return in
}

// DesignOrders returns the design volume (demand.orders) that gives the report's day: its order count
// divided by the scenario's peak multiplier. Set it on the scenario before building the world for
// FromReport, so the stations drawn are the ones the run had.
func DesignOrders(r *metrics.Report, s *scenario.Scenario) int {
	if len(r.Policies) == 0 || s.Demand.PeakMultiplier <= 0 {
		return s.Demand.Orders
	}
	return int(math.Round(float64(r.Policies[0].Orders) / s.Demand.PeakMultiplier))
}

// DecodeReport reads a compare JSON report, rejecting unknown fields and a report without policies.
func DecodeReport(rd io.Reader, name string) (*metrics.Report, error) {
	dec := json.NewDecoder(rd)
	dec.DisallowUnknownFields()
	var r metrics.Report
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%s: not a carriersim JSON report: %w", name, err)
	}
	if len(r.Policies) == 0 {
		return nil, fmt.Errorf("%s: the report has no policies", name)
	}
	return &r, nil
}

func scenarioParams(w *sim.World) []Param {
	s := w.Scenario
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	ps := []Param{
		{"city", s.City.Name},
		{"design orders a day (demand.orders)", strconv.Itoa(s.Demand.Orders)},
		{"peak multiplier", f(s.Demand.PeakMultiplier)},
		{"road circuity", f(s.Travel.Circuity)},
		{"value of time (CNY per hour)", f(s.Goods.Parcel.ValueOfTimeCNYPerHour)},
		{"network seed", strconv.FormatUint(s.Demand.NetworkSeed, 10)},
		{"router iterations per station-wave", strconv.Itoa(s.Routing.Iterations)},
	}
	for _, p := range s.Platforms {
		ps = append(ps, Param{"platform " + p.ID, fmt.Sprintf("%s%% of orders, %s%% 1P, home carrier %s",
			f(p.Share*100), f(math.Round(p.FirstParty*1000)/10), p.HomeCarrier)})
	}
	for _, nw := range w.Carriers {
		c := nw.Carrier
		var fleets []string
		for _, fl := range c.Fleets {
			fleets = append(fleets, fl.Name)
		}
		ps = append(ps, Param{"carrier " + c.ID, fmt.Sprintf("%d stations (one per %d expected orders), %d sorting centres, install model %s, fleets %s",
			len(nw.Stations), c.OrdersPerStation, len(nw.SortingCenters), c.InstallModel, strings.Join(fleets, ", "))})
	}
	for _, p := range s.Policies {
		ps = append(ps, Param{"policy " + p.Name, p.Description})
	}
	return ps
}

func promises(s *scenario.Scenario) []Param {
	var out []Param
	for _, c := range scenario.Categories() {
		g := s.Goods.Parcel
		switch c {
		case scenario.Bulky:
			g = s.Goods.Bulky
		case scenario.ApplianceInstall:
			g = s.Goods.ApplianceInstall
		}
		text := g.Promise
		switch {
		case g.Promise == "211" && g.ExtraDays == 1:
			text = "211 plus 1 day"
		case g.Promise == "211" && g.ExtraDays > 1:
			text = fmt.Sprintf("211 plus %d days", g.ExtraDays)
		case g.Promise == "appointment":
			text = "crew in the preferred slot"
		}
		out = append(out, Param{c.String(), text})
	}
	return out
}

package metrics

import (
	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/dispatch/sim"
)

// Tally folds one policy's orders into its report as they reach their final state, and its routes as they
// are recorded: it is a sim.Sink, so a run can release every order once folded (sim.Options.Release). It
// keeps counts, sums and exact quantiles of report-resolution values (roundedCounts) per group, so its memory
// grows with the number of groups and the range of latencies, not with the orders. Sums are added in the
// order the orders finish, which a run makes deterministic. Not safe for concurrent use: one run feeds it.
type Tally struct {
	w         *sim.World
	total     acc
	groups    map[groupKey]*acc // platform x carrier x category
	platCat   map[groupKey]*acc // platform x category
	districts []acc             // by zone; the last is "outside"
	installs  map[groupKey]*installCell
	models    map[groupKey]*installCell
	promises  map[string]*promiseCell
	shares    []CarrierShare // counts only until Report
	dayOrders int
	revenue   []float64 // per carrier, delivered orders' tariffs
	variable  []float64 // per carrier, delivered orders' variable cost
	fixed     fixedUse
	served    map[[3]int]float64 // accepted legs per carrier x station x fleet (long run)
	accepted  []int              // accepted orders per carrier
	load      map[[2]int]float64 // delivered parcels per carrier x station on the parcel fleet
	routes    routeSums
	vehicles  int  // routes that served any of the day's orders
	sketches  bool // the total and the groups keep latency sketches (NewPartialTally)
}

// routeSums adds up the parcel fleets' routes (Productivity).
type routeSums struct{ km, stops, hours float64 }

// NewTally returns an empty tally for a run in world w.
func NewTally(w *sim.World) *Tally {
	t := &Tally{w: w, groups: map[groupKey]*acc{}, platCat: map[groupKey]*acc{}, districts: make([]acc, len(w.Zones)+1),
		installs: map[groupKey]*installCell{}, models: map[groupKey]*installCell{}, promises: map[string]*promiseCell{},
		shares: make([]CarrierShare, len(w.Carriers)), revenue: make([]float64, len(w.Carriers)),
		variable: make([]float64, len(w.Carriers)), fixed: fixedUse{delivered: make([]int, len(w.Carriers))},
		served: map[[3]int]float64{}, accepted: make([]int, len(w.Carriers)), load: map[[2]int]float64{}}
	for ci, nw := range w.Carriers {
		t.shares[ci].Carrier = nw.Carrier.ID
	}
	return t
}

// NewPartialTally returns an empty tally whose total and platform x carrier x category groups also keep
// latency sketches, so that it gives the run's mergeable result (Partial) as well as its report.
func NewPartialTally(w *sim.World) *Tally {
	t := NewTally(w)
	t.sketches = true
	t.total.sketch = NewSketch()
	return t
}

// Finished folds one final order (sim.Sink); warm-up orders count in no figure.
func (t *Tally) Finished(_ int32, o *sim.Order, out *sim.Outcome) {
	if o.Warmup {
		return
	}
	t.total.add(o, out)
	g := cell(t.groups, groupKey{int(o.Platform), int(out.Carrier), int(o.Category)})
	if t.sketches && g.sketch == nil {
		g.sketch = NewSketch()
	}
	g.add(o, out)
	cell(t.platCat, groupKey{int(o.Platform), -2, int(o.Category)}).add(o, out)
	z := int(o.Zone)
	if z < 0 || z >= len(t.w.Zones) {
		z = len(t.w.Zones)
	}
	t.districts[z].add(o, out)
	kind := PromiseKind(o)
	pc := t.promises[kind]
	if pc == nil {
		pc = &promiseCell{r: PromiseReport{Promise: kind}, lat: newRoundedCounts(1)}
		t.promises[kind] = pc
	}
	pc.add(o, out)
	if o.Category == scenario.ApplianceInstall {
		installCellOf(t.installs, groupKey{int(o.Platform), int(out.Carrier), int(o.Product)}).add(o, out)
		installCellOf(t.models, groupKey{-1, int(out.Carrier), -1}).add(o, out)
	}

	t.dayOrders++
	b := t.w.BaselineCarrier(o)
	t.shares[b].BaselineOrders++
	if int(out.Carrier) != b {
		t.shares[b].Switched++
	}
	t.fixed.add(out)
	if out.Carrier < 0 {
		return
	}
	ci := int(out.Carrier)
	t.shares[ci].Orders++
	if out.Station >= 0 {
		t.accepted[ci]++
		if out.Fleet >= 0 {
			t.served[[3]int{ci, int(out.Station), int(out.Fleet)}]++
		}
		if out.InstallFleet >= 0 {
			t.served[[3]int{ci, int(out.Station), int(out.InstallFleet)}]++
		}
	}
	if out.State != sim.Delivered {
		return
	}
	t.shares[ci].Delivered++
	t.revenue[ci] += t.w.Carriers[ci].Carrier.Tariff(o.Category)
	t.variable[ci] += out.Linehaul + out.Sorting + out.LastMile + out.Install
	if int(out.Fleet) == t.w.Carriers[ci].FleetFor(scenario.Parcel) {
		t.load[[2]int{ci, int(out.Station)}]++
	}
}

// Routed folds one recorded route (sim.Sink).
func (t *Tally) Routed(r *sim.RouteRecord, dayStops int) {
	if dayStops > 0 {
		t.vehicles++
	}
	if r.Fleet != t.w.Carriers[r.Carrier].FleetFor(scenario.Parcel) {
		return
	}
	t.routes.km += r.Km
	t.routes.stops += float64(len(r.Stops))
	t.routes.hours += float64(r.Return-r.Depart) / 60
}

func cell(m map[groupKey]*acc, k groupKey) *acc {
	a := m[k]
	if a == nil {
		a = &acc{}
		m[k] = a
	}
	return a
}

// Report is the policy's report once every order and route of run has been folded; it reads the run's
// policy and ledger only.
func (t *Tally) Report(run *sim.Run) PolicyReport {
	w := t.w
	fc := allocateFixed(w, &t.fixed)
	pr := PolicyReport{Policy: run.Policy.Name, Metrics: t.total.metrics(fc.rates)}
	// The policy total counts whole vehicles: those that served at least one of the day's orders.
	pr.VehiclesUsed = float64(t.vehicles)
	pr.Groups = groupReports(w, t.groups, fc.rates)
	pr.Carriers = t.carrierShares()
	carrierMoney(t.revenue, t.variable, &fc, pr.Carriers)
	pr.PlatformCategory = groupReports(w, t.platCat, fc.rates)
	pr.Installs = installReports(w, t.installs, fc.rates)
	pr.InstallModels = installReports(w, t.models, fc.rates)
	pr.Fleets = fleetUse(w, run)
	pr.Districts = t.districtReports(fc.rates)
	total, fixed := t.total.money(t.total.fixed.cost(fc.rates))
	pr.LongRun = longRun(w, t.served, t.accepted, total-fixed, t.total.delivered)
	pr.Productivity = productivity(w, t.load, &t.routes)
	pr.OnTimeByPromise = onTimeByPromise(t.promises)
	return pr
}

// Summarize builds one policy's report from a run that kept its orders: the run's routes, then its orders
// in the order they finished, folded as a Tally fed during the run would fold them.
func Summarize(w *sim.World, orders []sim.Order, run *sim.Run) PolicyReport {
	t := NewTally(w)
	t.replay(orders, run)
	return t.Report(run)
}

// replay folds a run that kept its orders: its routes, then its orders in the order they finished.
func (t *Tally) replay(orders []sim.Order, run *sim.Run) {
	for i := range run.Routes {
		r := &run.Routes[i]
		day := 0
		for _, id := range r.Stops {
			if !orders[id].Warmup {
				day++
			}
		}
		t.Routed(r, day)
	}
	for _, id := range run.Finished {
		t.Finished(int32(id), &orders[id], &run.Outcomes[id])
	}
}

// carrierShares turns the counts of the carriers' orders into shares.
func (t *Tally) carrierShares() []CarrierShare {
	out := append([]CarrierShare(nil), t.shares...)
	if t.dayOrders > 0 {
		for i := range out {
			out[i].Share = round(float64(out[i].Orders)/float64(t.dayOrders), 4)
			out[i].BaselineShare = round(float64(out[i].BaselineOrders)/float64(t.dayOrders), 4)
		}
	}
	return out
}

// districtReports lists the districts in zone order; "outside" comes last and only when it has orders.
func (t *Tally) districtReports(rates fixedRates) []DistrictReport {
	out := make([]DistrictReport, 0, len(t.districts))
	for z := range t.districts {
		name := "outside"
		if z < len(t.w.Zones) {
			name = t.w.Zones[z].Name
		} else if t.districts[z].orders == 0 {
			break
		}
		out = append(out, DistrictReport{District: name, Metrics: t.districts[z].metrics(rates)})
	}
	return out
}

// groupReports lists groups in key order; carrier -1 is "none" and -2 "*".
func groupReports(w *sim.World, groups map[groupKey]*acc, rates fixedRates) []GroupReport {
	keys := make([]groupKey, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sortKeys(keys)
	var out []GroupReport
	for _, k := range keys {
		platform, carrier, category := groupNames(w, k)
		out = append(out, GroupReport{Platform: platform, Carrier: carrier, Category: category, Metrics: groups[k].metrics(rates)})
	}
	return out
}

// groupNames names a platform x carrier x category key; carrier -1 is "none" and -2 "*".
func groupNames(w *sim.World, k groupKey) (platform, carrier, category string) {
	carrier = "*"
	switch {
	case k[1] >= 0:
		carrier = w.Scenario.Carriers[k[1]].ID
	case k[1] == -1:
		carrier = "none"
	}
	return w.Scenario.Platforms[k[0]].ID, carrier, scenario.Category(k[2]).String()
}

// installCell accumulates one platform x carrier x product (or carrier) group of installs.
type installCell struct {
	r                      InstallReport
	onDay                  int
	wait, total            roundedCounts // hours, at 0.01
	waitSum, totalSum      float64
	delivery, crews, other float64 // variable costs: truck and crew last mile, line-haul and sorting
	fixed                  legCounts
}

func installCellOf(m map[groupKey]*installCell, k groupKey) *installCell {
	c := m[k]
	if c == nil {
		c = &installCell{wait: newRoundedCounts(2), total: newRoundedCounts(2)}
		m[k] = c
	}
	return c
}

func (c *installCell) add(o *sim.Order, out *sim.Outcome) {
	c.r.Orders++
	if out.State != sim.Delivered {
		c.r.Unserved++
		return
	}
	c.r.Installed++
	if out.Late(o) {
		c.r.Late++
	}
	if out.Slot.DayOf() == o.PrefStart.DayOf() {
		c.onDay++
	}
	wait, total := float64(out.Slot-o.PrefStart)/60, float64(out.Done-o.Created)/60
	c.wait.add(wait)
	c.total.add(total)
	c.waitSum += wait
	c.totalSum += total
	c.delivery += out.LastMile
	c.crews += out.Install
	c.other += out.Linehaul + out.Sorting
	c.fixed.add(out)
}

// installReports lists install groups in key order: platform and product "*" when the key has none,
// carrier "none" for orders no carrier took.
func installReports(w *sim.World, cells map[groupKey]*installCell, rates fixedRates) []InstallReport {
	keys := make([]groupKey, 0, len(cells))
	for k := range cells {
		keys = append(keys, k)
	}
	sortKeys(keys)
	out := make([]InstallReport, 0, len(keys))
	for _, k := range keys {
		c := cells[k]
		r := c.r
		r.Platform, r.Product, r.Carrier, r.Model = "*", "*", "none", ""
		if k[0] >= 0 {
			r.Platform = w.Scenario.Platforms[k[0]].ID
			r.Product = w.Scenario.Products[k[2]].ID
		}
		if k[1] >= 0 {
			r.Carrier = w.Scenario.Carriers[k[1]].ID
			r.Model = w.Scenario.Carriers[k[1]].InstallModel
		}
		if r.Installed > 0 {
			n := float64(r.Installed)
			fx := c.fixed.cost(rates)
			delivery, crews := c.delivery+fx.lastMile, c.crews+fx.install
			r.OnPreferredDay = round(float64(c.onDay)/n, 4)
			r.WaitHours = Hours{Mean: round(c.waitSum/n, 2), P50: c.wait.quantile(0.5), P90: c.wait.quantile(0.9)}
			r.OrderToInstalledHours = Hours{Mean: round(c.totalSum/n, 2), P50: c.total.quantile(0.5), P90: c.total.quantile(0.9)}
			r.DeliveryCost = round(delivery/n, 2)
			r.CrewCost = round(crews/n, 2)
			r.LinehaulSorting = round(c.other/n, 2)
			r.CostPerInstall = round((delivery+crews+c.other)/n, 2)
		}
		out = append(out, r)
	}
	return out
}

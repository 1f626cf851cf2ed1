package metrics

import (
	"cmp"
	"math"
	"slices"

	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/dispatch/sim"
)

// LongRunCost is a policy's cost with every carrier's network resized to the policy's own demand: each
// station keeps the vehicles (crews) the sizing rule gives for the orders it actually served, and each
// carrier the stations its orders need. Variable costs are the short-run run's: the routes are not
// simulated again on the smaller networks, so this is an estimate of what resizing saves in fixed cost.
type LongRunCost struct {
	Total    float64 `json:"total"`
	PerOrder float64 `json:"per_order"`
	Fixed    float64 `json:"fixed"`
	Variable float64 `json:"variable"`
	// Stations and Vehicles count the resized networks (vehicles and crews of every fleet).
	Stations int `json:"stations"`
	Vehicles int `json:"vehicles"`
}

// fixedPart is the fixed cost a delivered order carries: its share of its station's and its fleets' daily
// costs, split into the last-mile part (stations, vans, trucks) and the install part (crews).
type fixedPart struct{ lastMile, install float64 }

// legKey is what a delivered order's fixed cost depends on: its carrier, its main leg's fleet and its
// installer's fleet (-1 when none).
type legKey [3]int8

// legCounts counts delivered orders by legKey, so that a cell's fixed cost can be added once the run's
// rates are known (fixedRates). A nil map is empty.
type legCounts map[legKey]int

func (c *legCounts) add(out *sim.Outcome) {
	if out.Carrier < 0 {
		return
	}
	if *c == nil {
		*c = legCounts{}
	}
	(*c)[legKey{out.Carrier, out.Fleet, out.InstallFleet}]++
}

// cost is the fixed cost of the counted orders: each key's count times its rate, in key order.
func (c legCounts) cost(rates fixedRates) fixedPart {
	var sum fixedPart
	keys := make([]legKey, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b legKey) int { return slices.Compare(a[:], b[:]) })
	for _, k := range keys {
		r := rates[k]
		sum.lastMile += float64(c[k]) * r.lastMile
		sum.install += float64(c[k]) * r.install
	}
	return sum
}

// fixedRates is the fixed cost each delivered order carries, by legKey.
type fixedRates map[legKey]fixedPart

// fixedCosts are a policy's fixed costs over the reported days (short run: every station, vehicle and crew
// of every network, busy or not) and their allocation to those days' delivered orders.
type fixedCosts struct {
	rates fixedRates
	// carrier is each carrier's short-run fixed cost of the day.
	carrier []float64
	total   float64
}

// fixedUse counts what the allocation of fixed costs needs: the day's delivered orders in all, by carrier
// and by keys (legKey).
type fixedUse struct {
	all       int
	delivered []int
	keys      legCounts
}

func (u *fixedUse) add(out *sim.Outcome) {
	if out.State != sim.Delivered || out.Carrier < 0 {
		return
	}
	u.all++
	u.delivered[out.Carrier]++
	u.keys.add(out)
}

// allocateFixed charges every carrier's fixed daily cost to the day's orders it delivered: each fleet's
// vehicles (crews) to the orders that fleet carried, the stations, and any fleet that carried nothing, to
// all the carrier's delivered orders alike. A carrier that delivered nothing leaves its cost to all the
// policy's delivered orders, so that the orders' costs always add up to the policy's total.
func allocateFixed(w *sim.World, u *fixedUse) fixedCosts {
	fc := fixedCosts{rates: fixedRates{}, carrier: make([]float64, len(w.Carriers))}
	type fleetKey struct{ c, f int }
	legs := map[fleetKey]int{}
	for k, n := range u.keys {
		legs[fleetKey{int(k[0]), int(k[1])}] += n
		if k[2] >= 0 {
			legs[fleetKey{int(k[0]), int(k[2])}] += n
		}
	}
	fleetRate := map[fleetKey]float64{} // CNY per leg
	pool := make([]float64, len(w.Carriers))
	days := float64(w.Scenario.ReportedDays())
	for ci, nw := range w.Carriers {
		cr := nw.Carrier
		pool[ci] = cr.StationCNYPerDay * float64(len(nw.Stations)) * days
		for fi := range cr.Fleets {
			cost := cr.Fleets[fi].DailyCNY * float64(fleetUnits(nw, fi)) * days
			fc.carrier[ci] += cost
			if n := legs[fleetKey{ci, fi}]; n > 0 {
				fleetRate[fleetKey{ci, fi}] = cost / float64(n)
			} else {
				pool[ci] += cost
			}
		}
		fc.carrier[ci] += pool[ci]
		fc.total += fc.carrier[ci]
	}
	var orphan float64 // fixed cost of carriers that delivered nothing
	for ci := range pool {
		if u.delivered[ci] == 0 {
			orphan += pool[ci]
		}
	}
	for k := range u.keys {
		ci := int(k[0])
		var part fixedPart
		part.lastMile = pool[ci]/float64(u.delivered[ci]) + orphan/float64(u.all)
		for _, fi := range []int{int(k[1]), int(k[2])} {
			if fi < 0 {
				continue
			}
			r := fleetRate[fleetKey{ci, fi}]
			if w.Carriers[ci].Carrier.Fleets[fi].IsInstall() {
				part.install += r
			} else {
				part.lastMile += r
			}
		}
		fc.rates[k] = part
	}
	return fc
}

// resized is the vehicles (crews) a station would keep for got legs a day of a fleet it now keeps n of,
// sized for planned: the sizing rule of the network (legs per wave times headroom over a vehicle's
// capacity) for vans and trucks, and n scaled by got/planned for crews, whose rule counts crew-minutes. A
// fleet given a fixed number per station keeps it; one with nothing to do keeps none.
func resized(f *scenario.Fleet, n int, planned, got float64) int {
	switch {
	case planned <= 0:
		return n
	case got == 0:
		return 0
	case f.IsInstall():
		return max(1, int(math.Ceil(float64(n)*got/planned)))
	}
	return max(1, int(math.Ceil(got/float64(len(f.Waves))*f.Headroom/float64(f.Capacity.Count))))
}

// fleetUnits is the number of vehicles (crews) of fleet fi over the network's stations.
func fleetUnits(nw *sim.Network, fi int) int {
	n := 0
	for _, st := range nw.Stations {
		n += st.Vehicles[fi]
	}
	return n
}

// longRun resizes every network to the policy's demand (see LongRunCost). variable is the policy's
// variable cost and delivered its delivered orders.
func longRun(w *sim.World, served map[[3]int]float64, accepted []int, variable float64, delivered int) LongRunCost {
	n := longRunNetworks(w, served, accepted)
	return n.Cost(variable, delivered)
}

// LongRunPartial is the mergeable part of a policy's long-run cost (LongRunCost): the resized networks'
// daily fixed cost over the reported days, unrounded, and their stations and vehicles (crews). Cities'
// networks are separate, so a national day's is the sum of its cities'.
type LongRunPartial struct {
	Fixed    float64 `json:"fixed_cny"`
	Stations int     `json:"stations"`
	Vehicles int     `json:"vehicles"`
}

// Merge adds other's networks to l.
func (l *LongRunPartial) Merge(other *LongRunPartial) {
	l.Fixed += other.Fixed
	l.Stations += other.Stations
	l.Vehicles += other.Vehicles
}

// Cost is the long-run cost of these networks with variable cost variable over delivered orders.
func (l *LongRunPartial) Cost(variable float64, delivered int) LongRunCost {
	lr := LongRunCost{Stations: l.Stations, Vehicles: l.Vehicles, Fixed: round(l.Fixed, 2), Variable: round(variable, 2)}
	lr.Total = round(lr.Fixed+lr.Variable, 2)
	if delivered > 0 {
		lr.PerOrder = round((lr.Fixed+variable)/float64(delivered), 4)
	}
	return lr
}

// longRunNetworks resizes every network to the demand served (see LongRunCost).
func longRunNetworks(w *sim.World, served map[[3]int]float64, accepted []int) LongRunPartial {
	type key = [3]int
	days := float64(w.Scenario.ReportedDays())
	perDay := make(map[key]float64, len(served))
	for k, n := range served {
		perDay[k] = n / days
	}
	var lr LongRunPartial
	for ci, nw := range w.Carriers {
		cr := nw.Carrier
		stations := len(nw.Stations)
		if len(cr.Stations) == 0 && accepted[ci] > 0 {
			stations = max(cr.MinStations, int(math.Ceil(float64(accepted[ci])/days/float64(cr.OrdersPerStation))))
		}
		if accepted[ci] == 0 {
			stations = 0
		}
		lr.Stations += stations
		lr.Fixed += cr.StationCNYPerDay * float64(stations) * days
		for si, st := range nw.Stations {
			for fi := range cr.Fleets {
				n := resized(&cr.Fleets[fi], st.Vehicles[fi], st.Planned[fi], perDay[key{ci, si, fi}])
				lr.Vehicles += n
				lr.Fixed += cr.Fleets[fi].DailyCNY * float64(n) * days
			}
		}
	}
	return lr
}

// Productivity is the couriers' work under a policy: the couriers of every carrier's parcel fleet (one per
// vehicle, each working every wave of the day) and what their routes did.
type Productivity struct {
	// Couriers is the parcel fleets' vehicles over all stations, busy or not.
	Couriers int `json:"couriers"`
	// ParcelsPerCourierDayMean is the day's parcel-fleet deliveries over Couriers; P50 the median courier's
	// (each courier taking the average of their station); AtMost200 the share of couriers at or below 200.
	ParcelsPerCourierDayMean float64 `json:"parcels_per_courier_day_mean"`
	ParcelsPerCourierDayP50  float64 `json:"parcels_per_courier_day_p50"`
	AtMost200                float64 `json:"couriers_at_most_200_share"`
	// KmPerStop and StopsPerHour are over the parcel fleets' routes (out and back, station to station).
	KmPerStop    float64 `json:"km_per_stop"`
	StopsPerHour float64 `json:"stops_per_hour"`
}

// productivity measures the parcel fleets (the fleet each carrier uses for parcels).
func productivity(w *sim.World, load map[[2]int]float64, routes *routeSums) Productivity {
	type key = [2]int
	var p Productivity
	type courier struct{ parcels, n float64 }
	var cs []courier
	var total float64
	for ci, nw := range w.Carriers {
		fi := nw.FleetFor(scenario.Parcel)
		if fi < 0 {
			continue
		}
		for si, st := range nw.Stations {
			n := st.Vehicles[fi]
			if n == 0 {
				continue
			}
			p.Couriers += n
			l := load[key{ci, si}]
			total += l
			cs = append(cs, courier{l / float64(w.Scenario.ReportedDays()) / float64(n), float64(n)})
		}
	}
	if p.Couriers == 0 {
		return p
	}
	days := float64(w.Scenario.ReportedDays())
	p.ParcelsPerCourierDayMean = round(total/days/float64(p.Couriers), 1)
	slices.SortStableFunc(cs, func(a, b courier) int { return cmp.Compare(a.parcels, b.parcels) })
	var seen, under float64
	half := float64(p.Couriers) / 2
	p.ParcelsPerCourierDayP50 = -1
	for _, c := range cs {
		seen += c.n
		if c.parcels <= 200 {
			under += c.n
		}
		if p.ParcelsPerCourierDayP50 < 0 && seen >= half {
			p.ParcelsPerCourierDayP50 = round(c.parcels, 1)
		}
	}
	p.AtMost200 = round(under/float64(p.Couriers), 4)
	km, stops, hours := routes.km, routes.stops, routes.hours
	if stops > 0 {
		p.KmPerStop = round(km/stops, 3)
	}
	if hours > 0 {
		p.StopsPerHour = round(stops/hours, 2)
	}
	return p
}

// carrierMoney sets each carrier's revenue (its tariff for every order it delivered), cost (the variable
// cost of those orders plus its whole fixed cost of the day) and margin.
func carrierMoney(revenue, variable []float64, fc *fixedCosts, shares []CarrierShare) {
	for ci := range shares {
		c := &shares[ci]
		c.RevenueCNY = round(revenue[ci], 2)
		c.CostCNY = round(variable[ci]+fc.carrier[ci], 2)
		c.MarginCNY = round(revenue[ci]-variable[ci]-fc.carrier[ci], 2)
	}
}

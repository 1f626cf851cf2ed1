package sim

import (
	"cmp"
	"container/heap"
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"time"

	"github.com/carriersim/carriersim/dispatch/ledger"
	"github.com/carriersim/carriersim/dispatch/route"
	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/geo"
	"github.com/paulmach/orb"
)

// State is an order's final state.
type State uint8

// Final states: every order ends in exactly one.
const (
	Pending   State = iota // not final: only seen while a run is in progress
	Delivered              // delivered (and installed, for installs)
	Unserved               // the order could not be completed; Reason says why
)

// Unserved reasons, of the router's type: a wave's unassigned job (route.Reason) becomes one of these for
// its order (see rollover).
const (
	ReasonNoCapacity  route.Reason = "no_capacity"   // no slot with room within the booking horizon
	ReasonUnreachable route.Reason = "unreachable"   // no vehicle of the fleet can reach the stop within a shift
	ReasonTooLarge    route.Reason = "too_large"     // exceeds every vehicle's capacity
	ReasonNoFleet     route.Reason = "no_fleet"      // the carrier has no fleet for the category
	ReasonSkill       route.Reason = "missing_skill" // no crew has the skill and size the product needs
)

// Outcome is what happened to one order under one policy.
type Outcome struct {
	State  State
	Reason route.Reason
	// Carrier, Station and Fleet are the carrier that accepted the order, its station and the fleet of the
	// main leg (the delivery, or the integrated delivery-and-install visit); -1 when no carrier accepted it.
	Carrier int8
	Station int16
	Fleet   int8
	// InstallFleet is the installer crew's fleet in the split model (-1 otherwise).
	InstallFleet int8
	// Done is the minute the order was completed: delivered, or installation finished for installs.
	Done scenario.Minutes
	// GoodsAt is the minute the goods reached the door (equal to Done except in the split install model).
	GoodsAt scenario.Minutes
	// Slot is the start of the appointment slot the installation happened in, and InstallStart the crew's
	// arrival (installs only).
	Slot, InstallStart scenario.Minutes
	// Cost parts in CNY as incurred (an order accepted but not completed keeps what was spent on it).
	Linehaul, Sorting, LastMile, Install float64
	// Km is the order's share of its routes' km (each route's km split equally over its stops).
	Km float64
	// VehShare is the order's share of the vehicles that carried it: each route that served any of the
	// day's orders (not warm-up ones) counts as one vehicle split equally over those orders' stops. Zero for
	// warm-up orders.
	VehShare float64
}

// Late reports whether a delivered order missed its promise: delivered after it, or for installs, the crew
// arrived after the end of the customer's preferred half-day slot.
func (o *Outcome) Late(ord *Order) bool {
	if o.State != Delivered {
		return false
	}
	if ord.Category == scenario.ApplianceInstall {
		return o.InstallStart > ord.PrefEnd()+1e-9
	}
	return o.Done > ord.Promise+1e-9
}

// RouteRecord is one vehicle's (or crew's) tour in one wave.
type RouteRecord struct {
	Carrier, Station, Fleet int
	WaveStart               scenario.Minutes
	Stops                   []int32            // order ids in visit order
	Arrive                  []scenario.Minutes // service start at each stop
	Depart, Return          scenario.Minutes
	Km, CostCNY             float64
}

// Path is the route's way through the city: from its station through its stops' doors and back, the one
// shape every report draws.
func (r *RouteRecord) Path(w *World, orders []Order) orb.LineString {
	st := w.Carriers[r.Carrier].Stations[r.Station].Point
	line := make(orb.LineString, 0, len(r.Stops)+2)
	line = append(line, st)
	for _, id := range r.Stops {
		line = append(line, orders[id].Dest)
	}
	return append(line, st)
}

// Times gives the minute the route is at each point of Path: departure, each stop's service start, return.
func (r *RouteRecord) Times() []scenario.Minutes {
	t := make([]scenario.Minutes, 0, len(r.Stops)+2)
	t = append(t, r.Depart)
	t = append(t, r.Arrive...)
	return append(t, r.Return)
}

// Run is one policy's simulation of an order stream.
type Run struct {
	Policy *scenario.Policy
	// Outcomes holds every order's outcome by id, Routes every route in the order they were recorded and
	// Finished the order ids in the order they reached their final state. All three are nil when the run
	// released its orders (Options.Release): each went to Options.Sink instead.
	Outcomes []Outcome
	Routes   []RouteRecord
	Finished []int32
	// Ledger is the capacity ledger at the end of the run (for invariant checks and utilisation).
	Ledger *ledger.Ledger
	// resources maps ledger resources to (carrier, station, fleet).
	resources []resInfo
	// Timings is the wall time the run spent dispatching orders (quote, choose, reserve) and routing waves.
	Timings Timings
}

// Timings splits a run's wall time by phase.
type Timings struct {
	Dispatch, Route time.Duration
}

// Resource returns the carrier, station and fleet of a ledger resource.
func (r *Run) Resource(res ledger.Resource) (carrier, station, fleet int) {
	ri := r.resources[res]
	return ri.carrier, ri.station, ri.fleet
}

// Simulate runs one policy over orders: quote, choose and reserve at each order's creation, route every
// station-wave at its start, and record each order's final state. The result does not depend on opt.
func Simulate(ctx context.Context, w *World, pol *scenario.Policy, orders []Order, seed uint64, opt Options) (*Run, error) {
	s := newSim(w, pol, orders, seed, opt.Release)
	s.sink, s.batch = opt.Sink, opt.batch
	s.workers = opt.Workers
	if s.workers <= 0 {
		s.workers = runtime.GOMAXPROCS(0)
	}
	if opt.Progress != nil {
		s.progress = opt.Progress
	}
	s.progress.total.Store(int64(len(orders)))
	// Orders are not pushed on the event queue: a cursor walks them in (creation, id) order and is merged
	// with the queue, which then holds only waves. Popping a million orders off a heap cost more than
	// dispatching them. Every order sorts before any wave of the same minute (its sequence number, its id,
	// is smaller than every wave's, see newSim), so the merge yields exactly the single queue's order.
	seq := orderSequence(orders)
	// id is the next order's id: its position in seq, or itself when the stream is sorted (seq nil).
	next := 0
	id := func() int32 {
		if seq == nil {
			return int32(next)
		}
		return seq[next]
	}
	// orderFirst reports whether the next order comes before the queue's first wave (Less on the pair).
	orderFirst := func() bool {
		return next < len(orders) && (s.q.Len() == 0 || orders[id()].Created <= s.q[0].t)
	}
	var tm Timings
	mark := time.Now()
	lap := func(d *time.Duration) {
		now := time.Now()
		*d += now.Sub(mark)
		mark = now
	}
	for next < len(orders) || s.q.Len() > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if orderFirst() {
			s.dispatch(id())
			next++
			// Orders come in long runs between waves: time the run, not each order.
			if !orderFirst() {
				lap(&tm.Dispatch)
			}
			continue
		}
		ev := heap.Pop(&s.q).(event)
		switch ev.kind {
		case evWave:
			// Every wave starting at this minute is independent of the others: solve them together, then
			// apply the results in event order so the output does not depend on the number of workers.
			waves := []event{ev}
			for s.q.Len() > 0 && s.q[0].kind == evWave && s.q[0].t == ev.t && !orderFirst() {
				waves = append(waves, heap.Pop(&s.q).(event))
			}
			s.handOver(waves)
			if err := s.routeWaves(ctx, waves); err != nil {
				return nil, err
			}
			lap(&tm.Route)
		}
	}
	if s.finished != len(orders) {
		for i := range orders {
			if s.at[i] != finished {
				return nil, fmt.Errorf("dispatch: order %d has no final state after the run", i)
			}
		}
	}
	if err := s.led.Check(); err != nil {
		return nil, fmt.Errorf("dispatch: capacity ledger oversold: %w", err)
	}
	run := &Run{Policy: pol, Ledger: s.led, resources: s.res, Timings: tm}
	if !s.release {
		run.Outcomes, run.Routes, run.Finished = s.out, s.routes, s.fin
	}
	return run, nil
}

// orderSequence returns the order ids by (creation, id): the order in which an event queue holding every
// order would pop them; nil when that is the identity, as for generated streams, which come sorted.
func orderSequence(orders []Order) []int32 {
	sorted := true
	for i := 1; i < len(orders); i++ {
		if !(orders[i-1].Created <= orders[i].Created) {
			sorted = false
			break
		}
	}
	if sorted {
		return nil
	}
	seq := make([]int32, len(orders))
	for i := range seq {
		seq[i] = int32(i)
	}
	slices.SortStableFunc(seq, func(a, b int32) int { return cmp.Compare(orders[a].Created, orders[b].Created) })
	return seq
}

type resInfo struct{ carrier, station, fleet int }

type slotKey struct {
	res   ledger.Resource
	start int64
}

// leg is one visit an order needs: the main leg (a delivery, or the integrated delivery-and-install visit)
// and, in the split install model, the installer's visit after the delivery.
type leg uint8

const (
	legMain leg = iota
	legInstall
	numLegs
)

// stopRef is one leg of one order booked into a slot: the order's id with the leg in the top bit, four
// bytes, as a run holds one for every leg booked and not yet routed.
type stopRef uint32

// The leg fits the one bit stopRef gives it.
var _ [1]struct{} = [2 - numLegs + 1]struct{}{}

// refOf packs leg l of order id (ids are non-negative int32).
func refOf(id int32, l leg) stopRef { return stopRef(uint32(id) | uint32(l)<<31) }

func (r stopRef) id() int32 { return int32(r &^ (1 << 31)) }
func (r stopRef) leg() leg  { return leg(r >> 31) }

// booking is a leg's current reservation.
type booking struct {
	active bool
	res    ledger.Resource
	start  int64
	need   ledger.Amount
}

type sim struct {
	w      *World
	pol    *scenario.Policy
	orders []Order
	seed   uint64
	led    *ledger.Ledger
	res    []resInfo
	base   []int // first resource of each carrier
	// legs lists the legs booked into each slot (numbered by slotOf) whose wave has not been routed yet.
	// booked holds the lists of the waves being routed: handOver moves them there just before routeWaves,
	// whose prepareWave takes them out. A dense slice rather than the map for every slot, as the map's hashing
	// and cache misses on every reservation cost a fifth of the dispatch time at a million orders.
	legs    [][]stopRef
	booked  map[slotKey][]stopRef
	slotRes []slotRange // per resource: its slots' numbering
	// fl holds what each order in flight keeps (flight.go): order id's is fl[at[id]], taken when the
	// order is dispatched and given back (free) once it is final. out holds every final outcome by id
	// unless the run releases its orders.
	fl       [][]flight // chunks of flightChunk
	flights  int32      // flights ever made (the free ones included)
	at       []int32
	free     []int32
	split    map[int32]*splitPart
	inst     map[int32]held // the installer leg's booking of split-model installs in flight
	out      []Outcome
	release  bool
	finished int     // orders that reached their final state
	fin      []int32 // without release: the ids in the order they reached it
	sink     Sink
	routes   []RouteRecord
	q        eventQueue
	seq      uint64
	// allow is the policy's access matrix as carrier bitmasks, per platform x merchant type (3p, 1p) x
	// category; capable the carriers that serve each category.
	allow   [][2][scenario.NumCategories]uint64
	capable [scenario.NumCategories]uint64
	// revealed is the access of the policy's baseline_access (none: 0), in the same layout as allow.
	revealed [][2][scenario.NumCategories]uint64
	home     []int    // per platform: index of its home carrier
	skill    []uint64 // per product: skill bitmask
	workers  int
	batch    int     // waves prepared at once, when not waveBatch (tests)
	fleets   []int   // scratch for CrewFleets
	quotes   []quote // scratch for dispatch
	progress *Progress
}

// firstDay is the earliest day with slots: warm-up orders from earlier days need their own slots.
func firstDay(orders []Order) int64 {
	if len(orders) == 0 || orders[0].Created >= 0 {
		return 0
	}
	return orders[0].Created.DayOf()
}

// lastDay is the day of the last order's creation (0 for generated streams; later for replays of many days).
func lastDay(orders []Order) int64 {
	if len(orders) == 0 {
		return 0
	}
	return max(0, orders[len(orders)-1].Created.DayOf())
}

func newSim(w *World, pol *scenario.Policy, orders []Order, seed uint64, release bool) *sim {
	s := &sim{w: w, pol: pol, orders: orders, seed: seed, led: ledger.New(32), progress: &Progress{},
		booked: map[slotKey][]stopRef{}, release: release, split: map[int32]*splitPart{}, inst: map[int32]held{},
		// Orders take the sequence numbers 0..n-1 (see SimulateWorkers), waves the ones after.
		seq: uint64(len(orders))}
	s.at = make([]int32, len(orders))
	for i := range s.at {
		s.at[i] = notDispatched
	}
	if !release {
		s.out = make([]Outcome, len(orders))
		s.fin = make([]int32, 0, len(orders))
	}
	d0, dn := firstDay(orders), lastDay(orders)
	catDay := categoryFirstDays(orders)
	nslots := 0
	for ci, nw := range w.Carriers {
		s.base = append(s.base, len(s.res))
		// A fleet's slots start on the first day an order that may book it was created: warm-up days hold
		// installs only, so vans need no slots then (a third of a large run's ledger).
		fd0s := make([]int64, len(nw.Carrier.Fleets))
		for fi := range fd0s {
			fd0s[fi] = fleetFirstDay(nw, fi, catDay, d0)
		}
		for si, st := range nw.Stations {
			for fi := range nw.Carrier.Fleets {
				f := &nw.Carrier.Fleets[fi]
				fd0 := fd0s[fi]
				r := ledger.Resource(len(s.res))
				s.res = append(s.res, resInfo{ci, si, fi})
				s.slotRes = append(s.slotRes, slotRange{first: nslots, day0: fd0, days: dn + int64(f.Days) - fd0, waves: f.Waves})
				nslots += int(dn+int64(f.Days)-fd0) * len(f.Waves)
				n := int64(st.Vehicles[fi])
				capa := ledger.Amount{
					Count:   n * int64(f.Capacity.Count),
					Volume:  n * int64(f.Capacity.VolumeL),
					Minutes: n * int64(f.Capacity.Minutes),
				}
				for d := fd0; d < dn+int64(f.Days); d++ {
					for _, wv := range f.Waves {
						start := d*scenario.Day + int64(wv)
						// Slots are distinct by construction (validated wave order), so Add cannot fail.
						if err := s.led.Add(r, start, start+int64(f.WaveMinutes), capa); err != nil {
							panic(err)
						}
					}
				}
			}
		}
	}
	s.legs = make([][]stopRef, nslots)
	sc := w.Scenario
	s.home = w.home
	for _, p := range sc.Products {
		s.skill = append(s.skill, w.SkillMask(p.Skill))
	}
	s.allow = make([][2][scenario.NumCategories]uint64, len(sc.Platforms))
	s.revealed = make([][2][scenario.NumCategories]uint64, len(sc.Platforms))
	ref, hasRef := sc.PolicyByName(pol.BaselineAccess)
	for pi := range sc.Platforms {
		for m := range 2 {
			for _, c := range scenario.Categories() {
				s.allow[pi][m][c] = pol.Allowed(sc, pi, m == 1, c)
				if hasRef && pol.BaselineAccess != "" {
					s.revealed[pi][m][c] = ref.Allowed(sc, pi, m == 1, c)
				}
			}
		}
	}
	for ci, nw := range w.Carriers {
		for _, c := range scenario.Categories() {
			if nw.Serves(c) {
				s.capable[c] |= 1 << ci
			}
		}
	}
	for i := range s.out {
		s.out[i] = newOutcome
	}
	return s
}

// slotRange numbers one resource's slots: day by day from day0, wave by wave within a day, from first on.
type slotRange struct {
	first int
	day0  int64
	days  int64
	waves []scenario.Clock
}

// categoryFirstDays gives, per category, the day the stream's first order of that category was created
// (math.MaxInt64 for a category without orders).
func categoryFirstDays(orders []Order) [scenario.NumCategories]int64 {
	var first [scenario.NumCategories]int64
	for c := range first {
		first[c] = math.MaxInt64
	}
	for i := range orders {
		o := &orders[i]
		if c := o.Category; int(c) < len(first) {
			first[c] = min(first[c], o.Created.DayOf())
		}
	}
	return first
}

// fleetFirstDay is the first day an order may book fleet fi of nw: the earliest creation day of the
// categories it carries (FleetFor), of installs for crews, and of installs too for the split model's
// trucks, which deliver the appliance before the installer comes; never before d0, and d0 for a fleet no
// order books. An order books slots at or after its goods are ready, never before the day it was created.
func fleetFirstDay(nw *Network, fi int, catDay [scenario.NumCategories]int64, d0 int64) int64 {
	first := int64(math.MaxInt64)
	for _, c := range scenario.Categories() {
		if nw.FleetFor(c) == fi {
			first = min(first, catDay[c])
		}
	}
	inst := catDay[scenario.ApplianceInstall]
	if nw.Carrier.Fleets[fi].IsInstall() || nw.Carrier.InstallModel == scenario.Split && nw.FleetFor(scenario.Bulky) == fi {
		first = min(first, inst)
	}
	if first == math.MaxInt64 {
		return d0
	}
	return max(d0, first)
}

// slotOf returns the number of slot (res, start), one of the slots newSim added.
func (s *sim) slotOf(res ledger.Resource, start int64) int {
	sr := &s.slotRes[res]
	d := start / int64(scenario.Day)
	if start%int64(scenario.Day) < 0 {
		d-- // floor: warm-up days are negative
	}
	m, k := scenario.Clock(start-d*int64(scenario.Day)), d-sr.day0
	for j, wv := range sr.waves {
		if wv == m && k >= 0 && k < sr.days {
			return sr.first + int(k)*len(sr.waves) + j
		}
	}
	panic(fmt.Sprintf("dispatch: resource %d has no slot at %d", res, start))
}

// handOver moves the legs booked into the slots of waves to s.booked, where routeWaves takes them from.
func (s *sim) handOver(waves []event) {
	for _, ev := range waves {
		n := s.slotOf(ev.res, ev.slot)
		// A slot can have two wave events (its list emptied by cancellations, then booked again): the second
		// finds nothing, as the first wave's routing took the list.
		if len(s.legs[n]) > 0 {
			s.booked[slotKey{ev.res, ev.slot}] = s.legs[n]
			s.legs[n] = nil
		}
	}
}

func (s *sim) resource(ci, st, fi int) ledger.Resource {
	return ledger.Resource(s.base[ci] + st*len(s.w.Carriers[ci].Carrier.Fleets) + fi)
}

// quote is one carrier's offer for one order.
type quote struct {
	ok                bool
	reason            route.Reason
	carrier, station  int
	fleet, instFleet  int
	legs              [numLegs]booking
	linehaul, sorting float64
	estimate          float64 // total estimated cost
	eta               scenario.Minutes
	late              bool // the quote misses the promise (installs: not the preferred slot)
}

// pickupCosts returns what carrier cr spends on order o before its station: the line-haul from the origin
// city (or the local pickup) and the sorting. A pure function of the two, so a flight need not keep them.
func pickupCosts(w *World, cr *scenario.Carrier, o *Order) (linehaul, sorting float64) {
	if o.OriginKm > 0 {
		linehaul = float64(o.OriginKm) * w.Travel.Circuity * cr.LinehaulCNYPerKm
	} else {
		linehaul = cr.LocalPickupCNY
	}
	return linehaul, cr.SortingCNY
}

// Quote-time assumptions (named so the docs can list them).
const (
	// vanShiftSlack lets vans return up to this long after the wave ends (the last stop must start by then).
	vanShiftSlack = 60.0
	// crewEarlyStart lets crews leave the station before the slot opens to be at the first door on time.
	crewEarlyStart = 90.0
	// crewOvertime lets an install that starts inside the slot finish and the crew return after it.
	crewOvertime = 240.0
)

// vehicleShare is the quote's cost estimate for one stop on a vehicle: an equal share of a full vehicle's
// fixed and hourly cost plus the stem km to the door and the piece rate. A fleet's daily cost is sunk for the
// day and never quoted.
func vehicleShare(f *scenario.Fleet, stemKm float64) float64 {
	return (f.FixedCNY+f.PerHourCNY*f.WaveMinutes/60)/float64(f.Capacity.Count) + f.PerKmCNY*stemKm + f.PerStopCNY
}

// crewShare is the estimate for an install visit: the crew's cost in proportion to the crew-minutes it
// takes, plus the drive there and back.
func crewShare(f *scenario.Fleet, minutes int64, stemKm float64) float64 {
	return (f.FixedCNY+f.PerHourCNY*f.WaveMinutes/60)*float64(minutes)/f.Capacity.Minutes + f.PerKmCNY*2*stemKm + f.PerStopCNY
}

// quote sets *q to carrier ci's offer; u is the unit vector of the order's destination. It fills in the
// caller's quote rather than returning one: a quote is large, and copying it showed in profiles.
func (s *sim) quote(q *quote, o *Order, u geo.UnitVector, ci int) {
	nw := s.w.Carriers[ci]
	cr := nw.Carrier
	*q = quote{carrier: ci, fleet: -1, instFleet: -1}
	st, stem := nw.nearestStation(o.Dest, u)
	station := &nw.Stations[st]
	q.station = st

	arrive := float64(o.Created) + cr.PickupMinutes
	if o.OriginKm > 0 {
		km := float64(o.OriginKm) * s.w.Travel.Circuity
		arrive += cr.LinehaulDwellMinutes + km/cr.LinehaulKmh*60
	}
	q.linehaul, q.sorting = pickupCosts(s.w, cr, o)
	depart := arrive + cr.SortMinutes
	ready := depart + s.w.Travel.Minutes(geo.Meters(station.ShuttleM), cr.ShuttleKmh, depart)
	if o.ReadyGiven {
		ready = float64(o.Ready)
	}
	stemKm := float64(stem) * s.w.Travel.Circuity / 1000
	goods := ledger.Amount{Count: 1, Volume: int64(math.Ceil(float64(o.VolumeL)))}
	if !(float64(o.VolumeL) <= maxGoodsL) {
		goods.Volume = 0 // beyond every fleet's vehicle (validated), refused below as too large
	}

	if o.Category == scenario.ApplianceInstall {
		s.quoteInstall(o, nw, q, ready, stemKm, goods)
	} else {
		fi, f, ok := vehicleFleet(nw, o.Category, o, q)
		if !ok {
			return
		}
		res := s.resource(ci, st, fi)
		slot, ok := s.led.Earliest(res, int64(math.Ceil(ready)), goods)
		if !ok {
			q.reason = ReasonNoCapacity
			return
		}
		stemMin := stemKm / f.SpeedKmh * 60
		q.ok, q.fleet = true, fi
		q.legs[legMain] = booking{active: true, res: res, start: slot.Start, need: goods}
		q.estimate = vehicleShare(f, stemKm)
		q.eta = scenario.Minutes(float64(slot.Start) + stemMin + math.Max(0, f.WaveMinutes-stemMin)/2)
	}
	q.estimate += q.linehaul + q.sorting
	if o.Category == scenario.ApplianceInstall {
		visit := q.legs[legMain] // integrated: the crew's visit
		if q.legs[legInstall].active {
			visit = q.legs[legInstall] // split: the installer's visit
		}
		q.late = q.ok && float64(visit.start) > float64(o.PrefStart)
	} else {
		q.late = q.eta > o.Promise
	}
}

// quoteInstall books, on paper, the crew visit(s) for an appliance: the earliest slot at or after both the
// goods' arrival and the customer's preferred slot, among the crews with the product's skill and size.
func (s *sim) quoteInstall(o *Order, nw *Network, q *quote, ready, stemKm float64, goods ledger.Amount) {
	cr := nw.Carrier
	pr := &s.w.Scenario.Products[o.Product]
	s.fleets = nw.CrewFleets(s.skill[o.Product], pr.CrewSize, s.fleets)
	if len(s.fleets) == 0 {
		q.reason = ReasonSkill
		return
	}
	if cr.InstallModel == scenario.Integrated {
		// The crew brings the appliance: only crews whose vehicle can carry it.
		fit := s.fleets[:0]
		for _, fi := range s.fleets {
			if fits(&cr.Fleets[fi], o) {
				fit = append(fit, fi)
			}
		}
		if s.fleets = fit; len(fit) == 0 {
			q.reason = ReasonTooLarge
			return
		}
	}
	// earliestCrew finds the earliest crew slot at or after t that has room for the visit.
	earliestCrew := func(t float64, carries bool) (booking, int, bool) {
		var best booking
		bestFleet := -1
		for _, fi := range s.fleets {
			f := &cr.Fleets[fi]
			need := ledger.Amount{Count: 1, Minutes: int64(math.Ceil(float64(o.InstallMin) + f.ServiceMinutes + stemKm/f.SpeedKmh*60))}
			if carries {
				need.Volume = goods.Volume
			}
			res := s.resource(nw.Index, q.station, fi)
			if slot, ok := s.led.Earliest(res, int64(math.Ceil(t)), need); ok && (bestFleet < 0 || slot.Start < best.start) {
				best, bestFleet = booking{active: true, res: res, start: slot.Start, need: need}, fi
			}
		}
		return best, bestFleet, bestFleet >= 0
	}
	if cr.InstallModel == scenario.Integrated {
		b, fi, ok := earliestCrew(math.Max(ready, float64(o.PrefStart)), true)
		if !ok {
			q.reason = ReasonNoCapacity
			return
		}
		f := &cr.Fleets[fi]
		q.ok, q.fleet = true, fi
		q.legs[legMain] = b
		q.estimate = crewShare(f, b.need.Minutes, stemKm)
		q.eta = scenario.Minutes(float64(b.start) + f.WaveMinutes/2 + f.ServiceMinutes + float64(o.InstallMin))
		return
	}
	// Split: the bulky truck delivers first; the installer's slot starts after the truck's wave can have
	// finished, so the install never starts before the delivery.
	ti, tf, ok := vehicleFleet(nw, scenario.Bulky, o, q)
	if !ok {
		return
	}
	tres := s.resource(nw.Index, q.station, ti)
	tslot, ok := s.led.Earliest(tres, int64(math.Ceil(ready)), goods)
	if !ok {
		q.reason = ReasonNoCapacity
		return
	}
	b, fi, ok := earliestCrew(math.Max(deliveredBy(tf, tslot.Start), float64(o.PrefStart)), false)
	if !ok {
		q.reason = ReasonNoCapacity
		return
	}
	f := &cr.Fleets[fi]
	q.ok, q.fleet, q.instFleet = true, ti, fi
	q.legs[legMain] = booking{active: true, res: tres, start: tslot.Start, need: goods}
	q.legs[legInstall] = b
	q.estimate = vehicleShare(tf, stemKm) + crewShare(f, b.need.Minutes, stemKm)
	q.eta = scenario.Minutes(float64(b.start) + f.WaveMinutes/2 + f.ServiceMinutes + float64(o.InstallMin))
}

// maxGoodsL bounds an order's volume before it becomes a ledger amount: validation keeps every vehicle's
// capacity below it, so an order above it is too large for any fleet and never reaches the ledger.
const maxGoodsL = scenario.MaxCapacityL

// vehicleFleet returns the carrier's van or truck fleet for category c, or records on q why it cannot take
// the order: no such fleet, or goods too large for its vehicles.
func vehicleFleet(nw *Network, c scenario.Category, o *Order, q *quote) (int, *scenario.Fleet, bool) {
	fi := nw.FleetFor(c)
	if fi < 0 {
		q.reason = ReasonNoFleet
		return -1, nil, false
	}
	f := &nw.Carrier.Fleets[fi]
	if !fits(f, o) {
		q.reason = ReasonTooLarge
		return fi, f, false
	}
	return fi, f, true
}

// fits reports whether one vehicle (or crew vehicle) of fleet f can carry the order's goods at all; an
// order no vehicle of the fleet can carry is unserved with reason too_large instead of waiting for room.
func fits(f *scenario.Fleet, o *Order) bool {
	return float64(o.VolumeL) <= f.Capacity.VolumeL && float64(o.WeightKg) <= f.Capacity.WeightKg
}

// deliveredBy is the latest minute a delivery booked in the wave starting at start can be completed.
func deliveredBy(f *scenario.Fleet, start int64) float64 {
	return float64(start) + f.WaveMinutes + f.ServiceMinutes
}

// dispatch quotes an order with every carrier its policy allows that can serve it (every allowed carrier
// when none can, so the order is unserved with a carrier's reason), picks one by the policy's choice rule
// and books it.
func (s *sim) dispatch(id int32) {
	o := &s.orders[id]
	s.admit(id)
	base := s.w.BaselineCarrier(o)
	allowed := s.allow[o.Platform][merchantIndex(o.FirstParty)][o.Category]
	cand := allowed & s.capable[o.Category]
	if cand == 0 {
		cand = allowed
	}
	qs := s.quotes[:0]
	u := geo.UnitVectorOf(o.Dest)
	baseQ := -1 // index in qs of the baseline carrier's quote
	for ci := range s.w.Carriers {
		if cand>>ci&1 == 1 {
			if ci == base {
				baseQ = len(qs)
			}
			qs = slices.Grow(qs, 1)[:len(qs)+1]
			s.quote(&qs[len(qs)-1], o, u, ci)
		}
	}
	s.quotes = qs
	g := s.w.Scenario.Goods.Spec(o.Category)
	score := func(q *quote) float64 {
		v := q.estimate + g.ValueOfTimeCNYPerHour*float64(q.eta-o.Created)/60
		if q.late {
			v += g.LatePenaltyCNY
		}
		return v + s.w.Carriers[q.carrier].Carrier.PricePremiumCNY
	}
	best := -1
	// pickBest sets best to the lowest-scoring quote with room among the carriers not in skip.
	pickBest := func(skip uint64) {
		for i := range qs {
			if !qs[i].ok || skip>>qs[i].carrier&1 == 1 {
				continue
			}
			if best < 0 || score(&qs[i]) < score(&qs[best]) {
				best = i
			}
		}
	}
	switch s.pol.Choice {
	case scenario.ChoiceOverflow:
		if baseQ >= 0 && qs[baseQ].ok && !qs[baseQ].late {
			best = baseQ
		} else {
			pickBest(1 << base)
		}
	case scenario.ChoiceSticky:
		// The carriers the baseline access already allowed are no reason to switch: the merchant chose its
		// carrier over them (revealed preference). Only the others' quotes can beat it.
		if baseQ >= 0 && qs[baseQ].ok {
			pickBest(s.revealed[o.Platform][merchantIndex(o.FirstParty)][o.Category])
			if best >= 0 && !(score(&qs[best]) < score(&qs[baseQ])-s.pol.SwitchThresholdCNY) {
				best = baseQ
			}
			if best < 0 {
				best = baseQ
			}
		}
	}
	if best < 0 {
		pickBest(0)
	}
	if best < 0 {
		out := newOutcome
		out.State, out.Reason = Unserved, ReasonNoCapacity
		switch {
		case baseQ >= 0:
			out.Reason = qs[baseQ].reason
		case len(qs) > 0:
			out.Reason = qs[0].reason
		}
		s.finish(id, &out)
		return
	}
	q := &qs[best]
	f := s.flight(id)
	f.carrier, f.station = int8(q.carrier), int16(q.station)
	f.fleet, f.instFleet = int8(q.fleet), int8(q.instFleet)
	for l, b := range q.legs {
		if b.active {
			s.reserve(refOf(id, leg(l)), b)
		}
	}
}

// reserve books one leg into a slot; the ledger refuses oversold slots, so a failure is a bug.
func (s *sim) reserve(ref stopRef, b booking) {
	if err := s.led.Reserve(b.res, b.start, b.need); err != nil {
		panic(fmt.Sprintf("dispatch: reserve after a successful quote failed: %v", err))
	}
	s.setBooked(ref, hold(b))
	n := s.slotOf(b.res, b.start)
	list := s.legs[n]
	if len(list) == 0 {
		s.push(event{t: scenario.Minutes(b.start), kind: evWave, res: b.res, slot: b.start})
	}
	s.legs[n] = append(list, ref)
}

// unbook releases a leg's reservation and takes it off its slot's list.
func (s *sim) unbook(ref stopRef) {
	h := s.legBooking(ref)
	if !h.active() {
		return
	}
	b := h.booking()
	if err := s.led.Release(b.res, b.start, b.need); err != nil {
		panic(fmt.Sprintf("dispatch: release of a booked leg failed: %v", err))
	}
	n := s.slotOf(b.res, b.start)
	list := s.legs[n]
	for i, r := range list {
		if r == ref {
			s.legs[n] = append(list[:i], list[i+1:]...)
			break
		}
	}
	s.setBooked(ref, held{})
}

// fail records an order as unserved and cancels whatever it still has booked.
func (s *sim) fail(id int32, reason route.Reason) {
	for l := leg(0); l < numLegs; l++ {
		s.unbook(refOf(id, l))
	}
	out := s.outcome(id)
	out.State, out.Reason = Unserved, reason
	s.finish(id, &out)
}

// Events run in (time, seq) order; seq breaks ties by insertion, which keeps runs deterministic. Orders
// are events too, with seq = id, but reach the loop from a cursor rather than the queue (SimulateWorkers).
type evKind uint8

const (
	_      evKind = iota // none: orders do not go through the queue
	evWave               // route the legs booked into slot (res, slot)
)

type event struct {
	t    scenario.Minutes
	seq  uint64
	kind evKind
	res  ledger.Resource
	slot int64
}

type eventQueue []event

func (q eventQueue) Len() int { return len(q) }
func (q eventQueue) Less(i, j int) bool {
	if q[i].t != q[j].t {
		return q[i].t < q[j].t
	}
	return q[i].seq < q[j].seq
}
func (q eventQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *eventQueue) Push(x any)   { *q = append(*q, x.(event)) }
func (q *eventQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

func (s *sim) push(e event) {
	e.seq = s.seq
	s.seq++
	heap.Push(&s.q, e)
}

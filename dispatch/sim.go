package dispatch

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/paulmach/orb"

	"github.com/carriersim/carriersim/dispatch/ledger"
	"github.com/carriersim/carriersim/dispatch/route"
	"github.com/carriersim/carriersim/geo"
)

// State is an order's final state.
type State uint8

// Final states: every order ends in exactly one.
const (
	Pending   State = iota // not final: only seen while a run is in progress
	Delivered              // delivered (and installed, for installs)
	Unserved               // no carrier could serve it; Reason says why
)

// Unserved reasons.
const (
	ReasonNoCapacity  = "no_capacity"   // no slot with room within the booking horizon
	ReasonUnreachable = "unreachable"   // no vehicle of the fleet can reach the stop within a shift
	ReasonTooLarge    = "too_large"     // exceeds every vehicle's capacity
	ReasonNoFleet     = "no_fleet"      // the carrier has no fleet for the category
	ReasonSkill       = "missing_skill" // no crew has the skill
)

// Outcome is what happened to one order under one policy.
type Outcome struct {
	State   State
	Reason  string
	Carrier int8 // -1 when no carrier took the order
	Station int16
	Fleet   int8
	// Done is the minute the order was delivered (installation completed, for installs).
	Done float64
	// Cost parts in CNY, counted for delivered orders.
	Linehaul, Sorting, LastMile, Install float64
	// Km is the order's equal share of its route's km.
	Km float64
}

// Late reports whether a delivered order missed its promise.
func (o *Outcome) Late(ord *Order) bool { return o.State == Delivered && o.Done > ord.Promise+1e-9 }

// RouteRecord is one vehicle's (or crew's) tour in one wave.
type RouteRecord struct {
	Carrier, Station, Fleet int
	WaveStart               float64
	Stops                   []int32   // order ids in visit order
	Arrive                  []float64 // service start at each stop
	Depart, Return          float64
	Km, CostCNY             float64
}

// Run is one policy's simulation of an order stream.
type Run struct {
	Policy   *Policy
	Outcomes []Outcome
	Routes   []RouteRecord
	// Ledger is the capacity ledger at the end of the run (for invariant checks and utilisation).
	Ledger *ledger.Ledger
}

// Simulate runs one policy over orders: quote, choose and reserve at each order's creation, route every
// station-wave at its start, and record each order's final state.
func Simulate(ctx context.Context, w *World, pol *Policy, orders []Order, seed uint64) (*Run, error) {
	return SimulateWorkers(ctx, w, pol, orders, seed, runtime.GOMAXPROCS(0))
}

// SimulateWorkers is Simulate with at most workers station-waves routed at once; the result is the same
// for any number of workers.
func SimulateWorkers(ctx context.Context, w *World, pol *Policy, orders []Order, seed uint64, workers int) (*Run, error) {
	s := newSim(w, pol, orders, seed)
	s.workers = max(1, workers)
	for i := range orders {
		s.push(event{t: orders[i].Created, kind: evOrder, order: int32(i)})
	}
	for s.q.Len() > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ev := heap.Pop(&s.q).(event)
		switch ev.kind {
		case evOrder:
			s.dispatch(ev.order)
		case evWave:
			// Every wave starting at this minute is independent of the others: solve them together, then
			// apply the results in event order so the output does not depend on the number of workers.
			waves := []event{ev}
			for s.q.Len() > 0 && s.q[0].kind == evWave && s.q[0].t == ev.t {
				waves = append(waves, heap.Pop(&s.q).(event))
			}
			if err := s.routeWaves(ctx, waves); err != nil {
				return nil, err
			}
		}
	}
	for i := range s.out {
		if s.out[i].State == Pending {
			return nil, fmt.Errorf("dispatch: order %d has no final state after the run", i)
		}
	}
	if err := s.led.Check(); err != nil {
		return nil, fmt.Errorf("dispatch: capacity ledger oversold: %w", err)
	}
	return &Run{Policy: pol, Outcomes: s.out, Routes: s.routes, Ledger: s.led}, nil
}

type resInfo struct{ carrier, station, fleet int }

type slotKey struct {
	res   ledger.Resource
	start int64
}

type booking struct {
	res   ledger.Resource
	start int64
	need  ledger.Amount
}

type sim struct {
	w       *World
	pol     *Policy
	orders  []Order
	seed    uint64
	led     *ledger.Ledger
	res     []resInfo
	base    []int // first resource of each carrier
	booked  map[slotKey][]int32
	book    []booking // current booking per order
	out     []Outcome
	routes  []RouteRecord
	q       eventQueue
	seq     uint64
	open    []bool // per order: may use any carrier under this policy
	workers int
}

func newSim(w *World, pol *Policy, orders []Order, seed uint64) *sim {
	s := &sim{w: w, pol: pol, orders: orders, seed: seed, led: ledger.New(32),
		booked: map[slotKey][]int32{}, book: make([]booking, len(orders)), out: make([]Outcome, len(orders))}
	for ci, nw := range w.Carriers {
		s.base = append(s.base, len(s.res))
		for si, st := range nw.Stations {
			for fi := range nw.Carrier.Fleets {
				f := &nw.Carrier.Fleets[fi]
				r := ledger.Resource(len(s.res))
				s.res = append(s.res, resInfo{ci, si, fi})
				n := int64(st.Vehicles[fi])
				capa := ledger.Amount{
					Count:   n * int64(f.Capacity.Count),
					Volume:  n * int64(f.Capacity.VolumeL),
					Minutes: n * int64(f.Capacity.Minutes),
				}
				for d := 0; d < f.Days; d++ {
					for _, wv := range f.Waves {
						start := int64(d)*day + int64(wv)
						// Slots are distinct by construction (validated wave order), so Add cannot fail.
						if err := s.led.Add(r, start, start+int64(f.WaveMinutes), capa); err != nil {
							panic(err)
						}
					}
				}
			}
		}
	}
	for i := range s.out {
		s.out[i].Carrier = -1
		s.out[i].Station = -1
		s.out[i].Fleet = -1
	}
	s.open = make([]bool, len(orders))
	for i := range orders {
		s.open[i] = pol.opens(w.Scenario, &orders[i])
	}
	return s
}

func (s *sim) resource(ci, st, fi int) ledger.Resource {
	return ledger.Resource(s.base[ci] + st*len(s.w.Carriers[ci].Carrier.Fleets) + fi)
}

// opens reports whether the policy lets order o choose among all carriers.
func (p *Policy) opens(s *Scenario, o *Order) bool {
	for _, sel := range p.Open {
		if sel.Platform != "" && sel.Platform != s.Platforms[o.Platform].ID {
			continue
		}
		if sel.Merchant != "" && sel.Merchant != o.Merchant() {
			continue
		}
		if sel.Category != "" && sel.Category != o.Category.String() {
			continue
		}
		return true
	}
	return false
}

// quote is one carrier's offer for one order.
type quote struct {
	ok                bool
	reason            string
	carrier, station  int
	fleet             int
	res               ledger.Resource
	slot              int64
	need              ledger.Amount
	linehaul, sorting float64
	estimate          float64 // total estimated cost
	eta               float64
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

func (s *sim) quote(o *Order, ci int) quote {
	nw := s.w.Carriers[ci]
	cr := nw.Carrier
	q := quote{carrier: ci}
	fi := nw.FleetFor(o.Category)
	if fi < 0 {
		q.reason = ReasonNoFleet
		return q
	}
	f := &cr.Fleets[fi]
	st, stem := nw.NearestStation(o.Dest)
	station := &nw.Stations[st]
	q.station, q.fleet = st, fi
	q.res = s.resource(ci, st, fi)

	arrive := o.Created + cr.PickupMinutes
	if o.OriginKm > 0 {
		km := float64(o.OriginKm) * s.w.Travel.Circuity
		arrive += km / cr.LinehaulKmh * 60
		q.linehaul = km * cr.LinehaulCNYPerKm
	} else {
		q.linehaul = cr.LocalPickupCNY
	}
	q.sorting = cr.SortingCNY
	depart := arrive + cr.SortMinutes
	ready := depart + s.w.Travel.Minutes(geo.Meters(station.ShuttleM), cr.ShuttleKmh, depart)

	stemKm := float64(stem) * s.w.Travel.Circuity / 1000
	stemMin := stemKm / f.SpeedKmh * 60
	q.need = ledger.Amount{Count: 1, Volume: int64(math.Ceil(float64(o.VolumeL)))}
	t := ready
	if f.IsInstall() {
		q.need.Minutes = int64(math.Ceil(float64(o.InstallMin) + f.ServiceMinutes + stemMin))
		t = math.Max(t, o.PrefStart)
	}
	slot, ok := s.led.Earliest(q.res, int64(math.Ceil(t)), q.need)
	if !ok {
		q.reason = ReasonNoCapacity
		return q
	}
	q.ok = true
	q.slot = slot.Start
	start := float64(slot.Start)
	if f.IsInstall() {
		share := float64(q.need.Minutes) / f.Capacity.Minutes
		q.estimate = (f.FixedCNY+f.PerHourCNY*f.WaveMinutes/60)*share + f.PerKmCNY*2*stemKm
		q.eta = start + f.WaveMinutes/2 + f.ServiceMinutes + float64(o.InstallMin)
	} else {
		q.estimate = (f.FixedCNY+f.PerHourCNY*f.WaveMinutes/60)/float64(f.Capacity.Count) + f.PerKmCNY*stemKm
		q.eta = start + stemMin + math.Max(0, f.WaveMinutes-stemMin)/2
	}
	q.estimate += q.linehaul + q.sorting
	return q
}

func (s *sim) dispatch(id int32) {
	o := &s.orders[id]
	sc := s.w.Scenario
	home := 0
	for ci, nw := range s.w.Carriers {
		if nw.Carrier.ID == sc.Platforms[o.Platform].HomeCarrier {
			home = ci
		}
	}
	var quotes [8]quote
	qs := quotes[:0]
	for ci := range s.w.Carriers {
		if ci == home || s.open[id] {
			qs = append(qs, s.quote(o, ci))
		}
	}
	vot := sc.Goods.Spec(o.Category).ValueOfTimeCNYPerHour
	score := func(q *quote) float64 { return q.estimate + vot*(q.eta-o.Created)/60 }
	best := -1
	pickBest := func(skip int) {
		for i := range qs {
			if !qs[i].ok || qs[i].carrier == skip {
				continue
			}
			if best < 0 || score(&qs[i]) < score(&qs[best]) {
				best = i
			}
		}
	}
	if s.pol.Choice == "overflow" {
		for i := range qs {
			if qs[i].carrier == home && qs[i].ok && qs[i].eta <= o.Promise {
				best = i
			}
		}
		if best < 0 {
			pickBest(home)
		}
	}
	if best < 0 {
		pickBest(-1)
	}
	if best < 0 {
		reason := ReasonNoCapacity
		for i := range qs {
			if qs[i].carrier == home {
				reason = qs[i].reason
			}
		}
		s.out[id] = Outcome{State: Unserved, Reason: reason, Carrier: -1, Station: -1, Fleet: -1}
		return
	}
	q := &qs[best]
	out := &s.out[id]
	out.Carrier, out.Station, out.Fleet = int8(q.carrier), int16(q.station), int8(q.fleet)
	out.Linehaul, out.Sorting = q.linehaul, q.sorting
	s.reserve(id, q.res, q.slot, q.need)
}

// reserve books order id into a slot; the ledger refuses oversold slots, so a failure is a bug.
func (s *sim) reserve(id int32, res ledger.Resource, start int64, need ledger.Amount) {
	if err := s.led.Reserve(res, start, need); err != nil {
		panic(fmt.Sprintf("dispatch: reserve after a successful quote failed: %v", err))
	}
	s.book[id] = booking{res: res, start: start, need: need}
	k := slotKey{res, start}
	if len(s.booked[k]) == 0 {
		s.push(event{t: float64(start), kind: evWave, res: res, slot: start})
	}
	s.booked[k] = append(s.booked[k], id)
}

// waveMatrix is a station-wave's road matrix: metres, and minutes at the wave's congestion level.
type waveMatrix struct {
	n       int
	m       []float32
	minPerM float64
}

func (m *waveMatrix) Dist(i, j int) float64 { return float64(m.m[i*m.n+j]) }
func (m *waveMatrix) Time(i, j int) float64 { return float64(m.m[i*m.n+j]) * m.minPerM }

func newWaveMatrix(tr geo.Travel, pts []orb.Point, speedKmh, depart float64) *waveMatrix {
	n := len(pts)
	m := &waveMatrix{n: n, m: make([]float32, n*n), minPerM: tr.Minutes(1000, speedKmh, depart) / 1000}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			d := float32(tr.Road(pts[i], pts[j]))
			m.m[i*n+j], m.m[j*n+i] = d, d
		}
	}
	return m
}

// wave is one station-wave's routing problem and, once solved, its solution.
type wave struct {
	res   ledger.Resource
	start int64
	ids   []int32
	p     *route.Problem
	sol   *route.Solution
	err   error
}

// routeWaves solves the waves concurrently (bounded by s.workers) and applies them in order.
func (s *sim) routeWaves(ctx context.Context, evs []event) error {
	waves := make([]*wave, 0, len(evs))
	for _, ev := range evs {
		if wv := s.prepareWave(ev.res, ev.slot); wv != nil {
			waves = append(waves, wv)
		}
	}
	opt := route.Options{Iterations: s.w.Scenario.Routing.Iterations}
	solve := func(wv *wave) {
		o := opt
		o.Seed = s.seed ^ uint64(wv.res)<<32 ^ uint64(wv.start)
		wv.sol, wv.err = route.Solve(ctx, wv.p, o)
	}
	if s.workers <= 1 || len(waves) <= 1 {
		for _, wv := range waves {
			solve(wv)
		}
	} else {
		next := make(chan *wave)
		var wg sync.WaitGroup
		for i := 0; i < min(s.workers, len(waves)); i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for wv := range next {
					solve(wv)
				}
			}()
		}
		for _, wv := range waves {
			next <- wv
		}
		close(next)
		wg.Wait()
	}
	for _, wv := range waves {
		if wv.err != nil {
			ri := s.res[wv.res]
			st := &s.w.Carriers[ri.carrier].Stations[ri.station]
			return fmt.Errorf("dispatch: routing %s wave at %s: %w", st.ID, minuteLabel(float64(wv.start)), wv.err)
		}
		s.applyWave(wv)
	}
	return nil
}

// prepareWave takes the orders booked into a slot and builds their routing problem.
func (s *sim) prepareWave(res ledger.Resource, start int64) *wave {
	k := slotKey{res, start}
	ids := s.booked[k]
	delete(s.booked, k)
	if len(ids) == 0 {
		return nil
	}
	ri := s.res[res]
	nw := s.w.Carriers[ri.carrier]
	f := &nw.Carrier.Fleets[ri.fleet]
	st := &nw.Stations[ri.station]
	t0 := float64(start)

	pts := make([]orb.Point, len(ids)+1)
	pts[0] = st.Point
	for i, id := range ids {
		pts[i+1] = s.orders[id].Dest
	}
	p := &route.Problem{Matrix: newWaveMatrix(s.w.Travel, pts, f.SpeedKmh, t0)}
	for i, id := range ids {
		o := &s.orders[id]
		j := route.Job{Loc: i + 1, Demand: route.Load{1, int64(math.Ceil(float64(o.WeightKg))), int64(math.Ceil(float64(o.VolumeL)))},
			Service: f.ServiceMinutes, Ready: t0, Due: t0 + f.WaveMinutes}
		if f.IsInstall() {
			j.Service += float64(o.InstallMin)
		}
		p.Jobs = append(p.Jobs, j)
	}
	v := route.Vehicle{Start: 0, End: 0,
		Capacity:   route.Load{int64(f.Capacity.Count), int64(f.Capacity.WeightKg), int64(f.Capacity.VolumeL)},
		ShiftStart: t0, ShiftEnd: t0 + f.WaveMinutes + vanShiftSlack,
		Fixed: f.FixedCNY, PerDist: f.PerKmCNY / 1000, PerTime: f.PerHourCNY / 60}
	if f.IsInstall() {
		v.ShiftStart, v.ShiftEnd = t0-crewEarlyStart, t0+f.WaveMinutes+crewOvertime
	}
	for i := 0; i < st.Vehicles[ri.fleet]; i++ {
		p.Vehicles = append(p.Vehicles, v)
	}
	return &wave{res: res, start: start, ids: ids, p: p}
}

// applyWave records the routes' deliveries and costs and rolls over what the fleet could not take.
func (s *sim) applyWave(wv *wave) {
	ri := s.res[wv.res]
	f := &s.w.Carriers[ri.carrier].Carrier.Fleets[ri.fleet]
	for _, r := range wv.sol.Routes {
		if len(r.Jobs) == 0 {
			continue
		}
		rec := RouteRecord{Carrier: ri.carrier, Station: ri.station, Fleet: ri.fleet, WaveStart: float64(wv.start),
			Depart: r.Depart, Return: r.Return, Km: r.Distance / 1000, CostCNY: r.Cost}
		share := r.Cost / float64(len(r.Jobs))
		kmShare := rec.Km / float64(len(r.Jobs))
		for k, j := range r.Jobs {
			id := wv.ids[j]
			rec.Stops = append(rec.Stops, id)
			rec.Arrive = append(rec.Arrive, r.Arrival[k])
			out := &s.out[id]
			out.State = Delivered
			out.Done = r.Arrival[k] + wv.p.Jobs[j].Service
			out.Km = kmShare
			if f.IsInstall() {
				out.Install = share
			} else {
				out.LastMile = share
			}
		}
		s.routes = append(s.routes, rec)
	}
	for _, u := range wv.sol.Unassigned {
		s.rollover(wv.ids[u.Job], u.Reason)
	}
}

// rollover moves an order the router could not fit into the fleet's next slot with room, or records it
// as unserved when no later slot can take it or no vehicle could ever reach it.
func (s *sim) rollover(id int32, why route.Reason) {
	b := s.book[id]
	if err := s.led.Release(b.res, b.start, b.need); err != nil {
		panic(fmt.Sprintf("dispatch: release of a booked order failed: %v", err))
	}
	out := &s.out[id]
	unserved := func(reason string) {
		*out = Outcome{State: Unserved, Reason: reason, Carrier: -1, Station: -1, Fleet: -1}
	}
	switch why {
	case route.ReasonCapacity:
		unserved(ReasonTooLarge)
		return
	case route.ReasonSkill:
		unserved(ReasonSkill)
		return
	case route.ReasonTimeWindow:
		unserved(ReasonUnreachable)
		return
	}
	next, ok := s.led.Earliest(b.res, b.start+1, b.need)
	if !ok {
		unserved(ReasonNoCapacity)
		return
	}
	s.reserve(id, b.res, next.Start, b.need)
}

func minuteLabel(t float64) string {
	d := int(t / day)
	m := int(t) - d*int(day)
	return fmt.Sprintf("day %d %02d:%02d", d, m/60, m%60)
}

// Events run in (time, seq) order; seq breaks ties by insertion, which keeps runs deterministic.
type evKind uint8

const (
	evOrder evKind = iota
	evWave
)

type event struct {
	t     float64
	seq   uint64
	kind  evKind
	order int32
	res   ledger.Resource
	slot  int64
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

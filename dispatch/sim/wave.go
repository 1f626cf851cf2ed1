package sim

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/carriersim/carriersim/dispatch/ledger"
	"github.com/carriersim/carriersim/dispatch/route"
	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/geo"
	"github.com/paulmach/orb"
)

// waveMatrix is a station-wave's road matrix: metres, and minutes at the wave's congestion level. A trip is
// computed when the router first reads it and kept, both ways (the matrix is symmetric): the router reads
// only a small part of the pairs of a large wave (about a quarter of them in the default scenario at 100k
// orders, each about 20 times), and every value is the one a full table would hold. Reads write, so a matrix
// belongs to one solve: each part builds its own.
type waveMatrix struct {
	n        int
	m        []float32 // metres; 0 until computed (a trip of 0 m is computed again at each read)
	vs       []geo.UnitVector
	circuity float64
	minPerM  float64
}

func (m *waveMatrix) Dist(i, j int) float64 {
	d := m.m[i*m.n+j]
	if d == 0 {
		d = m.fill(i, j)
	}
	return float64(d)
}

func (m *waveMatrix) Time(i, j int) float64 {
	d := m.m[i*m.n+j]
	if d == 0 {
		d = m.fill(i, j)
	}
	return float64(d) * m.minPerM
}

// The router reads the matrix directly, by Trip.
var _ route.TripMatrix = (*waveMatrix)(nil)

// Trip returns Time(i, j) and Dist(i, j) from one read.
func (m *waveMatrix) Trip(i, j int) (float64, float64) {
	d := m.m[i*m.n+j]
	if d == 0 {
		d = m.fill(i, j)
	}
	return float64(d) * m.minPerM, float64(d)
}

// fill computes and stores the road distance between i and j, both ways.
func (m *waveMatrix) fill(i, j int) float32 {
	if i == j {
		return 0
	}
	d := float32(m.circuity * float64(m.vs[min(i, j)].Distance(m.vs[max(i, j)])))
	m.m[i*m.n+j], m.m[j*m.n+i] = d, d
	return d
}

// matrixPool keeps wave matrices' arrays between solves. A run routes a wave every few milliseconds, and a
// fresh matrix each time was a quarter of all the bytes a run allocated: with the tight collection target
// of a large run's heap (dispatch.TuneGC) every allocated byte brings the next collection nearer. A reused
// matrix is cleared, so its values are those of a new one.
var matrixPool sync.Pool // *waveMatrix

func newWaveMatrix(tr geo.Travel, pts []orb.Point, speedKmh, depart float64) *waveMatrix {
	n := len(pts)
	m, _ := matrixPool.Get().(*waveMatrix)
	if m == nil {
		m = &waveMatrix{}
	}
	if cap(m.m) < n*n {
		m.m = make([]float32, n*n)
	} else {
		m.m = m.m[:n*n]
		clear(m.m)
	}
	if cap(m.vs) < n {
		m.vs = make([]geo.UnitVector, n)
	}
	m.n, m.vs, m.circuity, m.minPerM = n, m.vs[:n], tr.Circuity, tr.Minutes(1000, speedKmh, depart)/1000
	for i, p := range pts {
		m.vs[i] = geo.UnitVectorOf(p)
	}
	return m
}

// recycle hands m's arrays to a later newWaveMatrix; m is not used after.
func (m *waveMatrix) recycle() {
	// The matrix of a wave far larger than the usual would hold its memory for the rest of the run.
	if cap(m.m) <= maxPooledMatrix {
		matrixPool.Put(m)
	}
}

// maxPooledMatrix bounds the entries of a recycled matrix: parts of up to 1,023 stops (4 MiB).
const maxPooledMatrix = 1 << 20

// wave is one station-wave's routing problem and, once solved, its solution.
type wave struct {
	res   ledger.Resource
	start int64
	refs  []stopRef
	pts   []orb.Point // station, then each stop
	speed float64
	p     *route.Problem
	sol   *route.Solution
}

// part is one independently routed piece of a wave: the whole wave, one sector of a large wave's stops with
// a share of its vehicles, or the repair problem of the stops the sectors left over.
type part struct {
	wv    *wave
	jobs  []int // the wave's job indices; job i of the part is job jobs[i] of the wave
	p     *route.Problem
	iters int
	seed  uint64
	sol   *route.Solution
	err   error
}

// waveBatch is how many of a minute's waves are prepared and solved at once (at least 4 per worker).
// Every station's wave of the same minute is independent of the others, but together they hold every stop
// of that minute across the city, a large share of the day at city scale: batches keep what is prepared at
// once small. The results do not depend on it: a batch is applied before the next is prepared, and
// preparing a wave reads nothing an earlier wave of the same minute changes.
const waveBatch = 16

// routeWaves routes the waves of one minute, a batch at a time (waveBatch), in order.
func (s *sim) routeWaves(ctx context.Context, evs []event) error {
	batch := max(waveBatch, 4*s.workers)
	if s.batch > 0 {
		batch = s.batch
	}
	for len(evs) > 0 {
		n := min(len(evs), batch)
		if err := s.routeBatch(ctx, evs[:n]); err != nil {
			return err
		}
		evs = evs[n:]
	}
	return nil
}

// routeBatch solves the waves concurrently (bounded by s.workers) and applies them in order. A wave of more
// stops than routing.max_wave_stops is cut into sectors solved on their own (see splitWave); stops the
// sectors could not fit get a second chance on the vehicles the sectors left unused.
func (s *sim) routeBatch(ctx context.Context, evs []event) error {
	waves := make([]*wave, 0, len(evs))
	for _, ev := range evs {
		if wv := s.prepareWave(ev.res, ev.slot); wv != nil {
			waves = append(waves, wv)
		}
	}
	var parts []*part
	split := make([][]*part, len(waves))
	for i, wv := range waves {
		split[i] = s.splitWave(wv)
		parts = append(parts, split[i]...)
	}
	s.solveParts(ctx, parts)
	var repairs []*part
	repairOf := make([]*part, len(waves))
	for i, wv := range waves {
		if len(split[i]) > 1 {
			if r := s.repairPart(wv, split[i]); r != nil {
				repairOf[i] = r
				repairs = append(repairs, r)
			}
		}
	}
	s.solveParts(ctx, repairs)
	for i, wv := range waves {
		ps := split[i]
		if r := repairOf[i]; r != nil {
			ps = append(ps, r)
		}
		for _, pt := range ps {
			if pt.err != nil {
				ri := s.res[wv.res]
				st := &s.w.Carriers[ri.carrier].Stations[ri.station]
				return fmt.Errorf("dispatch: routing %s wave at %s: %w", st.ID, scenario.Minutes(wv.start), pt.err)
			}
		}
		wv.sol = mergeParts(split[i], repairOf[i])
		wv.pts = nil
		s.applyWave(wv)
	}
	return nil
}

// solveParts solves the parts, on up to s.workers goroutines. Each part's result depends only on the part,
// so the results are the same whatever the number of workers.
func (s *sim) solveParts(ctx context.Context, parts []*part) {
	solve := func(pt *part) {
		// The matrix is built in the worker and recycled after the solve: it is the biggest allocation of
		// a run, and parts solved at the same time need not hold theirs all at once.
		pts := make([]orb.Point, len(pt.jobs)+1)
		pts[0] = pt.wv.pts[0]
		for i, j := range pt.jobs {
			pts[i+1] = pt.wv.pts[j+1]
		}
		m := newWaveMatrix(s.w.Travel, pts, pt.wv.speed, float64(pt.wv.start))
		pt.p.Matrix = m
		pt.sol, pt.err = route.Solve(ctx, pt.p, route.Options{Iterations: pt.iters, Seed: pt.seed})
		pt.p.Matrix = nil
		m.recycle()
	}
	if s.workers <= 1 || len(parts) <= 1 {
		for _, pt := range parts {
			solve(pt)
		}
		return
	}
	next := make(chan *part)
	var wg sync.WaitGroup
	for i := 0; i < min(s.workers, len(parts)); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for pt := range next {
				solve(pt)
			}
		}()
	}
	for _, pt := range parts {
		next <- pt
	}
	close(next)
	wg.Wait()
}

// newPart makes the routing problem of some of a wave's jobs on n of its (identical) vehicles. The
// ruin-and-recreate iterations are the wave's, shared in proportion to the jobs, and at most
// routing.max_iterations_per_stop per job: a wave of a few stops reaches its best routes in a few
// iterations, and the rest would only cost time.
func (s *sim) newPart(wv *wave, jobs []int, n, k int) *part {
	p := &route.Problem{Jobs: make([]route.Job, len(jobs)), Vehicles: make([]route.Vehicle, n)}
	for i, j := range jobs {
		p.Jobs[i] = wv.p.Jobs[j]
		p.Jobs[i].Loc = i + 1
	}
	for i := range p.Vehicles {
		p.Vehicles[i] = wv.p.Vehicles[0]
	}
	iters := s.w.Scenario.Routing.Iterations
	seed := s.seed ^ uint64(wv.res)<<32 ^ uint64(wv.start)
	if len(jobs) < len(wv.p.Jobs) || k > 0 {
		iters = (iters*len(jobs) + len(wv.p.Jobs) - 1) / len(wv.p.Jobs)
		seed ^= uint64(k+1) << 52
	}
	if c := s.w.Scenario.Routing.MaxIterationsPerStop * len(jobs); c > 0 && iters > c {
		iters = c
	}
	return &part{wv: wv, jobs: jobs, p: p, iters: iters, seed: seed}
}

// splitWave returns the wave as one part, or, when it has more stops than routing.max_wave_stops and
// vehicles to spare, as sectors of about equal numbers of stops around the station. Vehicles are shared
// in proportion to each sector's load. Cutting a large wave keeps the router's work per stop flat as
// waves grow: each insertion scans the routes of its sector, not of the whole wave; routes rarely cross
// sector lines anyway, as they fan out from the station.
func (s *sim) splitWave(wv *wave) []*part {
	n, veh := len(wv.p.Jobs), len(wv.p.Vehicles)
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	k := s.w.Scenario.Routing.MaxWaveStops
	if k <= 0 || n <= k || veh < 2 {
		return []*part{s.newPart(wv, all, veh, 0)}
	}
	g := min((n+k-1)/k, veh)
	// Bearings from the station in a local east-north frame: only the order matters.
	o := wv.pts[0]
	cosLat := math.Cos(o.Lat() * math.Pi / 180)
	ang := make([]float64, n)
	for i := range ang {
		p := wv.pts[i+1]
		ang[i] = math.Atan2(p.Lat()-o.Lat(), (p.Lon()-o.Lon())*cosLat)
	}
	slices.SortStableFunc(all, func(a, b int) int { return cmp.Compare(ang[a], ang[b]) })
	// Start the sweep after the widest angular gap, so no sector straddles a dense cluster at the cut.
	cut, widest := 0, ang[all[0]]+2*math.Pi-ang[all[n-1]]
	for i := 1; i < n; i++ {
		if gap := ang[all[i]] - ang[all[i-1]]; gap > widest {
			cut, widest = i, gap
		}
	}
	all = append(all[cut:], all[:cut]...)
	// Each sector's load in vehicles (the tightest capacity dimension), and vehicles by largest remainder
	// after one each.
	capa := wv.p.Vehicles[0].Capacity
	need := make([]float64, g)
	sectors := make([][]int, g)
	var total float64
	for i := range g {
		sectors[i] = all[i*n/g : (i+1)*n/g]
		var load route.Load
		for _, j := range sectors[i] {
			load = load.Add(wv.p.Jobs[j].Demand)
		}
		for d := range load {
			if capa[d] > 0 {
				need[i] = max(need[i], float64(load[d])/float64(capa[d]))
			}
		}
		total += need[i]
	}
	share := make([]int, g)
	rest := veh - g
	given := 0
	frac := make([]float64, g)
	for i := range g {
		x := float64(rest) * need[i] / max(total, 1e-9)
		share[i] = 1 + int(x)
		frac[i] = x - float64(int(x))
		given += share[i]
	}
	byFrac := make([]int, g)
	for i := range byFrac {
		byFrac[i] = i
	}
	slices.SortStableFunc(byFrac, func(a, b int) int { return cmp.Compare(frac[b], frac[a]) })
	for i := 0; given < veh; i++ {
		share[byFrac[i%g]]++
		given++
	}
	parts := make([]*part, g)
	for i := range g {
		parts[i] = s.newPart(wv, slices.Clone(sectors[i]), share[i], i)
	}
	return parts
}

// repairPart returns the problem of the stops the sectors left out on the vehicles they did not use, or
// nil when there are none of either.
func (s *sim) repairPart(wv *wave, parts []*part) *part {
	var left []int
	used := 0
	for _, pt := range parts {
		used += len(pt.sol.Routes)
		for _, u := range pt.sol.Unassigned {
			left = append(left, pt.jobs[u.Job])
		}
	}
	free := len(wv.p.Vehicles) - used
	if len(left) == 0 || free <= 0 {
		return nil
	}
	slices.Sort(left)
	return s.newPart(wv, left, free, len(parts))
}

// mergeParts joins the parts' solutions into one solution of the wave, in wave job indices: the sectors'
// routes, then the repair's; unassigned are the repair's if there was one, else the sectors'.
func mergeParts(parts []*part, repair *part) *route.Solution {
	if len(parts) == 1 && repair == nil {
		return parts[0].sol
	}
	sol := &route.Solution{}
	add := func(pt *part) {
		for _, r := range pt.sol.Routes {
			jobs := make([]int, len(r.Jobs))
			for k, j := range r.Jobs {
				jobs[k] = pt.jobs[j]
			}
			r.Jobs = jobs
			sol.Routes = append(sol.Routes, r)
			sol.Cost += r.Cost
			sol.Distance += r.Distance
		}
	}
	for _, pt := range parts {
		add(pt)
	}
	last := parts
	if repair != nil {
		add(repair)
		last = []*part{repair}
	}
	for _, pt := range last {
		for _, u := range pt.sol.Unassigned {
			sol.Unassigned = append(sol.Unassigned, route.Unassigned{Job: pt.jobs[u.Job], Reason: u.Reason})
		}
	}
	slices.SortFunc(sol.Unassigned, func(a, b route.Unassigned) int { return a.Job - b.Job })
	return sol
}

// prepareWave takes the legs booked into a slot and builds their routing problem.
func (s *sim) prepareWave(res ledger.Resource, start int64) *wave {
	k := slotKey{res, start}
	refs := s.booked[k]
	delete(s.booked, k)
	if len(refs) == 0 {
		return nil
	}
	ri := s.res[res]
	nw := s.w.Carriers[ri.carrier]
	f := &nw.Carrier.Fleets[ri.fleet]
	st := &nw.Stations[ri.station]
	t0 := float64(start)

	pts := make([]orb.Point, len(refs)+1)
	pts[0] = st.Point
	for i, r := range refs {
		pts[i+1] = s.orders[r.id()].Dest
	}
	p := &route.Problem{Jobs: make([]route.Job, 0, len(refs)), Vehicles: make([]route.Vehicle, 0, st.Vehicles[ri.fleet])}
	for i, r := range refs {
		o := &s.orders[r.id()]
		j := route.Job{Loc: i + 1, Demand: route.Load{1, int64(math.Ceil(float64(o.WeightKg))), int64(math.Ceil(float64(o.VolumeL)))},
			Service: f.ServiceMinutes, Ready: t0, Due: t0 + f.WaveMinutes}
		if f.IsInstall() {
			j.Service += float64(o.InstallMin)
			j.Skills = s.skill[o.Product]
			if r.leg() == legInstall {
				// The installer carries no goods and may not start before they reached the door.
				j.Demand = route.Load{1, 0, 0}
				j.Ready = math.Max(t0, float64(s.goodsAt(r.id())))
			}
		}
		p.Jobs = append(p.Jobs, j)
	}
	v := route.Vehicle{Start: 0, End: 0,
		Capacity:   route.Load{int64(f.Capacity.Count), int64(f.Capacity.WeightKg), int64(f.Capacity.VolumeL)},
		ShiftStart: t0, ShiftEnd: t0 + f.WaveMinutes + vanShiftSlack,
		Fixed: f.FixedCNY, PerDist: f.PerKmCNY / 1000, PerTime: f.PerHourCNY / 60}
	if f.IsInstall() {
		v.ShiftStart, v.ShiftEnd = t0-crewEarlyStart, t0+f.WaveMinutes+crewOvertime
		v.Skills = s.w.SkillMask(f.Skills...)
	}
	for i := 0; i < st.Vehicles[ri.fleet]; i++ {
		p.Vehicles = append(p.Vehicles, v)
	}
	return &wave{res: res, start: start, refs: refs, pts: pts, speed: f.SpeedKmh, p: p}
}

// applyWave records the routes' visits and costs and rolls over what the fleet could not take.
func (s *sim) applyWave(wv *wave) {
	ri := s.res[wv.res]
	nw := s.w.Carriers[ri.carrier]
	f := &nw.Carrier.Fleets[ri.fleet]
	for _, r := range wv.sol.Routes {
		if len(r.Jobs) == 0 {
			continue
		}
		rec := RouteRecord{Carrier: ri.carrier, Station: ri.station, Fleet: ri.fleet, WaveStart: scenario.Minutes(wv.start),
			Depart: scenario.Minutes(r.Depart), Return: scenario.Minutes(r.Return), Km: r.Distance / 1000,
			CostCNY: r.Cost + f.PerStopCNY*float64(len(r.Jobs))}
		rec.Stops, rec.Arrive = make([]int32, 0, len(r.Jobs)), make([]scenario.Minutes, 0, len(r.Jobs))
		share := rec.CostCNY / float64(len(r.Jobs))
		kmShare := rec.Km / float64(len(r.Jobs))
		dayStops := 0
		for _, j := range r.Jobs {
			if !s.orders[wv.refs[j].id()].Warmup {
				dayStops++
			}
		}
		for k, j := range r.Jobs {
			ref := wv.refs[j]
			rec.Stops = append(rec.Stops, ref.id())
			arrive := scenario.Minutes(r.Arrival[k])
			rec.Arrive = append(rec.Arrive, arrive)
			done := scenario.Minutes(r.Arrival[k] + wv.p.Jobs[j].Service)
			s.setBooked(ref, held{})
			if !f.IsInstall() && s.legBooking(refOf(ref.id(), legInstall)).active() {
				// Split model: the goods are at the door; the installer's visit is still to come. The order
				// keeps its delivery's share until then.
				p := &splitPart{}
				s.split[ref.id()] = p
				p.km += kmShare
				if !s.orders[ref.id()].Warmup {
					p.vehShare += 1 / float64(dayStops)
				}
				p.lastMile += share
				p.goodsAt = done
				continue
			}
			out := s.outcome(ref.id())
			out.Km += kmShare
			if !s.orders[ref.id()].Warmup {
				out.VehShare += 1 / float64(dayStops)
			}
			if f.IsInstall() {
				out.Install += share
				out.State, out.Done, out.Slot, out.InstallStart = Delivered, done, scenario.Minutes(wv.start), arrive
				if ref.leg() == legMain {
					out.GoodsAt = arrive // integrated: the goods arrive with the crew
				}
			} else {
				out.LastMile += share
				out.State, out.Done, out.GoodsAt = Delivered, done, done
			}
			s.finish(ref.id(), &out)
		}
		if s.sink != nil {
			s.sink.Routed(&rec, dayStops)
		}
		if !s.release {
			s.routes = append(s.routes, rec)
		}
	}
	for _, u := range wv.sol.Unassigned {
		s.rollover(wv.refs[u.Job], u.Reason)
	}
}

// rollover moves a leg the router could not fit into its fleet's next slot with room, or records the order
// as unserved when no later slot can take it or no vehicle could ever reach it.
func (s *sim) rollover(ref stopRef, why route.Reason) {
	switch why {
	case route.ReasonCapacity:
		s.fail(ref.id(), ReasonTooLarge)
		return
	case route.ReasonSkill:
		s.fail(ref.id(), ReasonSkill)
		return
	case route.ReasonTimeWindow:
		s.fail(ref.id(), ReasonUnreachable)
		return
	}
	b := s.legBooking(ref).booking()
	s.unbook(ref)
	next, ok := s.led.Earliest(b.res, b.start+1, b.need)
	if !ok {
		s.fail(ref.id(), ReasonNoCapacity)
		return
	}
	b.start = next.Start
	s.reserve(ref, b)
	// A later delivery may push the split model's install visit later too.
	inst := s.legBooking(refOf(ref.id(), legInstall)).booking()
	if ref.leg() != legMain || !inst.active {
		return
	}
	ri := s.res[b.res]
	tf := &s.w.Carriers[ri.carrier].Carrier.Fleets[ri.fleet]
	bound := int64(math.Ceil(deliveredBy(tf, b.start)))
	if inst.start >= bound {
		return
	}
	s.unbook(refOf(ref.id(), legInstall))
	slot, ok := s.led.Earliest(inst.res, bound, inst.need)
	if !ok {
		s.fail(ref.id(), ReasonNoCapacity)
		return
	}
	inst.start = slot.Start
	s.reserve(refOf(ref.id(), legInstall), inst)
}

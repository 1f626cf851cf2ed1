package dispatch

import (
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/carriersim/carriersim/dispatch/ledger"
	"github.com/carriersim/carriersim/dispatch/route"
	"github.com/carriersim/carriersim/geo"
	"github.com/paulmach/orb"
)

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
	vs := make([]geo.UnitVector, n)
	for i, p := range pts {
		vs[i] = geo.UnitVectorOf(p)
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			d := float32(tr.Circuity * float64(vs[i].Distance(vs[j])))
			m.m[i*n+j], m.m[j*n+i] = d, d
		}
	}
	return m
}

// wave is one station-wave's routing problem and, once solved, its solution.
type wave struct {
	res   ledger.Resource
	start int64
	refs  []stopRef
	pts   []orb.Point // station, then each stop
	speed float64
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
		// The matrix is built in the worker and dropped after the solve: it is the biggest allocation of
		// a run, and waves of the same minute need not hold theirs all at once.
		wv.p.Matrix = newWaveMatrix(s.w.Travel, wv.pts, wv.speed, float64(wv.start))
		o := opt
		o.Seed = s.seed ^ uint64(wv.res)<<32 ^ uint64(wv.start)
		wv.sol, wv.err = route.Solve(ctx, wv.p, o)
		wv.p.Matrix, wv.pts = nil, nil
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
		pts[i+1] = s.orders[r.id].Dest
	}
	p := &route.Problem{}
	for i, r := range refs {
		o := &s.orders[r.id]
		j := route.Job{Loc: i + 1, Demand: route.Load{1, int64(math.Ceil(float64(o.WeightKg))), int64(math.Ceil(float64(o.VolumeL)))},
			Service: f.ServiceMinutes, Ready: t0, Due: t0 + f.WaveMinutes}
		if f.IsInstall() {
			j.Service += float64(o.InstallMin)
			j.Skills = s.skill[o.Product]
			if r.leg == legInstall {
				// The installer carries no goods and may not start before they reached the door.
				j.Demand = route.Load{1, 0, 0}
				j.Ready = math.Max(t0, s.out[r.id].GoodsAt)
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
		rec := RouteRecord{Carrier: ri.carrier, Station: ri.station, Fleet: ri.fleet, WaveStart: float64(wv.start),
			Depart: r.Depart, Return: r.Return, Km: r.Distance / 1000, CostCNY: r.Cost}
		share := r.Cost / float64(len(r.Jobs))
		kmShare := rec.Km / float64(len(r.Jobs))
		for k, j := range r.Jobs {
			ref := wv.refs[j]
			rec.Stops = append(rec.Stops, ref.id)
			rec.Arrive = append(rec.Arrive, r.Arrival[k])
			done := r.Arrival[k] + wv.p.Jobs[j].Service
			out := &s.out[ref.id]
			out.Km += kmShare
			s.book[ref.id][ref.leg].active = false
			switch {
			case f.IsInstall():
				out.Install += share
				out.State, out.Done, out.Slot, out.InstallStart = Delivered, done, float64(wv.start), r.Arrival[k]
				s.progress.done.Add(1)
				if ref.leg == legMain {
					out.GoodsAt = r.Arrival[k] // integrated: the goods arrive with the crew
				}
			case s.book[ref.id][legInstall].active:
				// Split model: the goods are at the door; the installer's visit is still to come.
				out.LastMile += share
				out.GoodsAt = done
			default:
				out.LastMile += share
				out.State, out.Done, out.GoodsAt = Delivered, done, done
				s.progress.done.Add(1)
			}
		}
		s.routes = append(s.routes, rec)
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
		s.fail(ref.id, ReasonTooLarge)
		return
	case route.ReasonSkill:
		s.fail(ref.id, ReasonSkill)
		return
	case route.ReasonTimeWindow:
		s.fail(ref.id, ReasonUnreachable)
		return
	}
	b := s.book[ref.id][ref.leg]
	s.unbook(ref)
	next, ok := s.led.Earliest(b.res, b.start+1, b.need)
	if !ok {
		s.fail(ref.id, ReasonNoCapacity)
		return
	}
	b.start = next.Start
	s.reserve(ref, b)
	// A later delivery may push the split model's install visit later too.
	inst := s.book[ref.id][legInstall]
	if ref.leg != legMain || !inst.active {
		return
	}
	ri := s.res[b.res]
	tf := &s.w.Carriers[ri.carrier].Carrier.Fleets[ri.fleet]
	bound := int64(math.Ceil(deliveredBy(tf, b.start)))
	if inst.start >= bound {
		return
	}
	s.unbook(stopRef{ref.id, legInstall})
	slot, ok := s.led.Earliest(inst.res, bound, inst.need)
	if !ok {
		s.fail(ref.id, ReasonNoCapacity)
		return
	}
	inst.start = slot.Start
	s.reserve(stopRef{ref.id, legInstall}, inst)
}

func minuteLabel(t float64) string {
	d := int(t / day)
	m := int(t) - d*int(day)
	return fmt.Sprintf("day %d %02d:%02d", d, m/60, m%60)
}

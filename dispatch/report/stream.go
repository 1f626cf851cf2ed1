package report

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/route"
	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/dispatch/sim"
	"github.com/carriersim/carriersim/geo"
)

// StreamOptions say which outputs a Stream prepares and how.
type StreamOptions struct {
	// Orders prepares orders.csv; Routes, routes.csv; Map, the GeoJSON map (WriteGeoJSONOptions); Trips,
	// the kepler.gl trips (WriteTripsSampled).
	Orders, Routes, Map, Trips bool
	// SampleSize, when positive, draws at most this many orders per policy in the map and the trips, with
	// only the routes that serve them (NewSample); 0 draws every order.
	SampleSize int
	// Day0 is the simulated day's date, for the files' times (see Origin).
	Day0 time.Time
	// Scratch makes a scratch file for the stream's parts (outputs.Set.Scratch does, on the outputs' disk).
	// Its owner closes and removes them after the outputs are written. Nil: os.CreateTemp in the system's
	// temporary folder, unlinked at once where the system allows it, closed by Stream.Close.
	Scratch func() (*os.File, error)
}

// Stream writes a comparison's orders.csv, routes.csv, GeoJSON map and trips while it runs, so that the
// run can release every order once final (dispatch.Options.ReleaseOrders) and still write them: it is the
// comparison's observer (dispatch.Options.Observe), and each policy's orders and routes go to that policy's
// scratch files as they finish, nothing of them kept in memory but what an order in flight needs. After
// the run its Write methods join the policies' parts, in policy order, by streaming copy.
//
// The files are byte for byte those the writers give for the same comparison kept whole
// (WriteOrdersCSV, WriteRoutesCSV, WriteGeoJSONOptions, WriteTripsSampled, with NewSample for the sample):
// rows and features in the same order. Routes are recorded in the run's order, so their rows and features
// are written as they come. Orders finish in another order than their ids', so each policy writes every
// final order's outcome (72 bytes) at its id's place in a scratch file, and orders.csv and the map's order
// features are formatted from those records, in id order, at the end. Service areas are hulls that keep
// only the points that may still be on them (geo.Hull).
//
// A Stream is used once: Observe for each policy of one Compare, then the Write methods once the run has
// returned, then Close.
type Stream struct {
	opt    StreamOptions
	c      *dispatch.Comparison
	sample *Sample
	origin time.Time
	pols   []*policyStream
	// unlinked and named are the scratch files made without opt.Scratch, closed (named: and removed) by Close.
	unlinked, named []*os.File

	done    sync.Once
	doneErr error
}

// NewStream returns a stream preparing the outputs opt asks for.
func NewStream(opt StreamOptions) *Stream {
	return &Stream{opt: opt}
}

// Observe is the stream's dispatch.Options.Observe: it returns the sink of policy i of c. Every policy of
// one comparison must be observed.
func (s *Stream) Observe(c *dispatch.Comparison, i int) (sim.Sink, error) {
	switch {
	case s.c == nil:
		s.c = c
		s.sample = NewSample(c, s.opt.SampleSize)
		s.origin = Origin(c, s.opt.Day0)
	case s.c != c:
		return nil, errors.New("report: a stream observes one comparison")
	}
	for len(s.pols) <= i {
		s.pols = append(s.pols, nil)
	}
	p := &policyStream{s: s, pol: c.Policies[i].Name, visited: map[int32]visit{}, vehicles: map[waveKey]int32{},
		pendingAt: map[int32]int{}}
	if s.opt.Orders || s.opt.Map {
		f, err := s.scratch()
		if err != nil {
			return nil, err
		}
		p.recs = &recordFile{f: f}
	}
	if s.opt.Map {
		p.areas = newServiceAreas(c)
	}
	var err error
	if s.opt.Routes {
		if p.routeRows, err = s.part(); err == nil {
			p.routeCSV = csv.NewWriter(p.routeRows.w)
		}
	}
	if s.opt.Map && err == nil {
		if p.mapRoutes, err = s.part(); err == nil {
			p.mapFW = geo.NewFeaturePart(p.mapRoutes.w)
		}
	}
	if s.opt.Trips && err == nil {
		if p.trips, err = s.part(); err == nil {
			p.tripW = &tripWriter{bw: p.trips.w, c: c, origin: s.origin, part: true}
		}
	}
	if err != nil {
		return nil, err
	}
	s.pols[i] = p
	return p, nil
}

// Sample is the map's sample once the first policy is observed; nil when the map draws every order.
func (s *Stream) Sample() *Sample { return s.sample }

// scratch makes a scratch file.
func (s *Stream) scratch() (*os.File, error) {
	if s.opt.Scratch != nil {
		return s.opt.Scratch()
	}
	f, err := os.CreateTemp("", "carriersim-stream-*")
	if err != nil {
		return nil, fmt.Errorf("report: stream: %w", err)
	}
	// Unlinked where the system allows it: the file lives until closed. Elsewhere Close removes it.
	if os.Remove(f.Name()) == nil {
		s.unlinked = append(s.unlinked, f)
	} else {
		s.named = append(s.named, f)
	}
	return f, nil
}

// part makes a scratch file written through a buffer.
func (s *Stream) part() (*part, error) {
	f, err := s.scratch()
	if err != nil {
		return nil, err
	}
	return &part{f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

// Close closes (and removes) the scratch files the stream made itself (none when StreamOptions.Scratch
// made them).
func (s *Stream) Close() error {
	var err error
	for _, f := range s.unlinked {
		err = errors.Join(err, f.Close())
	}
	for _, f := range s.named {
		err = errors.Join(err, f.Close(), os.Remove(f.Name()))
	}
	s.unlinked, s.named = nil, nil
	return err
}

// finish ends every policy's parts once, after the run: the records still buffered, the buffers flushed.
func (s *Stream) finish() error {
	s.done.Do(func() {
		if s.c == nil || len(s.pols) != len(s.c.Runs) {
			s.doneErr = errors.New("report: the stream did not observe every policy of the comparison")
			return
		}
		for _, p := range s.pols {
			if p == nil {
				s.doneErr = errors.New("report: the stream did not observe every policy of the comparison")
				return
			}
			if err := p.finish(); err != nil {
				s.doneErr = fmt.Errorf("report: policy %s: %w", p.pol, err)
				return
			}
		}
	})
	return s.doneErr
}

// ready checks, before a Write method, that the stream was asked for the output and observed the run.
func (s *Stream) ready(asked bool, what string) error {
	if !asked {
		return fmt.Errorf("report: the stream was not asked for %s", what)
	}
	return s.finish()
}

// WriteOrdersCSV writes orders.csv as WriteOrdersCSV does for the comparison kept whole.
func (s *Stream) WriteOrdersCSV(w io.Writer) error {
	if err := s.ready(s.opt.Orders, "orders.csv"); err != nil {
		return err
	}
	outs := make([]outcomes, len(s.pols))
	for k, p := range s.pols {
		outs[k] = p.recs.reader(true, p.reasons)
	}
	return writeOrdersCSV(w, s.c, s.origin, outs)
}

// WriteRoutesCSV writes routes.csv as WriteRoutesCSV does for the comparison kept whole.
func (s *Stream) WriteRoutesCSV(w io.Writer) error {
	if err := s.ready(s.opt.Routes, "routes.csv"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(routeColumns); err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	for _, p := range s.pols {
		if _, err := io.Copy(w, p.routeRows.reader()); err != nil {
			return err
		}
	}
	return nil
}

// WriteGeoJSON writes the map as WriteGeoJSONOptions does for the comparison kept whole, with the
// stream's sample and date.
func (s *Stream) WriteGeoJSON(w io.Writer) error {
	if err := s.ready(s.opt.Map, "the map"); err != nil {
		return err
	}
	c := s.c
	fw := geo.NewFeatureWriter(w)
	if err := writeNetwork(fw, c); err != nil {
		return err
	}
	for _, p := range s.pols {
		if err := p.areas.write(fw, c, p.pol); err != nil {
			return err
		}
		recs := p.recs.reader(s.sample == nil, p.reasons)
		if err := writeOrderFeatures(fw, c, p.pol, s.sample, s.origin, recs); err != nil {
			return err
		}
		if err := fw.CopyPart(p.mapRoutes.reader(), p.mapCount); err != nil {
			return err
		}
	}
	return fw.Close()
}

// WriteTrips writes the trips as WriteTripsSampled does for the comparison kept whole, with the stream's
// sample and date.
func (s *Stream) WriteTrips(w io.Writer) error {
	if err := s.ready(s.opt.Trips, "the trips"); err != nil {
		return err
	}
	tw := &tripWriter{bw: bufio.NewWriterSize(w, 1<<16), c: s.c, origin: s.origin}
	for _, p := range s.pols {
		if err := tw.copyPart(p.trips.reader(), p.tripW.count); err != nil {
			return err
		}
	}
	return tw.close()
}

// part is a scratch file written through a buffer and read back whole.
type part struct {
	f *os.File
	w *bufio.Writer
	n int64 // bytes in the file once flushed
}

// flush writes the buffer out and notes the part's size.
func (p *part) flush() error {
	if err := p.w.Flush(); err != nil {
		return err
	}
	st, err := p.f.Stat()
	if err != nil {
		return err
	}
	p.n = st.Size()
	return nil
}

// reader reads the part from its start; the part must be flushed.
func (p *part) reader() io.Reader { return io.NewSectionReader(p.f, 0, p.n) }

// visit is the routes that visited an order (indices into the run's routes, -1 none): main delivered the
// goods (or brought and installed them), install is a split install's installer crew.
type visit struct{ main, install int32 }

// visitedBy notes route ri: an installer crew's of the split model (crewOnly), or one bringing the goods.
func (v *visit) visitedBy(ri int32, crewOnly bool) {
	if crewOnly {
		v.install = ri
	} else {
		v.main = ri
	}
}

// waveKey is a station-wave of one fleet: the routes of one key are numbered 1, 2, ... as vehicles.
type waveKey struct {
	carrier, station, fleet int
	start                   scenario.Minutes
}

// pendingOrder is a delivered order waiting for the route being recorded, which delivered it.
type pendingOrder struct {
	id  int32
	out sim.Outcome
	vis visit
}

// policyStream is one policy's sink: it receives the run's orders and routes on the policy's goroutine.
type policyStream struct {
	s   *Stream
	pol string
	err error // the first error; every later call does nothing

	routes int // routes recorded so far: the next route's index
	// vehicles numbers the routes of the station-waves starting at wave (routes come in wave order).
	vehicles map[waveKey]int32
	wave     scenario.Minutes
	// visited holds the routes that visited an order whose record is kept and that is not final yet.
	visited map[int32]visit
	// pending holds the orders delivered since the last route: the run finishes a route's orders and then
	// records the route, so a delivered order learns its last route from the next Routed.
	pending   []pendingOrder
	pendingAt map[int32]int // index in pending by id

	recs    *recordFile // every order's outcome by id (orders.csv; the map's orders)
	reasons []route.Reason
	areas   serviceAreas

	routeRows *part
	routeCSV  *csv.Writer
	row       []string
	mapRoutes *part
	mapFW     *geo.FeatureWriter
	mapCount  int
	trips     *part
	tripW     *tripWriter
}

// keeps reports whether the order's outcome is written to the records: every order for orders.csv, the
// day's sampled orders for the map alone.
func (p *policyStream) keeps(id int32, o *sim.Order) bool {
	return p.recs != nil && (p.s.opt.Orders || (!o.Warmup && p.s.sample.Order(id)))
}

// Finished receives a final order (sim.Sink).
func (p *policyStream) Finished(id int32, o *sim.Order, out *sim.Outcome) {
	if p.err != nil {
		return
	}
	if p.areas != nil {
		p.areas.add(o, out)
	}
	if !p.keeps(id, o) {
		return
	}
	vis, ok := p.visited[id]
	if ok {
		delete(p.visited, id)
	} else {
		vis = visit{-1, -1}
	}
	if out.State != sim.Delivered {
		// No route visits an unserved order any more: it was on none that finished it.
		code, err := p.reasonCode(out.Reason)
		if err == nil {
			err = p.recs.put(id, out, vis, code)
		}
		p.setErr(err)
		return
	}
	p.pendingAt[id] = len(p.pending)
	p.pending = append(p.pending, pendingOrder{id: id, out: *out, vis: vis})
}

// Routed receives a recorded route (sim.Sink).
func (p *policyStream) Routed(r *sim.RouteRecord, _ int) {
	if p.err != nil {
		return
	}
	ri := p.routes
	p.routes++
	switch {
	case ri == 0 || r.WaveStart > p.wave:
		clear(p.vehicles)
		p.wave = r.WaveStart
	case r.WaveStart < p.wave:
		p.err = fmt.Errorf("route %d starts at minute %v, before an earlier route's wave (%v)", ri, r.WaveStart, p.wave)
		return
	}
	k := waveKey{r.Carrier, r.Station, r.Fleet, r.WaveStart}
	p.vehicles[k]++
	vehicle := p.vehicles[k]

	if p.recs != nil {
		cr := p.s.c.World.Carriers[r.Carrier].Carrier
		installer := crewOnly(cr, r.Fleet)
		for _, id := range r.Stops {
			if k, ok := p.pendingAt[id]; ok {
				p.pending[k].vis.visitedBy(int32(ri), installer)
				continue
			}
			if !p.keeps(id, &p.s.c.Orders[id]) {
				continue
			}
			v, ok := p.visited[id]
			if !ok {
				v = visit{-1, -1}
			}
			v.visitedBy(int32(ri), installer)
			p.visited[id] = v
		}
		p.flushPending()
	}
	c, origin, s := p.s.c, p.s.origin, p.s.sample
	if p.routeCSV != nil {
		p.row = appendRoute(p.row[:0], c, p.pol, ri, vehicle, r, origin)
		p.setErr(p.routeCSV.Write(p.row))
	}
	if (p.mapFW != nil || p.tripW != nil) && s.Route(c, r) {
		if p.mapFW != nil {
			p.setErr(p.mapFW.Write(routeFeature(c, p.pol, ri, vehicle, r, origin)))
			p.mapCount++
		}
		if p.tripW != nil {
			p.setErr(p.tripW.write(p.pol, ri, vehicle, r))
		}
	}
}

// flushPending writes the pending orders' records.
func (p *policyStream) flushPending() {
	for i := range p.pending {
		po := &p.pending[i]
		code, err := p.reasonCode(po.out.Reason)
		if err != nil {
			p.setErr(err)
			return
		}
		p.setErr(p.recs.put(po.id, &po.out, po.vis, code))
	}
	p.pending = p.pending[:0]
	clear(p.pendingAt)
}

// reasonCode numbers an unserved reason in the policy's records: 0 for none, then 1, 2, ... as they come.
func (p *policyStream) reasonCode(r route.Reason) (uint8, error) {
	if r == "" {
		return 0, nil
	}
	for i, q := range p.reasons {
		if q == r {
			return uint8(i + 1), nil
		}
	}
	if len(p.reasons) == 255 {
		return 0, errors.New("more than 255 unserved reasons")
	}
	p.reasons = append(p.reasons, r)
	return uint8(len(p.reasons)), nil
}

func (p *policyStream) setErr(err error) {
	if p.err == nil && err != nil {
		p.err = err
	}
}

// finish writes what is pending and flushes the parts.
func (p *policyStream) finish() error {
	if p.recs != nil && p.err == nil {
		p.flushPending()
		p.setErr(p.recs.flush())
	}
	if p.routeCSV != nil {
		p.routeCSV.Flush()
		p.setErr(p.routeCSV.Error())
		p.setErr(p.routeRows.flush())
	}
	if p.mapFW != nil {
		p.setErr(p.mapFW.Close())
		p.setErr(p.mapRoutes.flush())
	}
	if p.tripW != nil {
		p.setErr(p.tripW.close())
		p.setErr(p.trips.flush())
	}
	return p.err
}

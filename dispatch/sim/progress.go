package sim

import "sync/atomic"

// Progress counts a run's orders that reached their final state, for a progress display. It is safe for
// concurrent use: the run adds, a display reads.
type Progress struct {
	done  atomic.Int64
	total atomic.Int64
}

// Done returns how many orders are final and how many there are.
func (p *Progress) Done() (done, total int64) { return p.done.Load(), p.total.Load() }

// Options tune how a run is carried out; no option changes its result.
type Options struct {
	// Workers bounds how many station-waves are routed at once (at least 1; 0 means GOMAXPROCS).
	Workers int
	// Progress, when not nil, counts the run's final orders as they happen.
	Progress *Progress
	// Sink, when not nil, receives every order as it reaches its final state and every route as it is
	// recorded, in the run's deterministic order, on the run's goroutine.
	Sink Sink
	// Release drops each order's outcome and bookings once it is final and has gone to Sink, and every route
	// once recorded: the run's memory then grows with the orders in flight, not with the day. The Run has
	// no Outcomes, Routes or Finished; the result is otherwise the same.
	Release bool
	// batch overrides waveBatch (tests).
	batch int
}

// Sink receives a run's results as they happen (Options.Sink). The pointers are valid during the call only.
type Sink interface {
	// Finished receives an order that reached its final state, with its outcome.
	Finished(id int32, o *Order, out *Outcome)
	// Routed receives a recorded route; dayStops counts its stops that are the day's orders (not warm-up).
	Routed(r *RouteRecord, dayStops int)
}

// Sinks is a Sink that hands every order and route to each of its sinks in turn.
type Sinks []Sink

// Finished hands the order to every sink.
func (s Sinks) Finished(id int32, o *Order, out *Outcome) {
	for _, k := range s {
		k.Finished(id, o, out)
	}
}

// Routed hands the route to every sink.
func (s Sinks) Routed(r *RouteRecord, dayStops int) {
	for _, k := range s {
		k.Routed(r, dayStops)
	}
}

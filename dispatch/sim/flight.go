package sim

import (
	"fmt"
	"math"

	"github.com/carriersim/carriersim/dispatch/ledger"
	"github.com/carriersim/carriersim/dispatch/scenario"
)

// An order in flight (dispatched, not yet final) keeps only a flight: its carrier's choice and its main
// leg's booking, 24 bytes. Its Outcome is built once it is final (outcome), handed to
// the sink and, unless the run releases its orders, stored by id. Most of a day's orders are still in flight
// at its end (line-haul takes days, late orders wait for the next morning's waves), so this record, not the
// Outcome, is what a run's memory grows with.
type flight struct {
	// main is the main leg's booking. The split install model's installer visit, the only other leg, is
	// rare and kept in sim.inst instead; the line-haul and sorting costs are recomputed from the order and
	// its carrier (pickupCosts) when the outcome is built. Both keep a flight at 24 bytes, the most a run
	// holds per order in flight and policy.
	main                      held
	station                   int16
	carrier, fleet, instFleet int8
}

// held is a leg's booking as a flight keeps it: a ledger amount of one parcel or job, so only its volume
// and minutes, and a start within int32 minutes. The zero value is no booking.
type held struct {
	res                 int32 // ledger.Resource + 1; 0: none
	start, vol, minutes int32
}

// hold packs b; bookings are always of one unit, within int32 (a programmer error otherwise).
func hold(b booking) held {
	if !b.active {
		return held{}
	}
	if b.need.Count != 1 || b.start != int64(int32(b.start)) || b.need.Volume > math.MaxInt32 || b.need.Minutes > math.MaxInt32 {
		panic(fmt.Sprintf("dispatch: booking %+v does not pack", b))
	}
	return held{res: int32(b.res) + 1, start: int32(b.start), vol: int32(b.need.Volume), minutes: int32(b.need.Minutes)}
}

func (h held) active() bool { return h.res != 0 }

// booking unpacks h (inactive for none).
func (h held) booking() booking {
	if h.res == 0 {
		return booking{}
	}
	return booking{active: true, res: ledger.Resource(h.res - 1), start: int64(h.start),
		need: ledger.Amount{Count: 1, Volume: int64(h.vol), Minutes: int64(h.minutes)}}
}

// splitPart is what the split install model's delivery leg leaves an order whose installer is still to come.
type splitPart struct {
	km, vehShare, lastMile float64
	goodsAt                scenario.Minutes
}

// newOutcome is an order's outcome before any carrier took it.
var newOutcome = Outcome{Carrier: -1, Station: -1, Fleet: -1, InstallFleet: -1}

// Values of sim.at besides a flight's index.
const (
	notDispatched int32 = -1
	finished      int32 = -2
)

// flightChunk is how many flights one chunk of sim.fl holds: the flights grow chunk by chunk, never
// copied, so their memory is what the most orders in flight at once need, not twice that.
const flightChunk = 1 << 12

// admit gives a dispatched order a flight.
func (s *sim) admit(id int32) {
	if n := len(s.free); n > 0 {
		s.at[id] = s.free[n-1]
		s.free = s.free[:n-1]
	} else {
		s.at[id] = s.flights
		if int(s.flights)%flightChunk == 0 {
			s.fl = append(s.fl, make([]flight, flightChunk))
		}
		s.flights++
	}
	*s.flight(id) = flight{carrier: -1, station: -1, fleet: -1, instFleet: -1}
}

// flight returns order id's flight; the order is in flight.
func (s *sim) flight(id int32) *flight {
	k := s.at[id]
	return &s.fl[k/flightChunk][k%flightChunk]
}

// outcome builds the outcome of order id from its flight: what was decided and spent so far.
func (s *sim) outcome(id int32) Outcome {
	f := s.flight(id)
	out := Outcome{Carrier: f.carrier, Station: f.station, Fleet: f.fleet, InstallFleet: f.instFleet}
	if f.carrier >= 0 {
		out.Linehaul, out.Sorting = pickupCosts(s.w, s.w.Carriers[f.carrier].Carrier, &s.orders[id])
	}
	if p := s.splitPart(id); p != nil {
		out.Km, out.VehShare, out.LastMile, out.GoodsAt = p.km, p.vehShare, p.lastMile, p.goodsAt
	}
	return out
}

// legBooking returns the booking of leg ref of an order in flight (the zero held when none).
func (s *sim) legBooking(ref stopRef) held {
	if ref.leg() == legMain {
		return s.flight(ref.id()).main
	}
	if s.orders[ref.id()].Category != scenario.ApplianceInstall {
		return held{} // only installs have a second leg: skip the map, looked up for every stop routed
	}
	return s.inst[ref.id()]
}

// splitPart returns what the delivery of a split-model install in flight left for its installer's visit,
// or nil. Only installs have one: the others skip the map, looked up for every order finished.
func (s *sim) splitPart(id int32) *splitPart {
	if s.orders[id].Category != scenario.ApplianceInstall {
		return nil
	}
	return s.split[id]
}

// setBooked sets the booking of leg ref of an order in flight; the zero held clears it.
func (s *sim) setBooked(ref stopRef, h held) {
	switch {
	case ref.leg() == legMain:
		s.flight(ref.id()).main = h
	case h.active():
		s.inst[ref.id()] = h
	default:
		delete(s.inst, ref.id())
	}
}

// goodsAt is when an order's goods reached the door, 0 before they did (split install model).
func (s *sim) goodsAt(id int32) scenario.Minutes {
	if p := s.splitPart(id); p != nil {
		return p.goodsAt
	}
	return 0
}

// finish is called once with an order's final outcome: it counts the order, hands it to the sink, stores it
// unless the run releases its orders, and gives the order's flight back.
func (s *sim) finish(id int32, out *Outcome) {
	s.progress.done.Add(1)
	s.finished++
	if s.sink != nil {
		s.sink.Finished(id, &s.orders[id], out)
	}
	if !s.release {
		s.out[id] = *out
		s.fin = append(s.fin, id)
	}
	delete(s.split, id)
	delete(s.inst, id)
	s.free = append(s.free, s.at[id])
	s.at[id] = finished
}

package ledger_test

import (
	"errors"
	"fmt"

	"github.com/carriersim/carriersim/dispatch/ledger"
)

// A station's van fleet has two delivery waves; orders take the earliest wave
// with room for them and spill into the next one when it fills up.
func Example() {
	l := ledger.New(0)
	const station ledger.Resource = 1
	// 09:00-12:00 with room for 2 parcels and 100 l; 14:00-18:00 with room for 50 parcels and 2000 l.
	if err := l.Add(station, 9*60, 12*60, ledger.Amount{Count: 2, Volume: 100}); err != nil {
		fmt.Println(err)
	}
	if err := l.Add(station, 14*60, 18*60, ledger.Amount{Count: 50, Volume: 2000}); err != nil {
		fmt.Println(err)
	}

	parcel := ledger.Amount{Count: 1, Volume: 40}
	for order := 1; order <= 3; order++ {
		s, ok := l.Earliest(station, 8*60, parcel) // ready at 08:00
		if !ok {
			fmt.Printf("order %d: no room\n", order)
			continue
		}
		if err := l.Reserve(station, s.Start, parcel); err != nil {
			fmt.Println(err)
		}
		s, _ = l.Get(station, s.Start)
		fmt.Printf("order %d: wave %02d:00, left: count %d, volume %d l\n", order, s.Start/60, s.Remaining.Count, s.Remaining.Volume)
	}
	// Output:
	// order 1: wave 09:00, left: count 1, volume 60 l
	// order 2: wave 09:00, left: count 0, volume 20 l
	// order 3: wave 14:00, left: count 49, volume 1960 l
}

// An install crew's appointment slot is sized in crew-minutes; a request
// that does not fit fails with ErrNoRoom and changes nothing.
func ExampleLedger_Reserve() {
	l := ledger.New(0)
	const crew ledger.Resource = 7
	_ = l.Add(crew, 9*60, 13*60, ledger.Amount{Count: 2, Minutes: 240})

	airConditioner := ledger.Amount{Count: 1, Minutes: 150}
	fmt.Println(l.Reserve(crew, 9*60, airConditioner))
	err := l.Reserve(crew, 9*60, airConditioner)
	fmt.Println(errors.Is(err, ledger.ErrNoRoom), err)
	s, _ := l.Get(crew, 9*60)
	fmt.Printf("left: %d job, %d crew-minutes\n", s.Remaining.Count, s.Remaining.Minutes)
	// Output:
	// <nil>
	// true ledger: slot has no room
	// left: 1 job, 90 crew-minutes
}

// A cancelled order gives its capacity back; giving back more than was
// taken is refused.
func ExampleLedger_Release() {
	l := ledger.New(0)
	_ = l.Add(1, 0, 60, ledger.Amount{Count: 10})
	_ = l.Reserve(1, 0, ledger.Amount{Count: 3})
	fmt.Println(l.Release(1, 0, ledger.Amount{Count: 3}))
	err := l.Release(1, 0, ledger.Amount{Count: 1})
	fmt.Println(errors.Is(err, ledger.ErrOverRelease), l.Check())
	// Output:
	// <nil>
	// true <nil>
}

// Converting an order's measured volume to the ledger's whole litres: a
// quantity too large to be exact is refused, so the order can be reported
// rather than reserved with a wrapped-around amount.
func ExampleCeil() {
	for _, litres := range []float64{30.2, 1e16} {
		v, err := ledger.Ceil(litres)
		switch {
		case errors.Is(err, ledger.ErrTooLarge):
			fmt.Printf("%g l: refused: %v\n", litres, err)
		case err != nil:
			fmt.Printf("%g l: %v\n", litres, err)
		default:
			fmt.Printf("%g l: reserve %d\n", litres, v)
		}
	}
	// Output:
	// 30.2 l: reserve 31
	// 1e+16 l: refused: ledger: amount too large: quantity 1e+16 is above 9007199254740992
}

package sim

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/carriersim/carriersim/dispatch/ledger"
	"github.com/carriersim/carriersim/dispatch/scenario"
)

// TestOrderSequence checks that the order cursor yields the order an event queue keyed by (creation, id)
// would: sorted by creation time, ties by id.
func TestOrderSequence(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, sorted := range []bool{true, false} {
		orders := make([]Order, 5000)
		for i := range orders {
			orders[i].Created = scenario.Minutes(rng.IntN(300)) // many ties
		}
		if sorted {
			slices.SortFunc(orders, func(a, b Order) int { return cmp.Compare(a.Created, b.Created) })
		}
		want := make([]int32, len(orders))
		for i := range want {
			want[i] = int32(i)
		}
		slices.SortFunc(want, func(a, b int32) int {
			if c := cmp.Compare(orders[a].Created, orders[b].Created); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
		got := orderSequence(orders)
		if got == nil && sorted { // the identity
			got = make([]int32, len(orders))
			for i := range got {
				got[i] = int32(i)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("sorted=%v: orderSequence differs from the (creation, id) order", sorted)
		}
	}
}

// TestSlotOfNumbersEverySlot checks that slotOf gives every ledger slot of a run its own number in
// [0, len(legs)), so the per-slot leg lists never mix two slots.
func TestSlotOfNumbersEverySlot(t *testing.T) {
	in := dispatchInput(t, 3000)
	s := newSim(in.w, in.pol, in.orders, 1, false)
	seen := make([]bool, len(s.legs))
	n := 0
	s.led.Ascend(func(sl ledger.Slot) bool {
		k := s.slotOf(sl.Resource, sl.Start)
		if k < 0 || k >= len(seen) || seen[k] {
			t.Fatalf("slot (%d, %d): number %d out of range or taken", sl.Resource, sl.Start, k)
		}
		seen[k] = true
		n++
		return true
	})
	if n != len(s.legs) {
		t.Errorf("%d ledger slots, %d numbers", n, len(s.legs))
	}
}

// A fleet's slots start on the first day an order may book it: vans on the simulated day, crews and the
// split model's trucks on the first warm-up day, whose installs they serve.
func TestFleetFirstDay(t *testing.T) {
	sc, err := scenario.Load("beijing-default")
	if err != nil {
		t.Fatal(err)
	}
	sc.Demand.Orders = 2000
	w, err := NewWorld(sc)
	if err != nil {
		t.Fatal(err)
	}
	orders := OrderStream(w, 1, 2000)
	d0 := firstDay(orders)
	if d0 >= 0 {
		t.Fatalf("first day %d: want warm-up days before day 0", d0)
	}
	days := categoryFirstDays(orders)
	for _, nw := range w.Carriers {
		for fi := range nw.Carrier.Fleets {
			f := &nw.Carrier.Fleets[fi]
			want := int64(0)
			if f.IsInstall() || nw.Carrier.InstallModel == scenario.Split && nw.FleetFor(scenario.Bulky) == fi {
				want = d0
			}
			if got := fleetFirstDay(nw, fi, days, d0); got != want {
				t.Errorf("%s %s: first day %d, want %d", nw.Carrier.ID, f.Name, got, want)
			}
		}
	}
}

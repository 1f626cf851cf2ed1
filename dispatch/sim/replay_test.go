package sim

import (
	"math"
	"slices"
	"testing"

	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/geo"
)

// TestReplayBackground checks the background of a sampled replay: per day round((scale-1) x the day's
// replayed orders) parcels, each created and ready like a replayed order of its day, near a replayed door,
// marked Warmup, with IDs after the replayed ones; the same inputs give the same parcels.
func TestReplayBackground(t *testing.T) {
	sc, err := scenario.Load("jilin-lade")
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWorld(sc)
	if err != nil {
		t.Fatal(err)
	}
	st := w.Carriers[0].Stations
	var replayed []Order
	for i, n := range []int{3, 0, 5} { // days 0 and 2 have replayed orders
		for k := 0; k < n; k++ {
			m := scenario.Minutes(float64(i)*scenario.Day + 8*60 + float64(k))
			replayed = append(replayed, Order{Category: scenario.Parcel, Created: m, Ready: m,
				ReadyGiven: true, Dest: st[k%len(st)].Point, WeightKg: 1, VolumeL: 10, Product: -1})
		}
	}
	bg := ReplayBackground(w, replayed, 3.5, 9)
	if want := int(math.Round(2.5*3) + math.Round(2.5*5)); len(bg) != want {
		t.Fatalf("%d background parcels, want %d", len(bg), want)
	}
	perDay := map[int64]int{}
	for i, o := range bg {
		perDay[o.Created.DayOf()]++
		if !o.Warmup || o.Category != scenario.Parcel || !o.ReadyGiven || o.Ready != o.Created {
			t.Fatalf("background %d: %+v: want a warm-up parcel ready when created", i, o)
		}
		near := false
		for _, r := range replayed {
			near = near || geo.Distance(o.Dest, r.Dest) < 6*BackgroundJitterM
		}
		if !near {
			t.Errorf("background %d at %v is far from every replayed door", i, o.Dest)
		}
	}
	if perDay[0] != 8 || perDay[2] != 13 || perDay[1] != 0 {
		t.Errorf("background per day %v, want day 0: 8, day 2: 13", perDay)
	}
	if again := ReplayBackground(w, replayed, 3.5, 9); !slices.Equal(again, bg) {
		t.Error("the same inputs gave other background parcels")
	}
	if none := ReplayBackground(w, replayed, 1, 9); len(none) != 0 {
		t.Errorf("scale 1 gave %d background parcels", len(none))
	}
}

package sim

import (
	"testing"

	"github.com/carriersim/carriersim/dispatch/scenario"
)

// TestRemotePromiseHours checks demand.remote_promise_hours: an order from another city is due that many
// hours after creation (plus its category's extra days), a city order keeps the 211 rule.
func TestRemotePromiseHours(t *testing.T) {
	sc := defaultScenario(t)
	sc.Demand.RemotePromiseHours = 72
	w, err := NewWorld(sc)
	if err != nil {
		t.Fatal(err)
	}
	remote, local := 0, 0
	for id, o := range GenerateOrders(w, 5, 2000) {
		if o.Category == scenario.ApplianceInstall {
			continue
		}
		extra := scenario.Minutes(float64(sc.Goods.Spec(o.Category).ExtraDays) * scenario.Day)
		want := Promise211(o.Created) + extra
		if o.OriginKm > 0 {
			want = o.Created + 72*60 + extra
			remote++
		} else {
			local++
		}
		if o.Promise != want {
			t.Fatalf("order %d (origin %.0f km, %s): promise %v, want %v", id, o.OriginKm, o.Category, o.Promise, want)
		}
	}
	if remote == 0 || local == 0 {
		t.Errorf("%d remote and %d city orders: want both", remote, local)
	}
}

// TestInstallsDrawnDirectly checks that a warm-up day's installs, drawn without the day's other orders, match
// those a whole day's draw contains: their count within 3% and each platform's share within 2 points.
func TestInstallsDrawnDirectly(t *testing.T) {
	sc := defaultScenario(t)
	w, err := NewWorld(sc)
	if err != nil {
		t.Fatal(err)
	}
	const n = 200000
	count := func(orders []Order) (int, []float64) {
		by := make([]float64, len(sc.Platforms))
		k := 0
		for _, o := range orders {
			if o.Category == scenario.ApplianceInstall {
				k++
				by[o.Platform]++
			}
		}
		for i := range by {
			by[i] /= float64(max(k, 1))
		}
		return k, by
	}
	full, fullBy := count(generateDay(w, 3, n, -2))
	direct := generateInstalls(w, 3, n, -2)
	got, gotBy := count(direct)
	if got != len(direct) {
		t.Fatalf("%d of %d directly drawn orders are installs", got, len(direct))
	}
	if d := float64(got)/float64(full) - 1; d > 0.03 || d < -0.03 {
		t.Errorf("%d installs drawn directly, %d in a whole day: want within 3%%", got, full)
	}
	for i := range gotBy {
		if d := gotBy[i] - fullBy[i]; d > 0.02 || d < -0.02 {
			t.Errorf("platform %s: %.3f of the installs drawn directly, %.3f of a whole day's", sc.Platforms[i].ID, gotBy[i], fullBy[i])
		}
	}
	for i := 1; i < len(direct); i++ {
		if direct[i].Created < direct[i-1].Created || !direct[i].Warmup || direct[i].Created >= -scenario.Day {
			t.Fatalf("order %d: created %v, warm-up %v: want sorted warm-up orders of day -2", i, direct[i].Created, direct[i].Warmup)
		}
	}
}

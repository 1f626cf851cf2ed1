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
	for _, o := range GenerateOrders(w, 5, 2000) {
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
			t.Fatalf("order %d (origin %.0f km, %s): promise %v, want %v", o.ID, o.OriginKm, o.Category, o.Promise, want)
		}
	}
	if remote == 0 || local == 0 {
		t.Errorf("%d remote and %d city orders: want both", remote, local)
	}
}

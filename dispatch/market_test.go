package dispatch_test

import (
	"context"
	"math"
	"reflect"
	"sync"
	"testing"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/dispatch/sim"
)

// marketOrders keeps the whole-market tests quick; the shares test draws more orders, which is cheap.
const marketOrders = 4000

// narrowPolicy is an access matrix no embedded policy has, with carriers that cannot serve some of the
// orders it lets them take: Taobao parcels to ZTO or SF only, JD's third-party orders to YTO or JD
// Logistics, everything else to Cainiao or JD Logistics.
var narrowPolicy = scenario.Policy{Name: "narrow", Choice: scenario.ChoiceBestQuote, Access: []scenario.AccessRule{
	{Selector: scenario.Selector{Platform: "taobao", Category: "parcel"}, Carriers: []string{"zto", "sf"}},
	{Selector: scenario.Selector{Platform: "jd", Merchant: "3p"}, Carriers: []string{"yto", "jdl"}},
	{Carriers: []string{"cainiao", "jdl"}},
}}

var marketPolicies = []string{"walled", "before-2024", "open-2024", "fully-open", "open-3p", "open-install", "overflow", "narrow"}

// marketComparison runs every access policy of beijing-2024, and narrowPolicy, on one order stream.
var marketComparisonOnce = sync.OnceValues(func() (*dispatch.Comparison, error) {
	sc, err := scenario.Load("beijing-2024")
	if err != nil {
		return nil, err
	}
	sc.Policies = append(sc.Policies, narrowPolicy)
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	return dispatch.Compare(context.Background(), dispatch.Options{Scenario: sc, Policies: marketPolicies, Seed: 11, Orders: marketOrders})
})

func marketComparison(t *testing.T) *dispatch.Comparison {
	t.Helper()
	c, err := marketComparisonOnce()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestAccessMatrixEnforced recounts every policy's orders from the routes: no order ever rides with a
// carrier its policy's access matrix forbids, each carrier's delivered orders in the report are the
// orders its routes delivered, and no order fails for want of a fleet while an allowed carrier has one.
func TestAccessMatrixEnforced(t *testing.T) {
	c := marketComparison(t)
	sc, w := c.Scenario, c.World
	for pi, run := range c.Runs {
		pol := run.Policy
		allowed := func(o *sim.Order) uint64 { return pol.Allowed(sc, int(o.Platform), o.FirstParty, o.Category) }
		delivered := make([]map[int32]bool, len(sc.Carriers))
		for i := range delivered {
			delivered[i] = map[int32]bool{}
		}
		for _, r := range run.Routes {
			for _, id := range r.Stops {
				o := &c.Orders[id]
				if allowed(o)>>r.Carrier&1 == 0 {
					t.Fatalf("%s: order %d (%s %s %s) rides with %s, which the policy forbids", pol.Name, id,
						sc.Platforms[o.Platform].ID, o.Merchant(), o.Category, sc.Carriers[r.Carrier].ID)
				}
				if !o.Warmup && run.Outcomes[id].State == sim.Delivered {
					delivered[r.Carrier][id] = true
				}
			}
		}
		for id, out := range run.Outcomes {
			o := &c.Orders[id]
			if out.Carrier >= 0 && allowed(o)>>out.Carrier&1 == 0 {
				t.Fatalf("%s: order %d accepted by forbidden carrier %s", pol.Name, id, sc.Carriers[out.Carrier].ID)
			}
			capable := false
			for ci, nw := range w.Carriers {
				capable = capable || (allowed(o)>>ci&1 == 1 && nw.Serves(o.Category))
			}
			if out.State == sim.Unserved && capable && (out.Reason == sim.ReasonNoFleet || out.Reason == sim.ReasonSkill) {
				t.Errorf("%s: order %d (%s) unserved with %s although an allowed carrier serves it", pol.Name, id, o.Category, out.Reason)
			}
		}
		rep := &c.Report.Policies[pi]
		if len(rep.Carriers) != len(sc.Carriers) {
			t.Fatalf("%s: %d carriers in the report, want %d", pol.Name, len(rep.Carriers), len(sc.Carriers))
		}
		for ci, cs := range rep.Carriers {
			if cs.Carrier != sc.Carriers[ci].ID || cs.Delivered != len(delivered[ci]) {
				t.Errorf("%s: report says %s delivered %d, its routes delivered %d", pol.Name, cs.Carrier, cs.Delivered, len(delivered[ci]))
			}
		}
	}
}

// TestEveryCarrierAndPlatformInGroups: the whole market's policies give every carrier and every platform
// orders, and the carrier shares add up to the served orders.
func TestEveryCarrierAndPlatformInGroups(t *testing.T) {
	c := marketComparison(t)
	for _, p := range c.Report.Policies[:3] { // walled, before-2024, open-2024
		carriers, platforms := map[string]bool{}, map[string]bool{}
		for _, g := range p.Groups {
			carriers[g.Carrier], platforms[g.Platform] = true, true
		}
		for _, cr := range c.Scenario.Carriers {
			if !carriers[cr.ID] {
				t.Errorf("%s: no group of carrier %s", p.Policy, cr.ID)
			}
		}
		for _, pl := range c.Scenario.Platforms {
			if !platforms[pl.ID] {
				t.Errorf("%s: no group of platform %s", p.Policy, pl.ID)
			}
		}
		accepted := 0
		for _, cs := range p.Carriers {
			accepted += cs.Orders
		}
		none := 0
		for _, g := range p.Groups {
			if g.Carrier == "none" {
				none += g.Orders
			}
		}
		if accepted+none != p.Orders {
			t.Errorf("%s: carriers accepted %d and %d went to none, of %d orders", p.Policy, accepted, none, p.Orders)
		}
	}
}

// TestBaselineAccessKeepsTheCurrentMix: under the access the merchants chose their carriers under
// (before-2024, sticky), they keep them: each carrier's share stays at its baseline share, orders that
// found no room with their carrier aside.
func TestBaselineAccessKeepsTheCurrentMix(t *testing.T) {
	c := marketComparison(t)
	p := &c.Report.Policies[1]
	if p.Policy != "before-2024" {
		t.Fatalf("policy %s, want before-2024", p.Policy)
	}
	for _, cs := range p.Carriers {
		if math.Abs(cs.Share-cs.BaselineShare) > 0.01 {
			t.Errorf("%s: share %.4f under before-2024, baseline %.4f", cs.Carrier, cs.Share, cs.BaselineShare)
		}
		if cs.Switched > cs.BaselineOrders/50 {
			t.Errorf("%s: %d of its %d baseline orders switched under before-2024", cs.Carrier, cs.Switched, cs.BaselineOrders)
		}
	}
}

// TestWalledEqualsClosed: on a two-carrier scenario, the access matrix walled gives the figures of the old
// selector policy closed, and fully-open those of open, order for order.
func TestWalledEqualsClosed(t *testing.T) {
	sc := defaultScenario(t)
	opt := compareOptions(sc)
	opt.Policies = []string{"closed", "walled", "open", "fully-open"}
	c, err := dispatch.Compare(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]int{{0, 1}, {2, 3}} {
		a, b := c.Report.Policies[pair[0]], c.Report.Policies[pair[1]]
		b.Policy = a.Policy
		for i := range b.Carriers {
			b.Carriers[i].ShareChange = a.Carriers[i].ShareChange
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s and %s give different reports", c.Runs[pair[0]].Policy.Name, c.Runs[pair[1]].Policy.Name)
		}
		if !reflect.DeepEqual(c.Runs[pair[0]].Outcomes, c.Runs[pair[1]].Outcomes) {
			t.Errorf("%s and %s give different outcomes", c.Runs[pair[0]].Policy.Name, c.Runs[pair[1]].Policy.Name)
		}
	}
}

// within checks that a count of n draws is within 4 standard errors of share p.
func within(t *testing.T, label string, count, n int, p float64) {
	t.Helper()
	got := float64(count) / float64(n)
	if se := math.Sqrt(p * (1 - p) / float64(n)); math.Abs(got-p) > 4*se+1e-9 {
		t.Errorf("%s: share %.4f of %d, configured %.4f (4 standard errors: %.4f)", label, got, n, p, 4*se)
	}
}

// TestGeneratedSharesMatchTheScenario: the generated orders' platform shares, JD's first-party share, each
// platform's category mix and its merchants' baseline carriers match the configured shares within
// sampling error; a baseline carrier always serves its order's category.
func TestGeneratedSharesMatchTheScenario(t *testing.T) {
	sc, err := scenario.Load("beijing-2024")
	if err != nil {
		t.Fatal(err)
	}
	sc.Demand.Orders = marketOrders
	w, err := sim.NewWorld(sc)
	if err != nil {
		t.Fatal(err)
	}
	const n = 100000
	orders := sim.GenerateOrders(w, 5, n)
	platform := make([]int, len(sc.Platforms))
	firstParty := make([]int, len(sc.Platforms))
	cats := make([][scenario.NumCategories]int, len(sc.Platforms))
	// base counts baseline carriers of third-party parcels, per platform.
	base := make([][]int, len(sc.Platforms))
	for i := range base {
		base[i] = make([]int, len(sc.Carriers))
	}
	for i := range orders {
		o := &orders[i]
		platform[o.Platform]++
		cats[o.Platform][o.Category]++
		if o.FirstParty {
			firstParty[o.Platform]++
		}
		b := w.BaselineCarrier(o)
		if !w.Carriers[b].Serves(o.Category) {
			t.Fatalf("order %d (%s) has baseline carrier %s, which does not serve it", i, o.Category, sc.Carriers[b].ID)
		}
		if !o.FirstParty && o.Category == scenario.Parcel {
			base[o.Platform][b]++
		}
	}
	for pi, pl := range sc.Platforms {
		within(t, pl.ID+" share", platform[pi], n, pl.Share)
		within(t, pl.ID+" first party", firstParty[pi], platform[pi], pl.FirstParty)
		for _, c := range scenario.Categories() {
			within(t, pl.ID+" "+c.String(), cats[pi][c], platform[pi], pl.Mix[c.String()])
		}
		parcels := 0
		for _, k := range base[pi] {
			parcels += k
		}
		want := sc.BaselineWeights(pi, false, scenario.Parcel)
		for ci, cr := range sc.Carriers {
			within(t, pl.ID+" 3p parcels with "+cr.ID, base[pi][ci], parcels, want[ci])
		}
	}
}

// TestShiftDrawsShiftedDemand: a demand shift changes the orders every policy sees (here 10% more Taobao
// orders) and leaves the networks as they were.
func TestShiftDrawsShiftedDemand(t *testing.T) {
	sc, err := scenario.Load("beijing-2024")
	if err != nil {
		t.Fatal(err)
	}
	opt := dispatch.Options{Scenario: sc, Policies: []string{"open-2024"}, Seed: 3, Orders: 2000}
	plain, err := dispatch.Compare(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.Shift = "taobao-surge"
	shifted, err := dispatch.Compare(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	taobao := sc.Platforms[1].Share
	if sc.Platforms[1].ID != "taobao" {
		t.Fatal("beijing-2024's second platform is not taobao")
	}
	if want := int(math.Round(2000 * (1 + 0.1*taobao))); shifted.Report.Policies[0].Orders != want {
		t.Errorf("shifted day has %d orders, want %d", shifted.Report.Policies[0].Orders, want)
	}
	if shifted.Report.Shift != "taobao-surge" || plain.Report.Shift != "" {
		t.Errorf("report shift %q and %q, want taobao-surge and none", shifted.Report.Shift, plain.Report.Shift)
	}
	for ci := range plain.World.Carriers {
		a, b := plain.World.Carriers[ci], shifted.World.Carriers[ci]
		if len(a.Stations) != len(b.Stations) || a.Stations[0].Point != b.Stations[0].Point {
			t.Errorf("%s: the shift changed the network", a.Carrier.ID)
		}
	}
	opt.Shift = "nope"
	if _, err := dispatch.Compare(context.Background(), opt); err == nil {
		t.Error("an unknown shift ran")
	}
}

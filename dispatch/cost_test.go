package dispatch_test

import (
	"context"
	"math"
	"testing"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/metrics"
)

// TestFixedCostsAddUp checks the full cost accounting: fixed plus variable is the total, the groups, the
// districts and the carriers each add up to the policy's total, every carrier's margin is its revenue minus
// its cost, and the short-run fixed cost is the same under every policy (the networks are the same).
func TestFixedCostsAddUp(t *testing.T) {
	c := comparison(t)
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 0.02+1e-6*math.Abs(want) {
			t.Errorf("%s = %.2f, want %.2f", what, got, want)
		}
	}
	fixed := c.Report.Policies[0].Cost.Fixed
	for _, p := range c.Report.Policies {
		if p.Cost.Fixed <= 0 || p.Cost.Variable <= 0 {
			t.Fatalf("%s: fixed %.2f, variable %.2f: want both positive", p.Policy, p.Cost.Fixed, p.Cost.Variable)
		}
		near(p.Policy+" fixed+variable", p.Cost.Fixed+p.Cost.Variable, p.Cost.Total)
		near(p.Policy+" fixed", p.Cost.Fixed, fixed)
		var groups, groupsFixed, districts, carriers float64
		for _, g := range p.Groups {
			groups += g.Cost.Total
			groupsFixed += g.Cost.Fixed
		}
		for _, d := range p.Districts {
			districts += d.Cost.Total
		}
		for _, cr := range p.Carriers {
			carriers += cr.CostCNY
			near(p.Policy+" "+cr.Carrier+" margin", cr.MarginCNY, cr.RevenueCNY-cr.CostCNY)
			if cr.Delivered > 0 && cr.RevenueCNY <= 0 {
				t.Errorf("%s %s: %d delivered orders earn %.2f", p.Policy, cr.Carrier, cr.Delivered, cr.RevenueCNY)
			}
		}
		near(p.Policy+" groups' total", groups, p.Cost.Total)
		near(p.Policy+" groups' fixed", groupsFixed, p.Cost.Fixed)
		near(p.Policy+" districts' total", districts, p.Cost.Total)
		near(p.Policy+" carriers' cost", carriers, p.Cost.Total)
		near(p.Policy+" long-run variable", p.LongRun.Variable, p.Cost.Variable)
		if p.LongRun.Vehicles <= 0 || p.LongRun.Stations <= 0 {
			t.Errorf("%s: long run keeps %d stations and %d vehicles", p.Policy, p.LongRun.Stations, p.LongRun.Vehicles)
		}
	}
	// Under closed access the networks carry what they were sized for: resizing them changes little.
	closed := c.Report.Policies[0]
	if r := closed.LongRun.Fixed / closed.Cost.Fixed; r < 0.8 || r > 1.2 {
		t.Errorf("closed: long-run fixed cost %.0f is %.2f times the short-run %.0f", closed.LongRun.Fixed, r, closed.Cost.Fixed)
	}
}

// TestProductivityAndPromises checks the couriers' figures and that the promise split covers every order.
func TestProductivityAndPromises(t *testing.T) {
	c := comparison(t)
	for _, p := range c.Report.Policies {
		pr := p.Productivity
		if pr.Couriers <= 0 || pr.ParcelsPerCourierDayMean <= 0 || pr.KmPerStop <= 0 || pr.StopsPerHour <= 0 {
			t.Errorf("%s: productivity %+v", p.Policy, pr)
		}
		if pr.AtMost200 < 0 || pr.AtMost200 > 1 {
			t.Errorf("%s: share of couriers at most 200 = %v", p.Policy, pr.AtMost200)
		}
		orders, late := 0, 0
		seen := map[string]bool{}
		for _, k := range p.OnTimeByPromise {
			if seen[k.Promise] {
				t.Errorf("%s: promise %s twice", p.Policy, k.Promise)
			}
			seen[k.Promise] = true
			orders += k.Orders
			late += k.Late
		}
		if orders != p.Orders || late != p.Late {
			t.Errorf("%s: promises cover %d orders, %d late; the policy has %d, %d late", p.Policy, orders, late, p.Orders, p.Late)
		}
		for _, want := range []string{metrics.Promise211SameDay, metrics.PromiseRemote, metrics.PromiseInstall} {
			if !seen[want] {
				t.Errorf("%s: no %s orders", p.Policy, want)
			}
		}
	}
}

// TestDays checks demand.days: the first day is a warm-up, the report covers the others, and the fixed
// cost counts every reported day.
func TestDays(t *testing.T) {
	sc := defaultScenario(t)
	one, err := dispatch.Compare(context.Background(), dispatch.Options{Scenario: sc, Policies: []string{"closed"}, Seed: 3, Orders: 1500})
	if err != nil {
		t.Fatal(err)
	}
	three := *sc
	three.Demand.Days = 3
	res, err := dispatch.Compare(context.Background(), dispatch.Options{Scenario: &three, Policies: []string{"closed"}, Seed: 3, Orders: 1500})
	if err != nil {
		t.Fatal(err)
	}
	if one.Report.Days != 0 || res.Report.Days != 2 {
		t.Errorf("report days %d and %d, want 0 (one day) and 2", one.Report.Days, res.Report.Days)
	}
	p := res.Report.Policies[0]
	if p.Orders != 3000 {
		t.Errorf("%d orders reported over two days of 1,500, want 3000", p.Orders)
	}
	if got, want := p.Cost.Fixed, 2*one.Report.Policies[0].Cost.Fixed; math.Abs(got-want) > 0.05 {
		t.Errorf("fixed cost over two days %.2f, want twice one day's: %.2f", got, want)
	}
	for id, o := range res.Orders {
		if d := o.Created.DayOf(); d == 0 && !o.Warmup {
			t.Fatalf("order %d of day 0 is not a warm-up order", id)
		}
	}
}

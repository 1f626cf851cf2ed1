package dispatch_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/metrics"
	"github.com/carriersim/carriersim/dispatch/report"
	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/dispatch/sim"
	"github.com/carriersim/carriersim/geo"
)

const testOrders = 3000

func defaultScenario(t testing.TB) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.Load("beijing-default")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// compareOptions is the tests' comparison: closed vs open on seed 7 at testOrders orders.
func compareOptions(sc *scenario.Scenario) dispatch.Options {
	return dispatch.Options{Scenario: sc, Policies: []string{"closed", "open"}, Seed: 7, Orders: testOrders}
}

// smallWorld is the default scenario sized for testOrders orders (the networks scale with demand), built once.
var smallWorldOnce = sync.OnceValues(func() (*sim.World, error) {
	sc, err := scenario.Load("beijing-default")
	if err != nil {
		return nil, err
	}
	sc.Demand.Orders = testOrders
	return sim.NewWorld(sc)
})

func smallWorld(t testing.TB) *sim.World {
	t.Helper()
	w, err := smallWorldOnce()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// comparison is closed vs open on seed 7, run once for all tests that only read it.
var comparisonOnce = sync.OnceValues(func() (*dispatch.Comparison, error) {
	sc, err := scenario.Load("beijing-default")
	if err != nil {
		return nil, err
	}
	return dispatch.Compare(context.Background(), compareOptions(sc))
})

func comparison(t testing.TB) *dispatch.Comparison {
	t.Helper()
	c, err := comparisonOnce()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-6*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))+0.02
}

// checkMetrics asserts CONTRACT.md's per-cell invariants.
func checkMetrics(t *testing.T, label string, m *metrics.Metrics) {
	t.Helper()
	if m.Orders != m.Delivered+m.Unserved {
		t.Errorf("%s: orders %d != delivered %d + unserved %d", label, m.Orders, m.Delivered, m.Unserved)
	}
	if m.Late > m.Delivered {
		t.Errorf("%s: late %d > delivered %d", label, m.Late, m.Delivered)
	}
	sum := 0
	for _, n := range m.UnservedByReason {
		sum += n
	}
	if sum != m.Unserved {
		t.Errorf("%s: unserved_by_reason sums to %d, want %d", label, sum, m.Unserved)
	}
	parts := m.Cost.Linehaul + m.Cost.Sorting + m.Cost.LastMile + m.Cost.Install
	if !near(parts, m.Cost.PerOrder) {
		t.Errorf("%s: cost parts sum to %v, per_order is %v", label, parts, m.Cost.PerOrder)
	}
	if m.Latency.P50 > m.Latency.P90 || m.Latency.P90 > m.Latency.P99 {
		t.Errorf("%s: percentiles out of order: %+v", label, m.Latency)
	}
}

func TestContractInvariants(t *testing.T) {
	c := comparison(t)
	r := &c.Report
	if len(r.Policies) != 2 {
		t.Fatalf("got %d policies, want 2", len(r.Policies))
	}
	for _, p := range r.Policies {
		if p.Orders != testOrders {
			t.Errorf("%s: orders %d, want %d (both policies must see the same orders)", p.Policy, p.Orders, testOrders)
		}
		checkMetrics(t, p.Policy, &p.Metrics)
		var groups, districts []*metrics.Metrics
		for i := range p.Groups {
			g := &p.Groups[i]
			checkMetrics(t, p.Policy+"/"+g.Platform+"/"+g.Carrier+"/"+g.Category, &g.Metrics)
			groups = append(groups, &g.Metrics)
		}
		for i := range p.Districts {
			d := &p.Districts[i]
			checkMetrics(t, p.Policy+"/district "+d.District, &d.Metrics)
			districts = append(districts, &d.Metrics)
		}
		checkAddsUp(t, p.Policy+" groups", groups, &p.Metrics)
		checkAddsUp(t, p.Policy+" districts", districts, &p.Metrics)
		if p.Delivered < p.Orders*9/10 {
			t.Errorf("%s: only %d of %d orders delivered", p.Policy, p.Delivered, p.Orders)
		}
	}
}

// checkAddsUp checks that the parts' counts, cost, km and vehicles add up to the total.
func checkAddsUp(t *testing.T, label string, parts []*metrics.Metrics, total *metrics.Metrics) {
	t.Helper()
	var sum metrics.Metrics
	var cost, km, veh float64
	for _, g := range parts {
		sum.Orders += g.Orders
		sum.Delivered += g.Delivered
		sum.Late += g.Late
		sum.Unserved += g.Unserved
		cost += g.Cost.Total
		km += g.Km
		veh += g.VehiclesUsed
	}
	p := total
	if sum.Orders != p.Orders || sum.Delivered != p.Delivered || sum.Late != p.Late || sum.Unserved != p.Unserved {
		t.Errorf("%s: sum to %d/%d/%d/%d orders/delivered/late/unserved, totals are %d/%d/%d/%d", label,
			sum.Orders, sum.Delivered, sum.Late, sum.Unserved, p.Orders, p.Delivered, p.Late, p.Unserved)
	}
	if math.Abs(cost-p.Cost.Total) > 0.01*float64(len(parts)) {
		t.Errorf("%s: costs sum to %v, total is %v", label, cost, p.Cost.Total)
	}
	if math.Abs(km-p.Km) > 0.001*float64(len(parts)) {
		t.Errorf("%s: km sum to %v, total is %v", label, km, p.Km)
	}
	if math.Abs(veh-p.VehiclesUsed) > 0.001*float64(len(parts)) {
		t.Errorf("%s: vehicles sum to %v, total is %v", label, veh, p.VehiclesUsed)
	}
}

// TestEveryOrderOneFinalState checks each order's outcome against the routes independently.
func TestEveryOrderOneFinalState(t *testing.T) {
	c := comparison(t)
	for _, run := range c.Runs {
		onRoute := make([]int, len(c.Orders))
		for _, r := range run.Routes {
			for k, id := range r.Stops {
				onRoute[id]++
				if r.Arrive[k] < c.Orders[id].Created {
					t.Fatalf("%s: order %d delivered at %v before it was created at %v", run.Policy.Name, id, r.Arrive[k], c.Orders[id].Created)
				}
			}
		}
		for i, out := range run.Outcomes {
			switch out.State {
			case sim.Delivered:
				want := 1
				if out.InstallFleet >= 0 {
					want = 2 // split install model: the truck's delivery, then the installer's visit
				}
				if onRoute[i] != want {
					t.Fatalf("%s: delivered order %d is on %d routes, want %d", run.Policy.Name, i, onRoute[i], want)
				}
			case sim.Unserved:
				if onRoute[i] > 1 || out.Reason == "" {
					t.Fatalf("%s: unserved order %d is on %d routes with reason %q", run.Policy.Name, i, onRoute[i], out.Reason)
				}
			default:
				t.Fatalf("%s: order %d ended in state %d", run.Policy.Name, i, out.State)
			}
		}
	}
}

// TestCapacityNeverOversold recounts each wave's load from the routes, independently of the ledger.
func TestCapacityNeverOversold(t *testing.T) {
	c := comparison(t)
	for _, run := range c.Runs {
		if err := run.Ledger.Check(); err != nil {
			t.Fatalf("%s: %v", run.Policy.Name, err)
		}
		type key struct {
			c, s, f int
			start   scenario.Minutes
		}
		stops := map[key]int{}
		vehicles := map[key]int{}
		for _, r := range run.Routes {
			k := key{r.Carrier, r.Station, r.Fleet, r.WaveStart}
			stops[k] += len(r.Stops)
			vehicles[k]++
			f := &c.World.Carriers[r.Carrier].Carrier.Fleets[r.Fleet]
			if len(r.Stops) > f.Capacity.Count {
				t.Errorf("%s: a route carries %d stops, vehicle capacity is %d", run.Policy.Name, len(r.Stops), f.Capacity.Count)
			}
		}
		for k, n := range stops {
			nw := c.World.Carriers[k.c]
			fleet := nw.Stations[k.s].Vehicles[k.f]
			capa := fleet * nw.Carrier.Fleets[k.f].Capacity.Count
			if n > capa || vehicles[k] > fleet {
				t.Errorf("%s: wave %+v took %d stops on %d vehicles; capacity %d stops on %d vehicles", run.Policy.Name, k, n, vehicles[k], capa, fleet)
			}
		}
	}
}

func TestClosedUsesHomeCarrierOnly(t *testing.T) {
	c := comparison(t)
	sc := c.World.Scenario
	switched := 0
	for pi, run := range c.Runs {
		for i, out := range run.Outcomes {
			if out.Carrier < 0 {
				continue
			}
			home := sc.Platforms[c.Orders[i].Platform].HomeCarrier
			got := sc.Carriers[out.Carrier].ID
			if pi == 0 && got != home {
				t.Fatalf("closed: order %d of %s went to %s", i, sc.Platforms[c.Orders[i].Platform].ID, got)
			}
			if pi == 1 && got != home {
				switched++
			}
		}
	}
	if switched == 0 {
		t.Error("open: no order chose the other group's carrier")
	}
}

func TestLateMeansAfterPromise(t *testing.T) {
	c := comparison(t)
	for _, run := range c.Runs {
		for i, out := range run.Outcomes {
			o := &c.Orders[i]
			if o.Category == scenario.ApplianceInstall {
				continue // TestInstalls covers installs
			}
			if out.State == sim.Delivered && out.Late(o) != (out.Done > o.Promise) {
				t.Fatalf("order %d: late=%v but done %v promise %v", i, out.Late(o), out.Done, o.Promise)
			}
		}
	}
}

// TestSameSeedSameBytes runs the comparison again from scratch and compares JSON and GeoJSON bytes.
func TestSameSeedSameBytes(t *testing.T) {
	c := comparison(t)
	again, err := dispatch.Compare(context.Background(), compareOptions(defaultScenario(t)))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []struct {
		name  string
		write func(*bytes.Buffer, *dispatch.Comparison) error
	}{
		{"json", func(b *bytes.Buffer, c *dispatch.Comparison) error { return report.WriteJSON(b, &c.Report) }},
		{"geojson", func(b *bytes.Buffer, c *dispatch.Comparison) error { return report.WriteGeoJSON(b, c) }},
	} {
		var a, b bytes.Buffer
		if err := w.write(&a, c); err != nil {
			t.Fatal(err)
		}
		if err := w.write(&b, again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s differs between two runs of seed 7 (%d vs %d bytes)", w.name, a.Len(), b.Len())
		}
	}
	other := sim.GenerateOrders(smallWorld(t), 8, testOrders)
	if reflect.DeepEqual(other, c.Orders) {
		t.Error("seed 8 generated the same orders as seed 7")
	}
}

func TestWorkersDoNotChangeResults(t *testing.T) {
	c := comparison(t)
	w := smallWorld(t)
	one, err := sim.Simulate(context.Background(), w, c.Runs[1].Policy, c.Orders, 7, sim.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	two, err := sim.Simulate(context.Background(), w, c.Runs[1].Policy, c.Orders, 7, sim.Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(one.Outcomes, two.Outcomes) || !reflect.DeepEqual(one.Routes, two.Routes) {
		t.Error("routing with 1 and 2 workers gave different results")
	}
}

func TestNearestStationMatchesBruteForce(t *testing.T) {
	w := smallWorld(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, nw := range w.Carriers {
		for i := 0; i < 10000; i++ {
			p := orb.Point{115.4 + rng.Float64()*2.1, 39.4 + rng.Float64()*1.7}
			got, gd := nw.NearestStation(p)
			best, bd := -1, math.Inf(1)
			for j, st := range nw.Stations {
				if d := float64(geo.Distance(p, st.Point)); d < bd {
					best, bd = j, d
				}
			}
			if got != best && math.Abs(float64(gd)-bd) > 1e-6 {
				t.Fatalf("%s: point %v: nearest station %d at %.1f m, brute force says %d at %.1f m", nw.Carrier.ID, p, got, gd, best, bd)
			}
		}
	}
}

func TestNetworksDiffer(t *testing.T) {
	// At the scenario's own volume: at testOrders both carriers keep their minimum of stations in one
	// district, and k-means on the same demand may place them alike.
	w, err := sim.NewWorld(defaultScenario(t))
	if err != nil {
		t.Fatal(err)
	}
	a, b := w.Carriers[0], w.Carriers[1]
	if len(a.Stations) < a.Carrier.MinStations || len(b.Stations) < b.Carrier.MinStations {
		t.Fatalf("station counts %d and %d are below the minimum", len(a.Stations), len(b.Stations))
	}
	same := 0
	for _, s := range a.Stations {
		for _, o := range b.Stations {
			if geo.Distance(s.Point, o.Point) < 100 {
				same++
			}
		}
	}
	if same == len(a.Stations) {
		t.Error("the two carriers' stations coincide")
	}
	for _, nw := range w.Carriers {
		for _, st := range nw.Stations {
			if dispatchZone := geo.Locate(w.Zones, st.Point); dispatchZone < 0 {
				t.Errorf("%s station %s at %v is outside Beijing", nw.Carrier.ID, st.ID, st.Point)
			}
		}
	}
}

func TestStationCountScalesWithVolume(t *testing.T) {
	counts := map[int]int{}
	for _, n := range []int{3000, 100000} {
		sc := defaultScenario(t)
		sc.Demand.Orders = n
		w, err := sim.NewWorld(sc)
		if err != nil {
			t.Fatal(err)
		}
		counts[n] = len(w.Carriers[1].Stations)
	}
	if counts[100000] <= counts[3000] {
		t.Errorf("cainiao stations: %d at 3,000 orders, %d at 100,000; want more at higher volume", counts[3000], counts[100000])
	}
}

func TestOrderStreamShape(t *testing.T) {
	w := smallWorld(t)
	orders := sim.GenerateOrders(w, 3, 20000)
	var jd, install, firstParty int
	for i, o := range orders {
		if i > 0 && o.Created < orders[i-1].Created {
			t.Fatal("orders are not sorted by creation time")
		}
		if o.Created < 0 || o.Created >= 1440 {
			t.Fatalf("order %d created at minute %v, outside day 0", i, o.Created)
		}
		if o.Promise <= o.Created {
			t.Fatalf("order %d promised at %v, before its creation at %v", i, o.Promise, o.Created)
		}
		if !w.Zones[o.Zone].Contains(o.Dest) {
			t.Fatalf("order %d destination %v is outside its district %s", i, o.Dest, w.Zones[o.Zone].Name)
		}
		if o.Platform == 0 {
			jd++
			if o.FirstParty {
				firstParty++
			}
		}
		if o.Category == scenario.ApplianceInstall {
			install++
			if o.PrefStart < o.Created || o.InstallMin <= 0 {
				t.Fatalf("install order %d: appointment %v, duration %v", i, o.PrefStart, o.InstallMin)
			}
		}
	}
	within := func(name string, got, want, tol float64) {
		if math.Abs(got-want) > tol {
			t.Errorf("%s share %.4f, want %.4f ± %.4f", name, got, want, tol)
		}
	}
	n := float64(len(orders))
	within("jd", float64(jd)/n, 0.4, 0.015)
	within("appliance_install", float64(install)/n, 0.4*0.025+0.6*0.01, 0.003)
	within("jd 1p", float64(firstParty)/float64(jd), 0.55, 0.02)
}

func TestReportJSONShape(t *testing.T) {
	c := comparison(t)
	var buf bytes.Buffer
	if err := report.WriteJSON(&buf, &c.Report); err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(buf.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	pol := raw["policies"].([]any)[0].(map[string]any)
	for _, k := range []string{"policy", "orders", "delivered", "late", "unserved", "unserved_by_reason", "cost_cny",
		"latency_min", "on_time_rate", "km", "vehicles_used", "groups"} {
		if _, ok := pol[k]; !ok {
			t.Errorf("policy report lacks CONTRACT.md field %q", k)
		}
	}
	cost := pol["cost_cny"].(map[string]any)
	for _, k := range []string{"total", "per_order", "linehaul", "sorting", "last_mile", "install"} {
		if _, ok := cost[k]; !ok {
			t.Errorf("cost_cny lacks %q", k)
		}
	}
	g := pol["groups"].([]any)[0].(map[string]any)
	for _, k := range []string{"platform", "carrier", "category", "orders"} {
		if _, ok := g[k]; !ok {
			t.Errorf("group lacks %q", k)
		}
	}
}

// TestCompareEqualsSequentialOneCoreRuns: policies run concurrently in Compare; each must equal a one-core,
// one-policy-at-a-time run.
func TestCompareEqualsSequentialOneCoreRuns(t *testing.T) {
	c := comparison(t)
	w := smallWorld(t)
	seq := metrics.Report{Scenario: c.Report.Scenario, Seed: c.Report.Seed}
	for _, run := range c.Runs {
		alone, err := sim.Simulate(context.Background(), w, run.Policy, c.Orders, 7, sim.Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		seq.Policies = append(seq.Policies, metrics.Summarize(w, c.Orders, alone))
	}
	metrics.CompareCarriers(&seq) // the changes of carrier shares between policies
	for i, run := range c.Runs {
		if !reflect.DeepEqual(seq.Policies[i], c.Report.Policies[i]) {
			t.Errorf("%s: the concurrent compare differs from a sequential one-core run", run.Policy.Name)
		}
	}
}

// TestSectoredWavesInSimulation runs the simulation with waves cut into sectors of at most 40 stops: every
// order still ends on exactly its routes or unserved, no wave uses more vehicles than its fleet, and one or
// two routing workers give the same run.
func TestSectoredWavesInSimulation(t *testing.T) {
	sc := defaultScenario(t)
	sc.Demand.Orders = testOrders
	sc.Routing.MaxWaveStops = 40
	w, err := sim.NewWorld(sc)
	if err != nil {
		t.Fatal(err)
	}
	pol, _ := sc.PolicyByName("open")
	orders := sim.OrderStream(w, 7, testOrders)
	one, err := sim.Simulate(context.Background(), w, pol, orders, 7, sim.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	two, err := sim.Simulate(context.Background(), w, pol, orders, 7, sim.Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(one.Outcomes, two.Outcomes) || !reflect.DeepEqual(one.Routes, two.Routes) {
		t.Error("sectored routing with 1 and 2 workers gave different results")
	}
	type key struct {
		c, s, f int
		start   scenario.Minutes
	}
	stops, vehicles := map[key]int{}, map[key]int{}
	onRoute := make([]int, len(orders))
	for _, r := range one.Routes {
		k := key{r.Carrier, r.Station, r.Fleet, r.WaveStart}
		stops[k] += len(r.Stops)
		vehicles[k]++
		for _, id := range r.Stops {
			onRoute[id]++
		}
	}
	cut := 0
	for k, n := range stops {
		if n > 40 {
			cut++
		}
		if fleet := w.Carriers[k.c].Stations[k.s].Vehicles[k.f]; vehicles[k] > fleet {
			t.Errorf("wave %+v used %d vehicles of %d", k, vehicles[k], fleet)
		}
	}
	if cut == 0 {
		t.Fatal("no wave had more than 40 stops: the test does not exercise sectors")
	}
	for i, out := range one.Outcomes {
		want := 0
		if out.State == sim.Delivered {
			want = 1
			if out.InstallFleet >= 0 {
				want = 2
			}
		}
		if onRoute[i] != want && !(out.State == sim.Unserved && onRoute[i] <= 1) {
			t.Fatalf("order %d (state %d) is on %d routes, want %d", i, out.State, onRoute[i], want)
		}
	}
	if err := one.Ledger.Check(); err != nil {
		t.Fatal(err)
	}
}

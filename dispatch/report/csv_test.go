package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/scenario"
)

// smallCompare is one compare of 2,000 orders, closed and open, shared by the tests of this package.
var smallCompare = sync.OnceValues(func() (*dispatch.Comparison, error) {
	sc, err := scenario.Load("beijing-default")
	if err != nil {
		return nil, err
	}
	return dispatch.Compare(context.Background(), dispatch.Options{Scenario: sc,
		Policies: []string{"closed", "open"}, Seed: 1, Orders: 2000})
})

func compared(t *testing.T) *dispatch.Comparison {
	t.Helper()
	c, err := smallCompare()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// table is a CSV file read back: its rows as maps from column name to cell.
type table []map[string]string

func readTable(t *testing.T, name string, write func(w *bytes.Buffer) error) table {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatalf("writing %s: %v", name, err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("reading %s back: %v", name, err)
	}
	if len(recs) == 0 {
		t.Fatalf("%s is empty: want a header row", name)
	}
	var out table
	for _, rec := range recs[1:] {
		row := make(map[string]string, len(rec))
		for i, col := range recs[0] {
			row[col] = rec[i]
		}
		out = append(out, row)
	}
	return out
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("cell %q: %v", s, err)
	}
	return v
}

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.4f, want %.4f (within %g)", what, got, want, tol)
	}
}

var day0 = time.Date(2025, 3, 18, 0, 0, 0, 0, time.UTC)

// TestCSVAddUpToReport checks that orders.csv and routes.csv add up to the report for every policy: counts,
// km and cost, and that the route ids of both files agree.
func TestCSVAddUpToReport(t *testing.T) {
	c := compared(t)
	orders := readTable(t, FileOrders, func(w *bytes.Buffer) error { return WriteOrdersCSV(w, c, day0) })
	routes := readTable(t, FileRoutes, func(w *bytes.Buffer) error { return WriteRoutesCSV(w, c, day0) })
	if len(orders) != len(c.Orders) {
		t.Fatalf("orders.csv has %d rows, want %d (every order of the stream)", len(orders), len(c.Orders))
	}
	byID := map[string]map[string]string{}
	for _, r := range routes {
		if byID[r["route_id"]] != nil {
			t.Fatalf("route id %s appears twice in routes.csv", r["route_id"])
		}
		byID[r["route_id"]] = r
	}
	for _, pr := range c.Report.Policies {
		p := pr.Policy
		t.Run(p, func(t *testing.T) {
			var day, delivered, unserved, late int
			reasons := map[string]int{}
			var kmOrders, costOrders, kmAll float64
			visits := map[string]int{}       // route id -> order visits, any order
			servedVisits := map[string]int{} // route id -> visits of delivered day orders
			var handling float64             // line-haul and sorting of delivered day orders
			for _, o := range orders {
				for _, col := range []string{p + "_route_id", p + "_install_route_id"} {
					id := o[col]
					if id == "" {
						continue
					}
					r := byID[id]
					switch {
					case r == nil:
						t.Fatalf("order %s: %s %s is not in routes.csv", o["id"], col, id)
					case r["policy"] != p:
						t.Fatalf("order %s: %s %s belongs to policy %s", o["id"], col, id, r["policy"])
					case r["carrier"] != o[p+"_carrier"]:
						t.Errorf("order %s: carrier %s, but its route %s is %s's", o["id"], o[p+"_carrier"], id, r["carrier"])
					}
					visits[id]++
					if o["warmup"] == "false" && o[p+"_state"] == "delivered" {
						servedVisits[id]++
					}
				}
				kmAll += num(t, o[p+"_km"])
				if o["warmup"] == "true" {
					continue
				}
				day++
				switch o[p+"_state"] {
				case "delivered":
					delivered++
					if o[p+"_late"] == "true" {
						late++
					}
					kmOrders += num(t, o[p+"_km"])
					costOrders += num(t, o[p+"_cost_cny"])
					handling += num(t, o[p+"_linehaul_cny"]) + num(t, o[p+"_sorting_cny"])
				case "unserved":
					unserved++
					reasons[o[p+"_reason"]]++
				default:
					t.Fatalf("order %s: state %q", o["id"], o[p+"_state"])
				}
			}
			if day != pr.Orders || delivered != pr.Delivered || unserved != pr.Unserved || late != pr.Late {
				t.Errorf("orders.csv: orders, delivered, unserved, late = %d, %d, %d, %d; report: %d, %d, %d, %d",
					day, delivered, unserved, late, pr.Orders, pr.Delivered, pr.Unserved, pr.Late)
			}
			for k, n := range pr.UnservedByReason {
				if reasons[k] != n {
					t.Errorf("unserved %s: orders.csv %d, report %d", k, reasons[k], n)
				}
			}
			var nRoutes int
			var kmRoutes, kmServed, costServed float64
			for id, r := range byID {
				if r["policy"] != p {
					continue
				}
				nRoutes++
				stops := int(num(t, r["stops"]))
				if visits[id] != stops {
					t.Errorf("route %s: %d stops, but %d order visits name it", id, stops, visits[id])
				}
				km, cost := num(t, r["km"]), num(t, r["cost_cny"])
				kmRoutes += km
				kmServed += km * float64(servedVisits[id]) / float64(stops)
				costServed += cost * float64(servedVisits[id]) / float64(stops)
			}
			if nRoutes == 0 {
				t.Fatal("routes.csv has no route of this policy")
			}
			kmTol := 0.001*float64(nRoutes) + 0.002
			near(t, "orders.csv km of delivered day orders", kmOrders, pr.Km, 0.0001*float64(day)+0.002)
			near(t, "routes.csv km shared over delivered day orders", kmServed, pr.Km, kmTol)
			near(t, "routes.csv km", kmRoutes, kmAll, kmTol+0.0001*float64(len(orders)))
			costTol := 0.0001*float64(nRoutes+2*day) + 0.01
			near(t, "orders.csv cost of delivered day orders", costOrders, pr.Cost.Variable, costTol)
			near(t, "routes' cost shared over delivered day orders + line-haul and sorting (the variable cost)", costServed+handling, pr.Cost.Variable, costTol)
		})
	}
}

func TestSummaryAndGroupsCSV(t *testing.T) {
	c := compared(t)
	summary := readTable(t, FileSummary, func(w *bytes.Buffer) error { return WriteSummaryCSV(w, &c.Report) })
	groups := readTable(t, FileGroups, func(w *bytes.Buffer) error { return WriteGroupsCSV(w, &c.Report) })
	value := map[[2]string]string{}
	for _, r := range summary {
		value[[2]string{r["policy"], r["metric"]}] = r["value"]
	}
	nGroups := 0
	for _, pr := range c.Report.Policies {
		nGroups += len(pr.Groups)
		for metric, want := range map[string]string{
			"orders":                 strconv.Itoa(pr.Orders),
			"unserved_no_capacity":   strconv.Itoa(pr.UnservedByReason["no_capacity"]),
			"cost_total_cny":         fixed(pr.Cost.Total, 2),
			"cost_per_order_cny":     fixed(pr.Cost.PerOrder, 4),
			"latency_p50_min":        fixed(pr.Latency.P50, 1),
			"on_time_rate":           fixed(pr.OnTimeRate, 4),
			"km":                     fixed(pr.Km, 3),
			"vehicles_used":          fixed(pr.VehiclesUsed, 3),
			"install_per_order_cny":  fixed(pr.Cost.Install, 4),
			"unserved_missing_skill": strconv.Itoa(pr.UnservedByReason["missing_skill"]),
		} {
			if got := value[[2]string{pr.Policy, metric}]; got != want {
				t.Errorf("summary.csv %s %s = %q, want %q", pr.Policy, metric, got, want)
			}
		}
	}
	if len(groups) != nGroups {
		t.Fatalf("groups.csv has %d rows, want %d", len(groups), nGroups)
	}
	// The groups add up to the policy totals.
	orders := map[string]int{}
	for _, g := range groups {
		orders[g["policy"]] += int(num(t, g["orders"]))
	}
	for _, pr := range c.Report.Policies {
		if orders[pr.Policy] != pr.Orders {
			t.Errorf("groups.csv %s: %d orders, report %d", pr.Policy, orders[pr.Policy], pr.Orders)
		}
	}
}

func TestCSVDeterministic(t *testing.T) {
	c := compared(t)
	for name, write := range map[string]func(w *bytes.Buffer) error{
		FileOrders: func(w *bytes.Buffer) error { return WriteOrdersCSV(w, c, day0) },
		FileRoutes: func(w *bytes.Buffer) error { return WriteRoutesCSV(w, c, day0) },
	} {
		var a, b bytes.Buffer
		if err := write(&a); err != nil {
			t.Fatal(err)
		}
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s differs between two writes of the same comparison", name)
		}
	}
}

func BenchmarkWriteOrdersCSV(b *testing.B) {
	c, err := smallCompare()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := WriteOrdersCSV(&buf, c, day0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(c.Orders))*float64(b.N)/b.Elapsed().Seconds(), "orders/s")
}

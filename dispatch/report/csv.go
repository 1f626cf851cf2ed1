package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/metrics"
	"github.com/carriersim/carriersim/dispatch/sim"
)

// The CSV files (docs/outputs.md) are RFC 4180 with a header row, comma-separated, UTF-8, "\n" line ends,
// rows in a fixed order; numbers have fixed decimals, booleans are true or false, an empty cell means
// "does not apply". Times are RFC 3339 in China Standard Time (see Timestamp).

// fixed formats v with the given number of decimals.
func fixed(v float64, decimals int) string { return strconv.FormatFloat(v, 'f', decimals, 64) }

// orderColumns are the columns of orders.csv that do not depend on the policy.
var orderColumns = []string{"id", "warmup", "platform", "merchant", "category", "product", "district",
	"lon", "lat", "created_at", "promise_at"}

// policyColumns are the columns orders.csv repeats for each policy, prefixed "<policy>_".
var policyColumns = []string{"carrier", "station", "state", "reason", "late", "delivered_at", "latency_min",
	"route_id", "install_route_id", "km", "cost_cny", "linehaul_cny", "sorting_cny", "last_mile_cny",
	"install_cny"}

// WriteOrdersCSV writes orders.csv: one row per order of the stream, in id order, warm-up orders included
// (warmup true: they load the networks before the day and every report leaves them out), with what each
// policy did with it in columns prefixed by the policy's name. Day0 dates minute 0 as in Origin.
func WriteOrdersCSV(w io.Writer, c *dispatch.Comparison, day0 time.Time) error {
	outs := make([]outcomes, len(c.Runs))
	for i, run := range c.Runs {
		outs[i] = keptOutcomes(c, run)
	}
	return writeOrdersCSV(w, c, Origin(c, day0), outs)
}

// writeOrdersCSV writes orders.csv with each policy's outcomes.
func writeOrdersCSV(w io.Writer, c *dispatch.Comparison, origin time.Time, outs []outcomes) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ordersHeader(c)); err != nil {
		return err
	}
	var row []string
	for i := range c.Orders {
		o := &c.Orders[i]
		row = appendOrder(row[:0], c, int32(i), o, origin)
		for k, run := range c.Runs {
			out, v, err := outs[k].outcome(int32(i))
			if err != nil {
				return fmt.Errorf("report: policy %s: %w", run.Policy.Name, err)
			}
			row = appendOutcome(row, c, run.Policy.Name, o, &out, v.main, v.install, origin)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ordersHeader is orders.csv's header row: orderColumns, then policyColumns for each policy.
func ordersHeader(c *dispatch.Comparison) []string {
	head := slices.Clone(orderColumns)
	for _, run := range c.Runs {
		for _, col := range policyColumns {
			head = append(head, run.Policy.Name+"_"+col)
		}
	}
	return head
}

// appendOrder appends the orderColumns of order id, o.
func appendOrder(row []string, c *dispatch.Comparison, id int32, o *sim.Order, origin time.Time) []string {
	sc := c.World.Scenario
	product := ""
	if o.Product >= 0 {
		product = sc.Products[o.Product].ID
	}
	district := "outside"
	if z := int(o.Zone); z >= 0 && z < len(c.World.Zones) {
		district = c.World.Zones[z].Name
	}
	return append(row, strconv.Itoa(int(id)), strconv.FormatBool(o.Warmup), sc.Platforms[o.Platform].ID,
		o.Merchant(), o.Category.String(), product, district, fixed(o.Dest[0], 6), fixed(o.Dest[1], 6),
		Timestamp(origin, o.Created), Timestamp(origin, o.Promise))
}

// appendOutcome appends the policyColumns of one order under one policy; main and install are the indices
// of the routes that visited it (-1: none).
func appendOutcome(row []string, c *dispatch.Comparison, policy string, o *sim.Order, out *sim.Outcome, main, install int32, origin time.Time) []string {
	carrier, station := "none", ""
	if out.Carrier >= 0 {
		nw := c.World.Carriers[out.Carrier]
		carrier, station = nw.Carrier.ID, nw.Stations[out.Station].ID
	}
	state, delivered, latency := "unserved", "", ""
	if out.State == sim.Delivered {
		state = "delivered"
		delivered = Timestamp(origin, out.Done)
		latency = fixed(float64(out.Done-o.Created), 1)
	}
	total := out.Linehaul + out.Sorting + out.LastMile + out.Install
	return append(row, carrier, station, state, string(out.Reason), strconv.FormatBool(out.Late(o)), delivered,
		latency, routeOf(policy, main), routeOf(policy, install), fixed(out.Km, 4),
		fixed(total, 4), fixed(out.Linehaul, 4), fixed(out.Sorting, 4), fixed(out.LastMile, 4), fixed(out.Install, 4))
}

// routeColumns are the columns of routes.csv.
var routeColumns = []string{"route_id", "policy", "carrier", "station", "fleet", "vehicle", "wave_start_at",
	"depart_at", "return_at", "stops", "km", "hours", "cost_cny"}

// WriteRoutesCSV writes routes.csv: one row per route (one vehicle's or crew's tour in one station-wave) of
// every policy, policies in the comparison's order and each policy's routes in the order it ran them, warm-up
// routes included. Day0 dates minute 0 as in Origin.
func WriteRoutesCSV(w io.Writer, c *dispatch.Comparison, day0 time.Time) error {
	origin := Origin(c, day0)
	cw := csv.NewWriter(w)
	if err := cw.Write(routeColumns); err != nil {
		return err
	}
	row := make([]string, 0, len(routeColumns))
	for _, run := range c.Runs {
		pol := run.Policy.Name
		vehicle := visitsOf(c, run).vehicle
		for ri := range run.Routes {
			row = appendRoute(row[:0], c, pol, ri, vehicle[ri], &run.Routes[ri], origin)
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// appendRoute appends the routeColumns of route ri of policy pol, the vehicle-th of its station-wave.
func appendRoute(row []string, c *dispatch.Comparison, pol string, ri int, vehicle int32, r *sim.RouteRecord, origin time.Time) []string {
	nw := c.World.Carriers[r.Carrier]
	return append(row, RouteID(pol, ri), pol, nw.Carrier.ID, nw.Stations[r.Station].ID,
		nw.Carrier.Fleets[r.Fleet].Name, strconv.Itoa(int(vehicle)), Timestamp(origin, r.WaveStart),
		Timestamp(origin, r.Depart), Timestamp(origin, r.Return), strconv.Itoa(len(r.Stops)),
		fixed(r.Km, 3), fixed(float64(r.Return-r.Depart)/60, 3), fixed(r.CostCNY, 4))
}

// metricColumn is one figure of metrics.Metrics as a CSV column: its name and value, already rounded by the
// report to the decimals given.
type metricColumn struct {
	name     string
	decimals int
	value    func(m *metrics.Metrics) float64
}

// knownReasons are the unserved reasons of CONTRACT.md, each a column of summary.csv and groups.csv even
// when no order had it.
var knownReasons = []string{string(sim.ReasonNoCapacity), string(sim.ReasonUnreachable), string(sim.ReasonTooLarge),
	string(sim.ReasonNoFleet), string(sim.ReasonSkill)}

// metricColumns lists the figures of the report's metrics in CSV order: the counts, an unserved count per
// reason (the known ones, then any other the report has, by name), then cost, latency and distance.
func metricColumns(r *metrics.Report) []metricColumn {
	count := func(name string, f func(m *metrics.Metrics) int) metricColumn {
		return metricColumn{name, 0, func(m *metrics.Metrics) float64 { return float64(f(m)) }}
	}
	cols := []metricColumn{
		count("orders", func(m *metrics.Metrics) int { return m.Orders }),
		count("delivered", func(m *metrics.Metrics) int { return m.Delivered }),
		count("late", func(m *metrics.Metrics) int { return m.Late }),
		count("unserved", func(m *metrics.Metrics) int { return m.Unserved }),
	}
	reasons := slices.Clone(knownReasons)
	var extra []string
	seen := func(m *metrics.Metrics) {
		for k := range m.UnservedByReason {
			if !slices.Contains(reasons, k) && !slices.Contains(extra, k) {
				extra = append(extra, k)
			}
		}
	}
	for i := range r.Policies {
		p := &r.Policies[i]
		seen(&p.Metrics)
		for j := range p.Groups {
			seen(&p.Groups[j].Metrics)
		}
	}
	slices.Sort(extra)
	for _, k := range append(reasons, extra...) {
		cols = append(cols, count("unserved_"+k, func(m *metrics.Metrics) int { return m.UnservedByReason[k] }))
	}
	return append(cols,
		metricColumn{"cost_total_cny", 2, func(m *metrics.Metrics) float64 { return m.Cost.Total }},
		metricColumn{"cost_per_order_cny", 4, func(m *metrics.Metrics) float64 { return m.Cost.PerOrder }},
		metricColumn{"linehaul_per_order_cny", 4, func(m *metrics.Metrics) float64 { return m.Cost.Linehaul }},
		metricColumn{"sorting_per_order_cny", 4, func(m *metrics.Metrics) float64 { return m.Cost.Sorting }},
		metricColumn{"last_mile_per_order_cny", 4, func(m *metrics.Metrics) float64 { return m.Cost.LastMile }},
		metricColumn{"install_per_order_cny", 4, func(m *metrics.Metrics) float64 { return m.Cost.Install }},
		metricColumn{"latency_mean_min", 1, func(m *metrics.Metrics) float64 { return m.Latency.Mean }},
		metricColumn{"latency_p50_min", 1, func(m *metrics.Metrics) float64 { return m.Latency.P50 }},
		metricColumn{"latency_p90_min", 1, func(m *metrics.Metrics) float64 { return m.Latency.P90 }},
		metricColumn{"latency_p99_min", 1, func(m *metrics.Metrics) float64 { return m.Latency.P99 }},
		metricColumn{"on_time_rate", 4, func(m *metrics.Metrics) float64 { return m.OnTimeRate }},
		metricColumn{"km", 3, func(m *metrics.Metrics) float64 { return m.Km }},
		metricColumn{"km_per_order", 4, func(m *metrics.Metrics) float64 { return m.KmPerOrder }},
		metricColumn{"vehicles_used", 3, func(m *metrics.Metrics) float64 { return m.VehiclesUsed }},
	)
}

// WriteSummaryCSV writes summary.csv, the policies' headline figures in tidy form: one row per policy and
// metric (columns policy, metric, value), policies in report order, metrics in groups.csv's column order.
func WriteSummaryCSV(w io.Writer, r *metrics.Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"policy", "metric", "value"}); err != nil {
		return err
	}
	cols := metricColumns(r)
	for i := range r.Policies {
		p := &r.Policies[i]
		for _, col := range cols {
			if err := cw.Write([]string{p.Policy, col.name, fixed(col.value(&p.Metrics), col.decimals)}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteGroupsCSV writes groups.csv: one row per policy and platform x carrier x category group of the report
// (its groups, which add up to the policy's totals), with the group's metrics in columns.
func WriteGroupsCSV(w io.Writer, r *metrics.Report) error {
	cw := csv.NewWriter(w)
	cols := metricColumns(r)
	head := []string{"policy", "platform", "carrier", "category"}
	for _, col := range cols {
		head = append(head, col.name)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	row := make([]string, 0, len(head))
	for i := range r.Policies {
		p := &r.Policies[i]
		for j := range p.Groups {
			g := &p.Groups[j]
			row = append(row[:0], p.Policy, g.Platform, g.Carrier, g.Category)
			for _, col := range cols {
				row = append(row, fixed(col.value(&g.Metrics), col.decimals))
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

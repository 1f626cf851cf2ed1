package htmlreport

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Cost parts in the report's order, each with its own lightness and the install part hatched, so the
// stacked bars read in greyscale.
var (
	partNames  = []string{"line-haul", "sorting", "last mile", "install"}
	partStyles = []style{{Colour: "#0072B2"}, {Colour: "#56B4E9"}, {Colour: "#F0E442"}, {Colour: "#D55E00", Hatch: true}}
)

func partItems() []legendItem {
	items := make([]legendItem, len(partNames))
	for i := range partNames {
		items[i] = legendItem{Name: partNames[i], Style: partStyles[i]}
	}
	return items
}

func partSegs(linehaul, sorting, lastMile, install float64) []barSeg {
	v := []float64{linehaul, sorting, lastMile, install}
	segs := make([]barSeg, len(v))
	for i := range v {
		segs[i] = barSeg{V: v[i], Style: partStyles[i]}
	}
	return segs
}

// carrierCost is one policy's delivered orders and cost parts (CNY totals) for one carrier, summed from
// the report's groups.
type carrierCost struct {
	Carrier   string
	Delivered int
	Parts     [4]float64
}

func carrierCosts(pr *policyReport) []carrierCost {
	var out []carrierCost
	for i := range pr.Groups {
		g := &pr.Groups[i]
		if g.Carrier == "none" || g.Delivered == 0 {
			continue
		}
		k := slices.IndexFunc(out, func(c carrierCost) bool { return c.Carrier == g.Carrier })
		if k < 0 {
			out = append(out, carrierCost{Carrier: g.Carrier})
			k = len(out) - 1
		}
		d := float64(g.Delivered)
		out[k].Delivered += g.Delivered
		for j, v := range []float64{g.Cost.Linehaul, g.Cost.Sorting, g.Cost.LastMile, g.Cost.Install} {
			out[k].Parts[j] += v * d
		}
	}
	slices.SortFunc(out, func(a, b carrierCost) int { return strings.Compare(a.Carrier, b.Carrier) })
	return out
}

func (p *page) cost() {
	p.section(SectionCost, "2. Cost per order, by part")
	var rows []barRow
	for i := range p.r.Policies {
		c := &p.r.Policies[i].Cost
		rows = append(rows, barRow{Label: p.r.Policies[i].Policy, Segs: partSegs(c.Linehaul, c.Sorting, c.LastMile, c.Install),
			Mark: math.NaN(), Value: cny(c.PerOrder) + " CNY"})
	}
	p.figure("cost-policy", barChart("Cost per delivered order by part, per policy", "CNY per delivered order", rows, partItems()),
		"Cost per delivered order, stacked by part: line-haul, sorting, last mile (vans and trucks), install (crews).")

	rows = rows[:0]
	var table [][]string
	for i := range p.r.Policies {
		pr := &p.r.Policies[i]
		rows = append(rows, barRow{Label: pr.Policy, Heading: true})
		for _, cc := range carrierCosts(pr) {
			d := float64(cc.Delivered)
			var per [4]float64
			total := 0.0
			for j := range per {
				per[j] = cc.Parts[j] / d
				total += per[j]
			}
			share := d / float64(max(1, pr.Delivered))
			rows = append(rows, barRow{Label: cc.Carrier, Segs: partSegs(per[0], per[1], per[2], per[3]), Mark: math.NaN(),
				Value: cny(total) + " CNY · " + pct(share)})
			table = append(table, []string{pr.Policy, cc.Carrier, fmt.Sprint(cc.Delivered), pct(share), cny(total),
				cny(per[0]), cny(per[1]), cny(per[2]), cny(per[3])})
		}
	}
	p.figure("cost-carrier", barChart("Cost per delivered order by part, per policy and carrier", "CNY per delivered order", rows, partItems()),
		"Per carrier: cost per order it delivered, stacked by part; after the bar, its share of the policy's delivered orders.")
	p.table([]string{"policy", "carrier", "delivered", "share", "CNY/order", "line-haul", "sorting", "last mile", "install"}, table)
	if !p.fixedVariable() {
		p.para("note", "The report does not split cost into fixed and variable parts, so the short- and long-run views are not drawn; shares are of delivered orders.")
	}
	if !p.carrierEconomics() {
		p.para("note", "The report has no carrier revenue, so no margin is shown.")
	}
	p.end()
}

// Fixed and variable cost, each its own lightness (variable hatched), so the bars read in greyscale.
var (
	fixedStyle    = style{Colour: "#0072B2"}
	variableStyle = style{Colour: "#E69F00", Hatch: true}
)

// fixedVariable draws each policy's cost per delivered order split into fixed (stations, vehicles and
// crews of the day, busy or not) and variable, in the short run (the networks as they are) and the long
// run (networks resized to the policy's demand). It reports whether the report had the split.
func (p *page) fixedVariable() bool {
	var rows []barRow
	var table [][]string
	for i := range p.r.Policies {
		pr := &p.r.Policies[i]
		c, lr := &pr.Cost, &pr.LongRun
		if c.Fixed == 0 && c.Variable == 0 || pr.Delivered == 0 {
			return false
		}
		d := float64(pr.Delivered)
		rows = append(rows, barRow{Label: pr.Policy, Heading: true},
			barRow{Label: "short run", Segs: []barSeg{{V: c.Fixed / d, Style: fixedStyle}, {V: c.Variable / d, Style: variableStyle}},
				Mark: math.NaN(), Value: cny(c.PerOrder) + " CNY"})
		row := []string{pr.Policy, cny(c.Fixed / d), cny(c.Variable / d), cny(c.PerOrder), "", "", ""}
		if lr.Total > 0 {
			rows = append(rows, barRow{Label: "long run", Segs: []barSeg{{V: lr.Fixed / d, Style: fixedStyle}, {V: lr.Variable / d, Style: variableStyle}},
				Mark: math.NaN(), Value: cny(lr.PerOrder) + " CNY"})
			row[4], row[5], row[6] = cny(lr.Fixed/d), cny(lr.Variable/d), cny(lr.PerOrder)
		}
		table = append(table, row)
	}
	items := []legendItem{{Name: "fixed", Style: fixedStyle}, {Name: "variable", Style: variableStyle}}
	p.figure("cost-fixed", barChart("Fixed and variable cost per delivered order, short and long run", "CNY per delivered order", rows, items),
		"Fixed: the day's stations, vehicles and crews, busy or not. Short run: the networks as they are, idle capacity included; long run: networks resized to the policy's demand.")
	p.table([]string{"policy", "fixed/order", "variable/order", "short run", "long-run fixed", "long-run variable", "long run"}, table)
	return true
}

// carrierEconomics tabulates each carrier's orders, share, revenue at its tariffs, cost and margin per
// policy, and reports whether the report had them.
func (p *page) carrierEconomics() bool {
	var table [][]string
	for i := range p.r.Policies {
		pr := &p.r.Policies[i]
		for _, c := range pr.Carriers {
			if c.RevenueCNY == 0 && c.CostCNY == 0 {
				continue
			}
			perOrder := ""
			if c.Delivered > 0 {
				perOrder = cny(c.MarginCNY / float64(c.Delivered))
			}
			table = append(table, []string{pr.Policy, c.Carrier, fmt.Sprint(c.Orders), pct(c.Share),
				fmt.Sprintf("%.0f", c.RevenueCNY), fmt.Sprintf("%.0f", c.CostCNY), fmt.Sprintf("%.0f", c.MarginCNY), perOrder})
		}
	}
	if len(table) == 0 {
		return false
	}
	p.para("lead", "Each carrier's orders, share of the policy's orders, revenue at its tariffs, cost (variable cost of its orders and its whole fixed cost of the day) and margin, in CNY.")
	p.table([]string{"policy", "carrier", "orders", "share", "revenue", "cost", "margin", "margin/order"}, table)
	return true
}

// cdfSeries turns each policy's quantiles (minutes) into step lines in hours; pick selects the distribution.
func cdfSeries(lat []PolicyLatency, pick func(*PolicyLatency) []float64) []series {
	var ss []series
	for i := range lat {
		q := pick(&lat[i])
		if len(q) == 0 {
			continue
		}
		ss = append(ss, cdf(lat[i].Policy, q, 1.0/60, seriesStyle(i)))
	}
	return ss
}

// cdf is the step line of a distribution given as quantiles q (ascending), its values times scale.
func cdf(name string, q []float64, scale float64, st style) series {
	s := series{Name: name, Style: st, Step: true, X: []float64{q[0] * scale}, Y: []float64{0}}
	for k, v := range q {
		s.X = append(s.X, v*scale)
		s.Y = append(s.Y, float64(k+1)/float64(len(q)))
	}
	return s
}

func percentAxis(v float64) string { return fmtNum(v*100, 0) + "%" }

func (p *page) latency() {
	p.section(SectionLatency, "3. Delivery latency")
	if len(p.in.Latency) == 0 {
		p.para("note", "No latency distributions: this page was built from the JSON report alone, which keeps only the mean, p50, p90 and p99 of each policy (table below). Build it from the run (<code>compare --html</code>) to see the whole distribution.")
	} else {
		for _, d := range []struct {
			id, what string
			pick     func(*PolicyLatency) []float64
		}{
			{"cdf-door", "order to door (parcel and bulky orders)", func(l *PolicyLatency) []float64 { return l.Door }},
			{"cdf-installed", "order to installed (appliance installs)", func(l *PolicyLatency) []float64 { return l.Installed }},
		} {
			ss := cdfSeries(p.in.Latency, d.pick)
			if len(ss) == 0 {
				p.para("note", "No delivered orders for the distribution of "+esc(d.what)+".")
				continue
			}
			xa := axis{Label: "hours from order creation", Step: 24, FromZero: true, Format: func(v float64) string { return fmtNum(v, 0) }}
			ya := axis{Label: "share of delivered orders", Lo: 0, Hi: 1, Step: 0.2, Format: percentAxis}
			p.figure(d.id, lineChart("Cumulative distribution of latency, "+d.what, xa, ya, ss),
				"Share of delivered orders completed within the hours shown, "+esc(d.what)+", one line per policy (gridlines every 24 h).")
		}
	}
	var rows [][]string
	for i := range p.r.Policies {
		pr := &p.r.Policies[i]
		rows = append(rows, []string{pr.Policy, minutes(pr.Latency.Mean), minutes(pr.Latency.P50), minutes(pr.Latency.P90), minutes(pr.Latency.P99)})
	}
	p.table([]string{"policy", "mean min", "p50 min", "p90 min", "p99 min"}, rows)

	p.b.WriteString("<h3>On time by category and promise</h3>\n")
	promise := map[string]string{}
	for _, pm := range p.in.Meta.Promises {
		promise[pm.Name] = pm.Value
	}
	type key struct{ platform, category string }
	var keys []key
	for i := range p.r.Policies {
		for _, g := range p.r.Policies[i].PlatformCategory {
			if k := (key{g.Platform, g.Category}); !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	var bars []barRow
	var table [][]string
	for _, k := range keys {
		label := k.platform + " · " + k.category
		if pm := promise[k.category]; pm != "" {
			label += " (" + pm + ")"
		}
		bars = append(bars, barRow{Label: label, Heading: true})
		for i := range p.r.Policies {
			for _, g := range p.r.Policies[i].PlatformCategory {
				if g.Platform != k.platform || g.Category != k.category {
					continue
				}
				bars = append(bars, barRow{Label: p.r.Policies[i].Policy, Segs: []barSeg{{V: g.OnTimeRate * 100, Style: seriesStyle(i)}},
					Mark: math.NaN(), Value: fmt.Sprintf("%s of %d", pct(g.OnTimeRate), g.Orders)})
				table = append(table, []string{label, p.r.Policies[i].Policy, fmt.Sprint(g.Orders), fmt.Sprint(g.Late), fmt.Sprint(g.Unserved), pct(g.OnTimeRate)})
			}
		}
	}
	var items []legendItem
	for i := range p.r.Policies {
		items = append(items, legendItem{Name: p.r.Policies[i].Policy, Style: seriesStyle(i)})
	}
	p.figure("ontime", barChart("On-time rate by platform and category, per policy", "% of orders on time (an unserved order is never on time)", bars, items),
		"On-time share of each platform's orders by category; the promise is in brackets.")
	p.table([]string{"platform · category (promise)", "policy", "orders", "late", "unserved", "on time"}, table)
	p.onTimeByPromise(items)
	p.end()
}

// onTimeByPromise draws each policy's on-time rate per kind of promise (211 same day, next day, remote,
// install slot), when the report has them.
func (p *page) onTimeByPromise(items []legendItem) {
	var kinds []string
	for i := range p.r.Policies {
		for _, pm := range p.r.Policies[i].OnTimeByPromise {
			if !slices.Contains(kinds, pm.Promise) {
				kinds = append(kinds, pm.Promise)
			}
		}
	}
	if len(kinds) == 0 {
		return
	}
	var bars []barRow
	var table [][]string
	for _, k := range kinds {
		bars = append(bars, barRow{Label: k, Heading: true})
		for i := range p.r.Policies {
			for _, pm := range p.r.Policies[i].OnTimeByPromise {
				if pm.Promise != k {
					continue
				}
				bars = append(bars, barRow{Label: p.r.Policies[i].Policy, Segs: []barSeg{{V: pm.OnTimeRate * 100, Style: seriesStyle(i)}},
					Mark: math.NaN(), Value: fmt.Sprintf("%s of %d", pct(pm.OnTimeRate), pm.Orders)})
				table = append(table, []string{k, p.r.Policies[i].Policy, fmt.Sprint(pm.Orders), fmt.Sprint(pm.Late), pct(pm.OnTimeRate)})
			}
		}
	}
	p.figure("ontime-promise", barChart("On-time rate by kind of promise, per policy", "% of orders on time", bars, items),
		"Local 211 promises (same day, next day), remote orders (promise plus line-haul days) and install slots, each against its own promise.")
	p.table([]string{"promise", "policy", "orders", "late", "on time"}, table)
}

func (p *page) installs() {
	p.section(SectionInstalls, "4. Installs")
	if len(p.in.Installs) > 0 {
		p.installDistributions()
	} else {
		p.installRanges()
	}
	p.installTable()
	p.utilisation()
	p.end()
}

// installDistributions draws the cumulative distributions of install waits and order-to-installed times,
// one line per policy and carrier.
func (p *page) installDistributions() {
	for _, d := range []struct {
		id, title, axis string
		pick            func(*InstallLatency) []float64
	}{
		{"install-wait-cdf", "Wait for an install slot", "hours from the preferred slot to the booked slot",
			func(l *InstallLatency) []float64 { return l.Wait }},
		{"install-total-cdf", "Order to installed", "hours from order creation to installation completed",
			func(l *InstallLatency) []float64 { return l.Installed }},
	} {
		var ss []series
		for i := range p.in.Installs {
			l := &p.in.Installs[i]
			if q := d.pick(l); len(q) > 0 {
				ss = append(ss, cdf(l.Policy+" · "+l.Carrier+" ("+l.Model+")", q, 1, seriesStyle(i)))
			}
		}
		if len(ss) == 0 {
			continue
		}
		xa := axis{Label: d.axis, Step: 24, FromZero: true, Format: func(v float64) string { return fmtNum(v, 0) }}
		ya := axis{Label: "share of installed orders", Lo: 0, Hi: 1, Step: 0.2, Format: percentAxis}
		p.figure(d.id, lineChart(d.title+", by policy, carrier and service model", xa, ya, ss),
			esc(d.title)+": share of installed orders within the hours shown, one line per policy and carrier (service model in brackets).")
	}
}

// installRanges draws the report's p50-p90 range and mean of install waits and order-to-installed times.
func (p *page) installRanges() {
	for _, d := range []struct {
		id, title, axis string
		pick            func(*installReport) (mean, p50, p90 float64)
	}{
		{"install-wait", "Wait for an install slot", "hours from the preferred slot to the booked slot",
			func(r *installReport) (float64, float64, float64) {
				return r.WaitHours.Mean, r.WaitHours.P50, r.WaitHours.P90
			}},
		{"install-total", "Order to installed", "hours from order creation to installation completed",
			func(r *installReport) (float64, float64, float64) {
				return r.OrderToInstalledHours.Mean, r.OrderToInstalledHours.P50, r.OrderToInstalledHours.P90
			}},
	} {
		var rows []barRow
		for i := range p.r.Policies {
			pr := &p.r.Policies[i]
			if len(pr.InstallModels) == 0 {
				continue
			}
			rows = append(rows, barRow{Label: pr.Policy, Heading: true})
			for j := range pr.InstallModels {
				m := &pr.InstallModels[j]
				mean, p50, p90 := d.pick(m)
				if m.Installed == 0 {
					mean = math.NaN()
				}
				rows = append(rows, barRow{Label: m.Carrier + " (" + m.Model + ")", Start: p50,
					Segs: []barSeg{{V: p90 - p50, Style: seriesStyle(i)}}, Mark: mean,
					Value: fmtNum(p50, 1) + " to " + hrs(p90)})
			}
		}
		if len(rows) == 0 {
			p.para("note", "No appliance installs in this report.")
			break
		}
		p.figure(d.id, barChart(d.title+", by carrier and service model", d.axis, rows, nil),
			esc(d.title)+": the bar and the figures after it run from the median (p50) to the 90th percentile (p90) of installed orders; the black tick is the mean.")
	}
}

func (p *page) installTable() {
	var table [][]string
	for i := range p.r.Policies {
		pr := &p.r.Policies[i]
		for _, m := range pr.InstallModels {
			table = append(table, []string{pr.Policy, m.Carrier, m.Model, fmt.Sprint(m.Orders), fmt.Sprint(m.Installed), fmt.Sprint(m.Late),
				pct(m.OnPreferredDay), hrs(m.WaitHours.P50), hrs(m.WaitHours.P90), hrs(m.OrderToInstalledHours.P50),
				hrs(m.OrderToInstalledHours.P90), cny(m.CostPerInstall)})
		}
	}
	if len(table) > 0 {
		p.table([]string{"policy", "carrier", "model", "orders", "installed", "late", "on preferred day", "wait p50", "wait p90",
			"to installed p50", "to installed p90", "CNY/install"}, table)
	}
}

// utilisation draws every fleet's booked share of its capacity, crews first, one bar per policy.
func (p *page) utilisation() {
	p.b.WriteString("<h3>Crew and fleet utilisation</h3>\n")

	type key struct{ carrier, fleet, unit string }
	var keys []key
	for i := range p.r.Policies {
		for _, f := range p.r.Policies[i].Fleets {
			if k := (key{f.Carrier, f.Fleet, f.Unit}); !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	slices.SortStableFunc(keys, func(a, b key) int {
		return strings.Compare(a.unit, b.unit) // crew_minutes before parcels
	})
	var rows []barRow
	var items []legendItem
	for i := range p.r.Policies {
		items = append(items, legendItem{Name: p.r.Policies[i].Policy, Style: seriesStyle(i)})
	}
	for _, k := range keys {
		what := "vehicles, parcels per wave, days 0-1"
		if k.unit == "crew_minutes" {
			what = "install crews, crew-minutes, day 1"
		}
		rows = append(rows, barRow{Label: k.carrier + " · " + k.fleet + " (" + what + ")", Heading: true})
		for i := range p.r.Policies {
			for _, f := range p.r.Policies[i].Fleets {
				if f.Carrier == k.carrier && f.Fleet == k.fleet {
					rows = append(rows, barRow{Label: p.r.Policies[i].Policy, Segs: []barSeg{{V: f.Utilisation * 100, Style: seriesStyle(i)}},
						Mark: math.NaN(), Value: fmt.Sprintf("%s (%s / %s)", pct(f.Utilisation), fmtNum(f.Booked, 0), fmtNum(f.Offered, 0))})
				}
			}
		}
	}
	if len(rows) > 0 {
		p.figure("utilisation", barChart("Fleet and crew utilisation, per policy", "% of offered capacity booked", rows, items),
			"Booked over offered capacity: install crews in crew-minutes over every slot of day 1; vans and trucks in parcels over the waves that ran.")
	}
}

func (p *page) sweep() {
	p.section(SectionSweep, "6. Sweep")
	sw := p.in.Sweep
	if sw == nil || len(sw.Values) == 0 {
		p.para("note", "This report is one comparison, not a sweep: there is no swept parameter to plot.")
		p.end()
		return
	}
	for mi, m := range sw.Metrics {
		var ss []series
		for i, s := range m.Series {
			ss = append(ss, series{Name: s.Policy, X: sw.Values, Y: s.Mean, Lo: s.Lo, Hi: s.Hi, Style: seriesStyle(i)})
		}
		xa := axis{Label: sw.Parameter}
		ya := axis{Label: m.Name}
		if m.Unit != "" {
			ya.Label += " (" + m.Unit + ")"
		}
		p.figure(fmt.Sprintf("sweep-%d", mi), lineChart(m.Name+" against "+sw.Parameter, xa, ya, ss),
			esc(m.Name)+" against "+esc(sw.Parameter)+", one line per policy; the shaded band is the 95% interval over replications, where there were any.")
	}
	p.end()
}

func (p *page) runInfo() {
	p.section(SectionRun, "7. The run")
	m := &p.in.Meta
	version := m.Version
	if version == "" {
		version = "not recorded"
	}
	rows := [][]string{{"scenario", m.Scenario}, {"carriersim version", version}, {"seeds", seedList(m.Seeds)},
		{"replications", fmt.Sprint(max(1, len(m.Seeds)))}}
	if len(m.Command) > 0 {
		rows = append(rows, []string{"command line", strings.Join(m.Command, " ")})
	}
	if r := p.r.Replay; r != nil {
		rows = append(rows, []string{"replayed orders", fmt.Sprintf("%s (%s, %d orders from %s, %d rows skipped)", r.File, r.Format, r.Orders, r.Start, r.Skipped)})
	}
	for _, pm := range m.Params {
		rows = append(rows, []string{pm.Name, pm.Value})
	}
	for _, pm := range m.Promises {
		rows = append(rows, []string{"promise: " + pm.Name, pm.Value})
	}
	p.table([]string{"parameter", "value"}, rows)
	p.end()
}

func (p *page) cityMap() {
	p.section(SectionMap, "5. The city, district by district")
	pols := p.r.Policies
	base := &pols[0]
	alt := base
	if len(pols) > 1 {
		alt = &pols[1]
	}
	byName := func(pr *policyReport) map[string]*districtReport {
		m := map[string]*districtReport{}
		for i := range pr.Districts {
			m[pr.Districts[i].District] = &pr.Districts[i]
		}
		return m
	}
	bd, ad := byName(base), byName(alt)
	diff := alt.Policy + " − " + base.Policy
	if alt == base {
		diff = ""
		p.para("note", "One policy: there is no change to shade; the map shows the districts and stations.")
	} else if len(pols) > 2 {
		p.para("note", fmt.Sprintf("The map and table compare the first two policies (%s); the others are in the sections above.", esc(diff)))
	}
	if m := p.in.Map; m != nil && len(m.Districts) > 0 {
		cost := mapLayer{Class: "v-cost", Title: "change in cost per delivered order, " + diff, Unit: "CNY", Prec: 2}
		lat := mapLayer{Class: "v-lat", Title: "change in median order-to-door latency, " + diff, Unit: "min"}
		focus := make([]bool, len(m.Districts))
		for i, d := range m.Districts {
			b, a := bd[d.Name], ad[d.Name]
			focus[i] = (b != nil && b.Orders > 0) || (a != nil && a.Orders > 0)
			cv, lv := math.NaN(), math.NaN()
			if b != nil && a != nil && b.Delivered > 0 && a.Delivered > 0 && alt != base {
				cv, lv = a.Cost.PerOrder-b.Cost.PerOrder, a.Latency.P50-b.Latency.P50
			}
			cost.Values = append(cost.Values, cv)
			lat.Values = append(lat.Values, lv)
		}
		p.b.WriteString(`<input type="radio" name="mapview" id="mv-cost" checked><label for="mv-cost"> cost per order</label>
<input type="radio" name="mapview" id="mv-lat"><label for="mv-lat"> median latency</label>
<div class="mapbox">
`)
		p.figure("map", cityMap(m, []mapLayer{cost, lat}, focus),
			"Districts shaded by the change from "+esc(base.Policy)+" to "+esc(alt.Policy)+" (blue: lower, orange and hatched: higher; white: no change or no orders). Choose cost or latency above. Symbols are the carriers' delivery stations.")
		p.b.WriteString("</div>\n")
	} else {
		p.para("note", "No map: the scenario's district polygons were not available to this page.")
	}
	var rows [][]string
	empty := 0
	for _, d := range base.Districts {
		a := ad[d.District]
		if a == nil {
			continue
		}
		if d.Orders == 0 && a.Orders == 0 {
			empty++
			continue
		}
		rows = append(rows, []string{d.District, fmt.Sprint(d.Orders), cny(d.Cost.PerOrder), cny(a.Cost.PerOrder),
			fmtSigned(a.Cost.PerOrder-d.Cost.PerOrder, 2), minutes(d.Latency.P50), minutes(a.Latency.P50),
			fmtSigned(a.Latency.P50-d.Latency.P50, 0), pct(d.OnTimeRate), pct(a.OnTimeRate)})
	}
	if len(rows) > 0 {
		b, a := base.Policy, alt.Policy
		p.table([]string{"district", "orders", "CNY/order " + b, "CNY/order " + a, "change", "p50 min " + b, "p50 min " + a, "change",
			"on time " + b, "on time " + a}, rows)
		if empty > 0 {
			p.para("note", fmt.Sprintf("%d districts without orders are left out of the table; the map is framed on the districts with orders.", empty))
		}
	} else {
		p.para("note", "The report has no per-district figures.")
	}
	p.end()
}

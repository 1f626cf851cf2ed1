package dispatch

import (
	"math"
	"sort"
)

// Report is the compare/simulate report of CONTRACT.md.
type Report struct {
	Scenario string         `json:"scenario"`
	Seed     uint64         `json:"seed"`
	Policies []PolicyReport `json:"policies"`
}

// PolicyReport is one policy's totals and its platform x carrier x category groups.
type PolicyReport struct {
	Policy string `json:"policy"`
	Metrics
	Groups []GroupReport `json:"groups"`
	// PlatformCategory merges the groups over carriers (carrier "*"), computed from the orders themselves.
	PlatformCategory []GroupReport `json:"by_platform_category"`
}

// GroupReport is the metrics of one platform x carrier x category group. Carrier "none" holds orders no
// carrier took.
type GroupReport struct {
	Platform string `json:"platform"`
	Carrier  string `json:"carrier"`
	Category string `json:"category"`
	Metrics
}

// Metrics are the figures reported for a policy or a group. Cost parts and per-order figures are over
// delivered orders; the on-time rate is over all orders (an unserved order is never on time). In groups,
// VehiclesUsed is the group's share of vehicles (each vehicle split equally over its stops), so groups add
// up to the policy total.
type Metrics struct {
	Orders           int            `json:"orders"`
	Delivered        int            `json:"delivered"`
	Late             int            `json:"late"`
	Unserved         int            `json:"unserved"`
	UnservedByReason map[string]int `json:"unserved_by_reason"`
	Cost             Cost           `json:"cost_cny"`
	Latency          Latency        `json:"latency_min"`
	OnTimeRate       float64        `json:"on_time_rate"`
	Km               float64        `json:"km"`
	KmPerOrder       float64        `json:"km_per_order"`
	VehiclesUsed     float64        `json:"vehicles_used"`
}

// Cost is money in CNY: the total and per delivered order, by part.
type Cost struct {
	Total    float64 `json:"total"`
	PerOrder float64 `json:"per_order"`
	Linehaul float64 `json:"linehaul"`
	Sorting  float64 `json:"sorting"`
	LastMile float64 `json:"last_mile"`
	Install  float64 `json:"install"`
}

// Latency is minutes from order creation to delivery (to installation completed, for installs).
type Latency struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
}

// acc accumulates one metrics cell.
type acc struct {
	orders, delivered, late, unserved int
	reasons                           map[string]int
	linehaul, sorting, lastMile, inst float64
	km, vehicles                      float64
	lat                               []float64
}

func (a *acc) add(o *Order, out *Outcome, vehShare float64) {
	a.orders++
	if out.State != Delivered {
		a.unserved++
		if a.reasons == nil {
			a.reasons = map[string]int{}
		}
		a.reasons[out.Reason]++
		return
	}
	a.delivered++
	if out.Late(o) {
		a.late++
	}
	a.linehaul += out.Linehaul
	a.sorting += out.Sorting
	a.lastMile += out.LastMile
	a.inst += out.Install
	a.km += out.Km
	a.vehicles += vehShare
	a.lat = append(a.lat, out.Done-o.Created)
}

func (a *acc) metrics() Metrics {
	m := Metrics{Orders: a.orders, Delivered: a.delivered, Late: a.late, Unserved: a.unserved,
		UnservedByReason: map[string]int{}}
	for k, v := range a.reasons {
		m.UnservedByReason[k] = v
	}
	total := a.linehaul + a.sorting + a.lastMile + a.inst
	m.Cost.Total = round(total, 2)
	if a.delivered > 0 {
		d := float64(a.delivered)
		m.Cost.PerOrder = round(total/d, 4)
		m.Cost.Linehaul = round(a.linehaul/d, 4)
		m.Cost.Sorting = round(a.sorting/d, 4)
		m.Cost.LastMile = round(a.lastMile/d, 4)
		m.Cost.Install = round(a.inst/d, 4)
		m.KmPerOrder = round(a.km/d, 4)
		sort.Float64s(a.lat)
		var sum float64
		for _, v := range a.lat {
			sum += v
		}
		m.Latency = Latency{Mean: round(sum/d, 1), P50: round(quantile(a.lat, 0.5), 1),
			P90: round(quantile(a.lat, 0.9), 1), P99: round(quantile(a.lat, 0.99), 1)}
	}
	if a.orders > 0 {
		m.OnTimeRate = round(float64(a.delivered-a.late)/float64(a.orders), 4)
	}
	m.Km = round(a.km, 3)
	m.VehiclesUsed = round(a.vehicles, 3)
	return m
}

// quantile is the nearest-rank quantile of sorted values.
func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// Summarize builds one policy's report from its run.
func Summarize(w *World, orders []Order, run *Run) PolicyReport {
	vehShare := make([]float64, len(orders))
	for _, r := range run.Routes {
		for _, id := range r.Stops {
			vehShare[id] = 1 / float64(len(r.Stops))
		}
	}
	var total acc
	for i := range orders {
		total.add(&orders[i], &run.Outcomes[i], vehShare[i])
	}
	pr := PolicyReport{Policy: run.Policy.Name, Metrics: total.metrics()}
	// The policy total counts whole vehicles.
	pr.VehiclesUsed = float64(len(run.Routes))
	pr.Groups = groupBy(w, orders, run, vehShare, true)
	pr.PlatformCategory = groupBy(w, orders, run, vehShare, false)
	return pr
}

// groupBy aggregates orders by platform x carrier x category (or platform x category, carrier "*").
func groupBy(w *World, orders []Order, run *Run, vehShare []float64, byCarrier bool) []GroupReport {
	type key struct {
		platform, carrier int
		cat               Category
	}
	groups := map[key]*acc{}
	for i := range orders {
		o, out := &orders[i], &run.Outcomes[i]
		k := key{int(o.Platform), -2, o.Category}
		if byCarrier {
			k.carrier = int(out.Carrier)
		}
		g := groups[k]
		if g == nil {
			g = &acc{}
			groups[k] = g
		}
		g.add(o, out, vehShare[i])
	}
	keys := make([]key, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		ka, kb := keys[a], keys[b]
		if ka.platform != kb.platform {
			return ka.platform < kb.platform
		}
		if ka.carrier != kb.carrier {
			return ka.carrier < kb.carrier
		}
		return ka.cat < kb.cat
	})
	var out []GroupReport
	for _, k := range keys {
		carrier := "*"
		switch {
		case k.carrier >= 0:
			carrier = w.Scenario.Carriers[k.carrier].ID
		case k.carrier == -1:
			carrier = "none"
		}
		out = append(out, GroupReport{Platform: w.Scenario.Platforms[k.platform].ID, Carrier: carrier,
			Category: k.cat.String(), Metrics: groups[k].metrics()})
	}
	return out
}

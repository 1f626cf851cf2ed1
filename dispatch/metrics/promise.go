package metrics

import (
	"sort"

	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/dispatch/sim"
)

// PromiseReport is the attainment of one kind of promise: the day's orders given it, and the share of
// them delivered on time (an unserved order is never on time).
type PromiseReport struct {
	Promise    string  `json:"promise"`
	Orders     int     `json:"orders"`
	Delivered  int     `json:"delivered"`
	Late       int     `json:"late"`
	OnTimeRate float64 `json:"on_time_rate"`
	// Latency is minutes from creation to delivery (installed) over the delivered ones; Within72h the share
	// of the orders delivered within 72 hours of creation, the State Post Bureau's yardstick.
	Latency   Latency `json:"latency_min"`
	Within72h float64 `json:"within_72h_rate"`
}

// Promise kinds, in report order.
const (
	Promise211SameDay = "211-same-day" // a city-warehouse order due the day it was created
	Promise211NextDay = "211-next-day" // a city-warehouse order due the next day
	PromiseLater      = "local-later"  // a city-warehouse order given more days (bulky goods' extra days)
	PromiseRemote     = "remote"       // an order shipped from another city: line-haul days on top
	PromiseInstall    = "install-slot" // the customer's chosen installation slot
)

var promiseOrder = []string{Promise211SameDay, Promise211NextDay, PromiseLater, PromiseRemote, PromiseInstall}

// PromiseKind classifies an order's promise: installs by their slot, line-haul orders as remote, and city
// orders by the day their promise falls due.
func PromiseKind(o *sim.Order) string {
	switch {
	case o.Category == scenario.ApplianceInstall:
		return PromiseInstall
	case o.OriginKm > 0:
		return PromiseRemote
	}
	switch o.Promise.DayOf() - o.Created.DayOf() {
	case 0:
		return Promise211SameDay
	case 1:
		return Promise211NextDay
	}
	return PromiseLater
}

// onTimeByPromise splits the day's orders by PromiseKind; kinds without orders are left out.
func onTimeByPromise(orders []sim.Order, run *sim.Run) []PromiseReport {
	byKind := map[string]*PromiseReport{}
	lat := map[string][]float64{}
	for i := range orders {
		o, out := &orders[i], &run.Outcomes[i]
		if o.Warmup {
			continue
		}
		k := PromiseKind(o)
		r := byKind[k]
		if r == nil {
			r = &PromiseReport{Promise: k}
			byKind[k] = r
		}
		r.Orders++
		if out.State == sim.Delivered {
			r.Delivered++
			lat[k] = append(lat[k], float64(out.Done-o.Created))
			if out.Late(o) {
				r.Late++
			}
		}
	}
	var rs []PromiseReport
	for _, k := range promiseOrder {
		if r := byKind[k]; r != nil {
			r.OnTimeRate = round(float64(r.Delivered-r.Late)/float64(r.Orders), 4)
			r.Latency, r.Within72h = promiseLatency(lat[k], r.Orders)
			rs = append(rs, *r)
		}
	}
	return rs
}

// promiseLatency summarises delivered orders' minutes to delivery, and the share of all orders delivered
// within 72 hours.
func promiseLatency(v []float64, orders int) (Latency, float64) {
	if len(v) == 0 {
		return Latency{}, 0
	}
	sort.Float64s(v)
	var sum float64
	within := 0
	for _, x := range v {
		sum += x
		if x <= 72*60 {
			within++
		}
	}
	l := Latency{Mean: round(sum/float64(len(v)), 1), P50: round(quantile(v, 0.5), 1), P90: round(quantile(v, 0.9), 1),
		P99: round(quantile(v, 0.99), 1)}
	return l, round(float64(within)/float64(orders), 4)
}

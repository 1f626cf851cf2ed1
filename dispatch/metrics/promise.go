package metrics

import (
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

// promiseCell accumulates one kind of promise's orders (PromiseReport).
type promiseCell struct {
	r      PromiseReport
	latSum float64
	lat    roundedCounts
	within int // delivered within 72 hours
}

func (c *promiseCell) add(o *sim.Order, out *sim.Outcome) {
	c.r.Orders++
	if out.State != sim.Delivered {
		return
	}
	c.r.Delivered++
	lat := float64(out.Done - o.Created)
	c.latSum += lat
	c.lat.add(lat)
	if lat <= 72*60 {
		c.within++
	}
	if out.Late(o) {
		c.r.Late++
	}
}

// onTimeByPromise reports the kinds of promise that have orders, in promiseOrder.
func onTimeByPromise(cells map[string]*promiseCell) []PromiseReport {
	var rs []PromiseReport
	for _, k := range promiseOrder {
		c := cells[k]
		if c == nil {
			continue
		}
		r := c.r
		r.OnTimeRate = round(float64(r.Delivered-r.Late)/float64(r.Orders), 4)
		if r.Delivered > 0 {
			r.Latency = Latency{Mean: round(c.latSum/float64(r.Delivered), 1), P50: c.lat.quantile(0.5),
				P90: c.lat.quantile(0.9), P99: c.lat.quantile(0.99)}
			r.Within72h = round(float64(c.within)/float64(r.Orders), 4)
		}
		rs = append(rs, r)
	}
	return rs
}

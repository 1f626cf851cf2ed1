package dispatch

import (
	"math"
	"math/rand/v2"
	"sort"

	"github.com/paulmach/orb"
)

// Order is one customer order as the platform creates it; it says nothing about which carrier serves it.
type Order struct {
	ID         int32
	Platform   uint8 // index into Scenario.Platforms
	FirstParty bool  // sold by the platform itself (1P) rather than a third-party merchant (3P)
	Category   Category
	Zone       int16     // district index in World.Zones
	Created    float64   // simulation minute
	Dest       orb.Point // lon, lat
	WeightKg   float32
	VolumeL    float32
	// OriginKm is the great-circle km from the origin city for line-haul orders, 0 for city warehouses.
	OriginKm float32
	// InstallMin is the installation duration (appliance_install only).
	InstallMin float32
	// Promise is the latest on-time delivery (or installation) minute.
	Promise float64
	// PrefStart and PrefEnd are the customer's preferred appointment slot (appliance_install only).
	PrefStart, PrefEnd float64
}

// Merchant returns "1p" or "3p".
func (o *Order) Merchant() string {
	if o.FirstParty {
		return "1p"
	}
	return "3p"
}

const day = 1440.0

// GenerateOrders draws the scenario's order stream for a seed. The stream depends only on the scenario,
// the world's geography and the seed, so every policy run of one seed sees identical orders. Orders come
// sorted by creation time; IDs follow that order.
func GenerateOrders(w *World, seed uint64, n int) []Order {
	s := w.Scenario
	times := rand.New(rand.NewPCG(seed, streamTimes))
	mix := rand.New(rand.NewPCG(seed, streamMix))
	place := rand.New(rand.NewPCG(seed, streamPlace))
	size := rand.New(rand.NewPCG(seed, streamSize))
	origin := rand.New(rand.NewPCG(seed, streamOrigin))
	appt := rand.New(rand.NewPCG(seed, streamAppointment))

	created := make([]float64, n)
	hourCum := cumulative(s.Demand.Hourly[:])
	for i := range created {
		h := pickCum(hourCum, times.Float64())
		created[i] = float64(h)*60 + times.Float64()*60
	}
	sort.Float64s(created)

	platCum := make([]float64, len(s.Platforms))
	var acc float64
	for i, p := range s.Platforms {
		acc += p.Share
		platCum[i] = acc
	}
	catCum := make([][]float64, len(s.Platforms))
	for i, p := range s.Platforms {
		w := make([]float64, numCategories)
		for k, v := range p.Mix {
			c, _ := ParseCategory(k)
			w[c] = v
		}
		catCum[i] = cumulative(w)
	}

	orders := make([]Order, n)
	for i := range orders {
		o := &orders[i]
		o.ID = int32(i)
		o.Created = created[i]
		pi := pickCum(platCum, mix.Float64())
		p := &s.Platforms[pi]
		o.Platform = uint8(pi)
		o.FirstParty = mix.Float64() < p.FirstParty
		o.Category = Category(pickCum(catCum[pi], mix.Float64()))
		local := mix.Float64() < p.LocalOrigin

		var zone int
		o.Dest, zone = w.sampler.drawZone(place)
		o.Zone = int16(zone)

		g := s.Goods.Spec(o.Category)
		o.WeightKg = float32(uniform(size, g.WeightKg))
		o.VolumeL = float32(uniform(size, g.VolumeL))
		if o.Category == ApplianceInstall {
			o.InstallMin = float32(math.Round(uniform(size, g.InstallMinutes)))
		}
		if !local {
			o.OriginKm = float32(w.origins.draw(origin))
		}
		// Line-haul adds whole days to the promise: one per RemoteKmPerDay of road.
		extra := float64(g.ExtraDays)
		if o.OriginKm > 0 {
			extra += math.Ceil(float64(o.OriginKm) * s.Travel.Circuity / s.Demand.RemoteKmPerDay)
		}
		switch g.Promise {
		case "211":
			o.Promise = Promise211(o.Created) + extra*day
		case "appointment":
			d := pickCum(cumulative(g.AppointmentDays), appt.Float64())
			slot := g.AppointmentSlots[appt.IntN(len(g.AppointmentSlots))]
			prefDay := math.Floor(o.Created/day) + 1 + float64(d) + extra
			o.PrefStart = prefDay*day + float64(slot)
			o.PrefEnd = o.PrefStart + g.AppointmentSlotMinutes
			o.Promise = o.PrefEnd
		}
	}
	return orders
}

// Promise211 applies JD's "211" rule: ordered by 11:00, delivered by 23:00 the same day; ordered by 23:00,
// by 15:00 the next day; later orders count as the next morning's.
func Promise211(created float64) float64 {
	d := math.Floor(created / day)
	m := created - d*day
	switch {
	case m < 11*60:
		return d*day + 23*60
	case m < 23*60:
		return (d+1)*day + 15*60
	default:
		return (d+1)*day + 23*60
	}
}

func cumulative(w []float64) []float64 {
	out := make([]float64, len(w))
	var acc float64
	for i, v := range w {
		acc += v
		out[i] = acc
	}
	return out
}

// pickCum returns the index drawn by u in [0,1) from cumulative weights.
func pickCum(cum []float64, u float64) int {
	r := u * cum[len(cum)-1]
	i := sort.Search(len(cum), func(i int) bool { return cum[i] > r })
	return min(i, len(cum)-1)
}

func uniform(rng *rand.Rand, r [2]float64) float64 { return r[0] + rng.Float64()*(r[1]-r[0]) }

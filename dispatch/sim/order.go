package sim

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"

	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/paulmach/orb"
)

// Order is one customer order as the platform creates it; it says nothing about which carrier serves it.
// Fields are ordered by size (72 bytes): a run holds every order of its stream. An order's id is its
// position in the stream.
type Order struct {
	Platform   uint8 // index into scenario.Scenario.Platforms
	FirstParty bool  // sold by the platform itself (1P) rather than a third-party merchant (3P)
	Category   scenario.Category
	// Product is the index into Scenario.Products (appliance_install only; -1 otherwise).
	Product int8
	Zone    int16 // district index in World.Zones
	// ReadyGiven says Ready is set (see Ready).
	ReadyGiven bool
	// Warmup marks an order created before the simulated day: it loads the networks as earlier days would
	// have, and is left out of every metric.
	Warmup bool
	// Baseline is 1 + the index of the carrier the order's merchant uses today (its platform's baseline
	// mix); 0 means the platform's home carrier. See World.BaselineCarrier.
	Baseline uint8
	// InstallMin is the installation duration in whole minutes, at most a day (appliance_install only).
	InstallMin uint16
	WeightKg   float32
	VolumeL    float32
	// OriginKm is the great-circle km from the origin city for line-haul orders, 0 for city warehouses.
	OriginKm float32
	Created  scenario.Minutes
	Dest     orb.Point // lon, lat
	// Promise is the latest on-time delivery minute; for installs, the latest on-time crew arrival (the end
	// of the preferred slot).
	Promise scenario.Minutes
	// PrefStart is the start of the customer's preferred appointment slot (appliance_install only); its end
	// is Promise (PrefEnd).
	PrefStart scenario.Minutes
	// Ready, when ReadyGiven, is the minute the goods reach the delivery station (replayed orders whose file
	// says so); otherwise the carrier's pickup, line-haul and sorting times decide it.
	Ready scenario.Minutes
}

// PrefEnd is the end of the customer's preferred appointment slot: Promise for appliance installs, 0 for
// every other order. Not a field of its own, as it always equals Promise.
func (o *Order) PrefEnd() scenario.Minutes {
	if o.Category != scenario.ApplianceInstall {
		return 0
	}
	return o.Promise
}

// Merchant returns "1p" or "3p".
func (o *Order) Merchant() string { return scenario.Merchant(o.FirstParty) }

// OrderStream returns the order stream of one seed: the appliance-install orders of the warm-up days (at
// the ordinary design volume, marked Warmup, drawn without the days' other orders: generateInstalls), then
// n orders on each simulated day (scenario demand.days; with more than one, day 0 is marked Warmup too: it
// starts from empty networks, and the days after it carry its backlog and bookings as every day does).
// Every policy run of a seed consumes this identical stream. IDs are positions in the stream.
func OrderStream(w *World, seed uint64, n int) []Order {
	// Every day has random streams of its own, so the days are drawn concurrently, each into its own part of
	// the stream (the days' sizes are known beforehand); a warm-up day draws only its installs. The stream
	// is the same as drawing the days one by one.
	simDays, warm := w.Scenario.SimDays(), w.Scenario.WarmupDays()
	installs := installCount(w.Scenario, w.Scenario.Demand.Orders)
	stream := make([]Order, warm*installs+simDays*n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	at := 0
	for i := range warm + simDays {
		d := i - warm
		size := n
		if d < 0 {
			size = installs
		}
		part := stream[at : at+size]
		at += size
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			drawDay(w, seed, d, d < 0, part)
			if d < 0 || d == 0 && simDays > 1 {
				for k := range part {
					part[k].Warmup = true
				}
			}
		}()
	}
	wg.Wait()
	return stream
}

// GenerateOrders draws the simulated day's n orders for a seed (no warm-up). The stream depends only on the
// scenario, the world's geography and the seed. Orders come sorted by creation time; IDs follow that order.
func GenerateOrders(w *World, seed uint64, n int) []Order { return generateDay(w, seed, n, 0) }

// generateDay draws day d's orders; each day has random streams of its own.
func generateDay(w *World, seed uint64, n, d int) []Order {
	orders := make([]Order, n)
	drawDay(w, seed, d, false, orders)
	return orders
}

// generateInstalls draws only the appliance installs of warm-up day d of a day of n orders, without the
// day's other orders: round(n x the install share) of them (the platforms' shares times their mix's
// appliance_install weight), each from a platform drawn in proportion to its installs. A full day's draw
// kept its installs out of n orders, so the count varied binomially around the same mean; drawing them
// directly costs the installs alone instead of n orders (80 M drawn for 10 M a day, before).
func generateInstalls(w *World, seed uint64, n, d int) []Order {
	orders := make([]Order, installCount(w.Scenario, n))
	drawDay(w, seed, d, true, orders)
	for i := range orders {
		orders[i].Warmup = true
	}
	return orders
}

// installWeights gives each platform's expected share of all orders that are appliance installs.
func installWeights(s *scenario.Scenario) []float64 {
	var total float64
	for _, p := range s.Platforms {
		total += p.Share
	}
	out := make([]float64, len(s.Platforms))
	for i, p := range s.Platforms {
		if total > 0 {
			out[i] = p.Share / total * p.Mix[scenario.ApplianceInstall.String()]
		}
	}
	return out
}

// installCount is how many installs a warm-up day of n orders draws (generateInstalls).
func installCount(s *scenario.Scenario, n int) int {
	var share float64
	for _, v := range installWeights(s) {
		share += v
	}
	return int(math.Round(float64(n) * share))
}

// drawDay draws day d's orders into orders, as many as it holds, or with installsOnly its appliance
// installs alone (generateInstalls).
func drawDay(w *World, seed uint64, d int, installsOnly bool, orders []Order) {
	s := w.Scenario
	n := len(orders)
	if n == 0 {
		return
	}
	var instW []float64
	if installsOnly {
		instW = installWeights(s)
	}
	dayStream := uint64(-d) << 40
	times := rand.New(rand.NewPCG(seed, streamTimes^dayStream))
	mix := rand.New(rand.NewPCG(seed, streamMix^dayStream))
	place := rand.New(rand.NewPCG(seed, streamPlace^dayStream))
	size := rand.New(rand.NewPCG(seed, streamSize^dayStream))
	origin := rand.New(rand.NewPCG(seed, streamOrigin^dayStream))
	appt := rand.New(rand.NewPCG(seed, streamAppointment^dayStream))
	// The baseline carrier has a stream of its own, so adding it left every other draw as it was.
	baseline := rand.New(rand.NewPCG(seed, streamBaseline^dayStream))
	baseCum := baselineTable(s)

	created := make([]float64, n)
	hourCum := cumulative(s.Demand.Hourly[:])
	for i := range created {
		h := pickCum(hourCum, times.Float64())
		created[i] = float64(d)*scenario.Day + float64(h)*60 + times.Float64()*60
	}
	sort.Float64s(created)

	platW := make([]float64, len(s.Platforms))
	for i, p := range s.Platforms {
		platW[i] = p.Share
	}
	if installsOnly {
		platW = instW
	}
	platCum := cumulative(platW)
	catCum := make([][]float64, len(s.Platforms))
	for i, p := range s.Platforms {
		w := make([]float64, scenario.NumCategories)
		for k, v := range p.Mix {
			c, _ := scenario.ParseCategory(k)
			w[c] = v
		}
		if installsOnly {
			clear(w) // every order of the draw is an install
			w[scenario.ApplianceInstall] = 1
		}
		catCum[i] = cumulative(w)
	}

	shares := make([]float64, len(s.Products))
	for i, p := range s.Products {
		shares[i] = p.Share
	}
	productCum := cumulative(shares)

	for i := range orders {
		o := &orders[i]
		o.Created = scenario.Minutes(created[i])
		pi := pickCum(platCum, mix.Float64())
		p := &s.Platforms[pi]
		o.Platform = uint8(pi)
		o.FirstParty = mix.Float64() < p.FirstParty
		o.Category = scenario.Category(pickCum(catCum[pi], mix.Float64()))
		local := mix.Float64() < p.LocalOrigin

		var zone int
		o.Dest, zone = w.sampler.drawZone(place)
		o.Zone = int16(zone)

		g := s.Goods.Spec(o.Category)
		o.Product = -1
		if o.Category == scenario.ApplianceInstall {
			pi := pickCum(productCum, mix.Float64())
			pr := &s.Products[pi]
			o.Product = int8(pi)
			o.WeightKg = float32(uniform(size, pr.WeightKg))
			o.VolumeL = float32(uniform(size, pr.VolumeL))
			o.InstallMin = uint16(math.Round(triangular(size.Float64(), pr.InstallMinutes)))
		} else {
			o.WeightKg = float32(uniform(size, g.WeightKg))
			o.VolumeL = float32(uniform(size, g.VolumeL))
		}
		if !local {
			o.OriginKm = float32(w.origins.draw(origin))
		}
		// Line-haul adds whole days to the promise: one per RemoteKmPerDay of road.
		extra := float64(g.ExtraDays)
		if o.OriginKm > 0 {
			extra += math.Ceil(float64(o.OriginKm) * s.Travel.Circuity / s.Demand.RemoteKmPerDay)
		}
		switch {
		case g.Promise == "211" && o.OriginKm > 0 && s.Demand.RemotePromiseHours > 0:
			// From another city: the published yardstick of hours from order to door, plus the category's days.
			o.Promise = o.Created + scenario.Minutes(s.Demand.RemotePromiseHours*60+float64(g.ExtraDays)*scenario.Day)
		case g.Promise == "211":
			o.Promise = Promise211(o.Created) + scenario.Minutes(extra*scenario.Day)
		case g.Promise == "appointment":
			d := pickCum(cumulative(g.AppointmentDays), appt.Float64())
			slot := g.AppointmentSlots[appt.IntN(len(g.AppointmentSlots))]
			prefDay := math.Floor(float64(o.Created)/scenario.Day) + 1 + float64(d) + extra
			o.PrefStart = scenario.Minutes(prefDay*scenario.Day + float64(slot))
			o.Promise = o.PrefStart + scenario.Minutes(g.AppointmentSlotMinutes)
		}
		u := baseline.Float64()
		if cum := baseCum[pi][merchantIndex(o.FirstParty)][o.Category]; cum != nil {
			o.Baseline = uint8(1 + pickCum(cum, u))
		}
	}
}

// merchantIndex is 0 for third-party, 1 for first-party orders.
func merchantIndex(firstParty bool) int {
	if firstParty {
		return 1
	}
	return 0
}

// baselineTable gives, per platform x merchant type x category, the cumulative shares over the carriers
// (in scenario order) of the platform's first matching baseline rule, restricted to the carriers that
// serve the category; nil where no rule matches or none of its carriers serves it (the home carrier).
func baselineTable(s *scenario.Scenario) [][2][scenario.NumCategories][]float64 {
	out := make([][2][scenario.NumCategories][]float64, len(s.Platforms))
	for pi := range s.Platforms {
		for m := range 2 {
			for _, c := range scenario.Categories() {
				if w := s.BaselineWeights(pi, m == 1, c); w != nil {
					out[pi][m][c] = cumulative(w)
				}
			}
		}
	}
	return out
}

// Promise211 applies JD's "211" rule: ordered by 11:00, delivered by 23:00 the same day; ordered by 23:00,
// by 15:00 the next day; later orders count as the next morning's.
func Promise211(created scenario.Minutes) scenario.Minutes {
	d := math.Floor(float64(created) / scenario.Day)
	m := float64(created) - d*scenario.Day
	switch {
	case m < 11*60:
		return scenario.Minutes(d*scenario.Day + 23*60)
	case m < 23*60:
		return scenario.Minutes((d+1)*scenario.Day + 15*60)
	default:
		return scenario.Minutes((d+1)*scenario.Day + 23*60)
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

// triangular maps u in [0,1) to a triangular distribution over [min, mode, max] by its inverse CDF.
func triangular(u float64, t [3]float64) float64 {
	a, c, b := t[0], t[1], t[2]
	if b <= a {
		return a
	}
	if u < (c-a)/(b-a) {
		return a + math.Sqrt(u*(b-a)*(c-a))
	}
	return b - math.Sqrt((1-u)*(b-a)*(b-c))
}

func uniform(rng *rand.Rand, r [2]float64) float64 { return r[0] + rng.Float64()*(r[1]-r[0]) }

package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/carriersim/carriersim/dispatch/replay"
	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/geo"
)

// OrdersFromRecords turns replayed records, read from file (named in errors as file:line), into the
// simulation's orders. Minute 0 is midnight, in the
// records' own zone, of the day of the earliest creation time; that midnight is returned. Records without a
// platform (LaDe) get platform defaultPlatform. A replayed order ships from a city warehouse (no line-haul)
// and, when the file gives a ready time (LaDe's accept time), reaches its station exactly then. A replayed
// install has no product or appointment in the file: it takes the most common product's skill, the file's
// install minutes (else that product's mode) and the first appointment slot of the day after creation.
// The records are sorted in place by creation time, so orders[i] comes from recs[i].
func OrdersFromRecords(w *World, file string, recs []replay.Record, defaultPlatform string) ([]Order, time.Time, error) {
	s := w.Scenario
	if len(recs) == 0 {
		return nil, time.Time{}, fmt.Errorf("%s: the file has no rows: expected at least one order", file)
	}
	platform := map[string]int{}
	for i, p := range s.Platforms {
		platform[p.ID] = i
	}
	if _, ok := platform[defaultPlatform]; !ok {
		return nil, time.Time{}, fmt.Errorf("%s: replay platform: expected one of scenario %s's platforms (%s), found %q", file, s.Name, platformIDs(s), defaultPlatform)
	}
	sort.SliceStable(recs, func(a, b int) bool { return recs[a].Created.Before(recs[b].Created) })
	first := recs[0].Created
	y, m, d := first.Date()
	t0 := time.Date(y, m, d, 0, 0, 0, 0, first.Location())
	mostCommon := 0
	for i, p := range s.Products {
		if p.Share > s.Products[mostCommon].Share {
			mostCommon = i
		}
	}
	install := s.Goods.Spec(scenario.ApplianceInstall)
	orders := make([]Order, len(recs))
	for i, r := range recs {
		o := &orders[i]
		name := r.Platform
		if name == "" {
			name = defaultPlatform
		}
		pi, ok := platform[name]
		if !ok {
			return nil, time.Time{}, fmt.Errorf("%s:%d: platform: expected one of scenario %s's platforms (%s), found %q", file, r.Line, s.Name, platformIDs(s), name)
		}
		cat, err := scenario.ParseCategory(r.Category)
		if err != nil {
			return nil, time.Time{}, fmt.Errorf("%s:%d: category: %v", file, r.Line, err)
		}
		o.Platform, o.Category, o.FirstParty = uint8(pi), cat, r.Merchant == "1p"
		o.Created = scenario.Minutes(r.Created.Sub(t0).Minutes())
		o.Dest = orb.Point{r.Lon, r.Lat}
		o.Zone = int16(geo.Locate(w.Zones, o.Dest))
		o.WeightKg, o.VolumeL = float32(r.WeightKg), float32(r.VolumeL)
		o.Product = -1
		if !r.Ready.IsZero() {
			o.Ready, o.ReadyGiven = scenario.Minutes(r.Ready.Sub(t0).Minutes()), true
		}
		switch cat {
		case scenario.ApplianceInstall:
			p := &s.Products[mostCommon]
			o.Product = int8(mostCommon)
			// Durations are kept to the minute, as generated ones are (at most a day: validated).
			o.InstallMin = uint16(math.Round(r.InstallMinutes))
			if o.InstallMin == 0 {
				o.InstallMin = uint16(math.Round(p.InstallMinutes[1]))
			}
			o.PrefStart = scenario.Minutes((math.Floor(float64(o.Created)/scenario.Day)+1)*scenario.Day + float64(install.AppointmentSlots[0]))
			o.Promise = o.PrefStart + scenario.Minutes(install.AppointmentSlotMinutes)
		default:
			o.Promise = Promise211(o.Created) + scenario.Minutes(float64(s.Goods.Spec(cat).ExtraDays)*scenario.Day)
		}
	}
	return orders, t0, nil
}

// platformIDs lists the scenario's platform ids, comma-separated, for messages.
func platformIDs(s *scenario.Scenario) string {
	ids := make([]string, len(s.Platforms))
	for i, p := range s.Platforms {
		ids[i] = p.ID
	}
	return strings.Join(ids, ", ")
}

// BackgroundJitterM is the standard deviation, in metres, of a background parcel's door around the replayed
// door it copies: a neighbouring address, not the same one.
const BackgroundJitterM = 50

// ReplayBackground returns generated parcels that bring replayed orders to a day's real volume when the
// replayed rows are a sample of it: each replayed order stands for scale parcels, so each day gets
// round((scale-1) x its replayed orders) more. A background parcel copies a replayed order of the same day
// for its platform, creation and ready time (so it reaches the station as the replayed ones do), weight and volume, and a
// replayed order of any day, moved by BackgroundJitterM, for its door. Background parcels are marked Warmup:
// they load the stations and couriers and are left out of every metric. Their IDs follow the replayed
// orders'. The result depends only on the orders, scale and seed.
func ReplayBackground(w *World, replayed []Order, scale float64, seed uint64) []Order {
	if scale <= 1 || len(replayed) == 0 {
		return nil
	}
	byDay := map[int64][]int{}
	var days []int64
	for i := range replayed {
		d := replayed[i].Created.DayOf()
		if byDay[d] == nil {
			days = append(days, d)
		}
		byDay[d] = append(byDay[d], i)
	}
	sort.Slice(days, func(a, b int) bool { return days[a] < days[b] })
	rng := rand.New(rand.NewPCG(seed, streamBackground))
	var out []Order
	for _, d := range days {
		same := byDay[d]
		n := int(math.Round((scale - 1) * float64(len(same))))
		for k := 0; k < n; k++ {
			like := &replayed[same[rng.IntN(len(same))]]
			door := &replayed[rng.IntN(len(replayed))]
			o := Order{Platform: like.Platform, Category: scenario.Parcel, Created: like.Created, Product: -1,
				Ready: like.Ready, ReadyGiven: like.ReadyGiven, Warmup: true}
			o.Dest = newProjection(door.Dest).inverse([2]float64{rng.NormFloat64() * BackgroundJitterM, rng.NormFloat64() * BackgroundJitterM})
			o.Zone = int16(geo.Locate(w.Zones, o.Dest))
			o.WeightKg, o.VolumeL = like.WeightKg, like.VolumeL
			o.Promise = Promise211(o.Created)
			out = append(out, o)
		}
	}
	return out
}

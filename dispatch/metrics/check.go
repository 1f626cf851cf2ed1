package metrics

import (
	"math"
	"sort"
	"time"

	"github.com/paulmach/orb"

	"github.com/carriersim/carriersim/dispatch/replay"
	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/dispatch/sim"
	"github.com/carriersim/carriersim/geo"
)

// ReplayCheck sets what a replayed file recorded (LaDe) beside what the simulation made of the same orders.
type ReplayCheck struct {
	Orders    int           `json:"orders"`
	Delivered int           `json:"delivered"`
	Real      ReplayFigures `json:"real"`
	Sim       ReplayFigures `json:"simulated"`
}

// ReplayFigures are the figures compared.
type ReplayFigures struct {
	// ReadyToDeliveredMin is from the parcel being ready at the station (LaDe: the courier's accept time) to
	// its delivery, in minutes: p10, p50, p90 and the mean.
	ReadyToDeliveredMin [4]float64 `json:"ready_to_delivered_min_p10_p50_p90_mean"`
	// ParcelsPerCourierDay is the mean and median parcels a courier delivers in a day. The real figure counts
	// the parcels in the file, which may be a sample of the courier's work.
	ParcelsPerCourierDay [2]float64 `json:"parcels_per_courier_day_mean_p50"`
	// StationToDoorKm is the great-circle km from the station to the door: p50, p90. Real: from the courier's
	// GPS fix at accept (at the station for most rows) to the package.
	StationToDoorKm [2]float64 `json:"station_to_door_km_p50_p90"`
	// DeliveryHourShare is the share of deliveries in each hour of the day (local time).
	DeliveryHourShare [24]float64 `json:"delivery_hour_share"`
}

// CheckReplay compares a run of replayed orders (orders[i] made from recs[i], minute 0 at t0) with the file.
func CheckReplay(w *sim.World, recs []replay.Record, orders []sim.Order, t0 time.Time, run *sim.Run) ReplayCheck {
	c := ReplayCheck{Orders: len(recs)}
	var realLead, simLead, realKm, simKm []float64
	var realHours, simHours [24]float64
	realDays := map[[2]string]float64{}
	for i := range recs {
		r := &recs[i]
		if !r.Delivered.IsZero() && !r.Ready.IsZero() {
			realLead = append(realLead, r.Delivered.Sub(r.Ready).Minutes())
			realHours[r.Delivered.Hour()]++
			realDays[[2]string{r.Courier, r.Delivered.Format("2006-01-02")}]++
		}
		if !math.IsNaN(r.AcceptLon) && r.AcceptLon != 0 {
			realKm = append(realKm, geo.Distance(orb.Point{r.AcceptLon, r.AcceptLat}, orb.Point{r.Lon, r.Lat}).Km())
		}
		out := &run.Outcomes[i]
		if out.State != sim.Delivered {
			continue
		}
		c.Delivered++
		o := &orders[i]
		ready := o.Created
		if o.ReadyGiven {
			ready = o.Ready
		}
		simLead = append(simLead, float64(out.Done-ready))
		simHours[t0.Add(time.Duration(float64(out.Done)*float64(time.Minute))).Hour()]++
		st := w.Carriers[out.Carrier].Stations[out.Station].Point
		simKm = append(simKm, geo.Distance(st, o.Dest).Km())
	}
	// A simulated courier works all of a day's waves at one station: couriers that day are the most
	// vehicles any of the station's waves used.
	type sd struct{ station, day int }
	type wv struct {
		sd
		wave scenario.Minutes
	}
	perWave := map[wv]int{}
	parcels := map[sd]float64{}
	for _, r := range run.Routes {
		k := sd{r.Carrier<<16 | r.Station, int(r.WaveStart.DayOf())}
		perWave[wv{k, r.WaveStart}]++
		parcels[k] += float64(len(r.Stops))
	}
	couriers := map[sd]int{}
	for k, n := range perWave {
		couriers[k.sd] = max(couriers[k.sd], n)
	}
	var simDays []float64
	for k, p := range parcels {
		for i := 0; i < couriers[k]; i++ {
			simDays = append(simDays, p/float64(couriers[k]))
		}
	}
	var realDayVals []float64
	for _, n := range realDays {
		realDayVals = append(realDayVals, n)
	}
	c.Real = figures(realLead, realDayVals, realKm, realHours)
	c.Sim = figures(simLead, simDays, simKm, simHours)
	return c
}

func figures(lead, days, km []float64, hours [24]float64) ReplayFigures {
	var f ReplayFigures
	sort.Float64s(lead)
	sort.Float64s(days)
	sort.Float64s(km)
	f.ReadyToDeliveredMin = [4]float64{round(quantile(lead, 0.1), 1), round(quantile(lead, 0.5), 1), round(quantile(lead, 0.9), 1), round(mean(lead), 1)}
	f.ParcelsPerCourierDay = [2]float64{round(mean(days), 2), round(quantile(days, 0.5), 2)}
	f.StationToDoorKm = [2]float64{round(quantile(km, 0.5), 3), round(quantile(km, 0.9), 3)}
	var n float64
	for _, h := range hours {
		n += h
	}
	for i, h := range hours {
		if n > 0 {
			f.DeliveryHourShare[i] = round(h/n, 4)
		}
	}
	return f
}

func mean(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

package metrics

import (
	"fmt"

	"github.com/carriersim/carriersim/dispatch/sim"
)

// Calibration sets each calibration target beside the simulated value (calibrate --json).
type Calibration struct {
	Scenario string   `json:"scenario"`
	Policy   string   `json:"policy"`
	Seed     uint64   `json:"seed"`
	Targets  []Target `json:"targets"`
}

// Target is one figure of reality with the band the model should reach, the simulated value and whether it
// lies in the band. Source says where the band comes from (docs/market-data.md sections); a target the run
// could not measure has Missing set and OK false.
type Target struct {
	Metric    string  `json:"metric"`
	Low       float64 `json:"low"`
	High      float64 `json:"high"`
	Simulated float64 `json:"simulated"`
	Source    string  `json:"source"`
	OK        bool    `json:"ok"`
	Missing   string  `json:"missing,omitempty"`
}

func target(metric string, low, high, simulated float64, source string) Target {
	return Target{Metric: metric, Low: low, High: high, Simulated: simulated, Source: source,
		OK: simulated >= low && simulated <= high}
}

// The sourced bands (docs/market-data.md; docs/validation.md shows how they were derived).
const (
	// Courier days: the 2020 survey of 19,260 couriers (≈80% deliver at most 200 a day) and JD's Wuhan
	// station (≈142 a day), E.2.
	courierDayLow, courierDayHigh = 100, 200
	// Share of couriers at or below 200 parcels a day: ≈80% (E.2), read as 0.75-0.85.
	courierShareLow, courierShareHigh = 0.75, 0.85
	// Last mile per parcel: ≈0.85 CNY at outlet level (≈1 CNY delivery fee minus ≈0.15 outlet margin, E.3)
	// to ≈2.25 CNY for an employed courier (JD's ≈8,300 CNY a month over 26 days and ≈142 parcels a day, E.2).
	lastMileLow, lastMileHigh = 0.85, 2.25
	// All-in per parcel: Yunda's total cost of 1.83 CNY (Q1 2025, delivery fees included, E.1) to the
	// industry's average revenue of 8.02 CNY (2024, A.3), a ceiling for cost.
	allInLow, allInHigh = 1.83, 8.02
	// Beijing's outlets: 3,000+ express outlets and 700+ postal offices for 21.86 M residents (D.2), per
	// 10,000 residents.
	outletsLow, outletsHigh = 3000.0 / 2186, 3700.0 / 2186
	// Same-day 211 attainment: not found (F); an assumption that JD's promise is mostly kept.
	sameDayLow, sameDayHigh = 0.9, 1
	// Orders from another city: the State Post Bureau's full-course time, 53.88 h in 2024, ±15%, and its
	// 72-hour on-time rate, 83.95% in 2024 (83.75% in Q3 2023), ±4 points (F).
	fullCourseLow, fullCourseHigh = 53.88 * 0.85, 53.88 * 1.15
	within72Low, within72High     = 0.80, 0.88
	// Replay: within 15% of LaDe's real quantiles.
	replayTolerance = 0.15
)

// CalibrationTargets measures one policy's run (normally closed access: the networks as they are) against
// the sourced targets; p is the run's report. Stations per resident need the scenario's city.residents and
// demand.platforms_share. Same-day 211 attainment is JD Logistics' (carrier "jdl", whose promise it is)
// when the scenario has that carrier, else every carrier's.
func CalibrationTargets(w *sim.World, orders []sim.Order, run *sim.Run, p *PolicyReport) []Target {
	pr := &p.Productivity
	ts := []Target{
		target("parcels_per_courier_day_mean", courierDayLow, courierDayHigh, pr.ParcelsPerCourierDayMean,
			"≈80% of couriers deliver ≤200 a day (survey of 19,260 couriers, 2020); JD Wuhan station ≈142 (market-data E.2)"),
		target("couriers_at_most_200_share", courierShareLow, courierShareHigh, pr.AtMost200,
			"≈80% of couriers deliver ≤200 parcels a day (2020 survey, market-data E.2)"),
	}
	var n, lastMile, all float64
	for _, g := range p.PlatformCategory {
		if g.Category != "parcel" {
			continue
		}
		d := float64(g.Delivered)
		n += d
		lastMile += g.Cost.LastMile * d
		all += g.Cost.PerOrder * d
	}
	if n > 0 {
		lastMile, all = lastMile/n, all/n
	}
	ts = append(ts,
		target("last_mile_cost_per_parcel_cny", lastMileLow, lastMileHigh, round(lastMile, 3),
			"outlet-level ≈0.85 (≈1 CNY delivery fee − ≈0.15 outlet margin, E.3) to ≈2.25 (JD employer cost 8,300 CNY/month over 26 days at ≈142 parcels a day, E.2)"),
		target("all_in_cost_per_parcel_cny", allInLow, allInHigh, round(all, 3),
			"Yunda total cost 1.83 CNY per parcel (Q1 2025, E.1) to the industry's average revenue 8.02 (2024, A.3)"))
	sc := w.Scenario
	stations := 0
	for _, nw := range w.Carriers {
		stations += len(nw.Stations)
	}
	outlets := Target{Metric: "stations_per_10k_residents", Low: round(outletsLow*sc.Demand.PlatformsShare, 3),
		High:   round(outletsHigh*sc.Demand.PlatformsShare, 3),
		Source: fmt.Sprintf("Beijing 3,000+ express outlets and 700+ postal offices for 21.86 M residents (2025, D.2), times the scenario's platforms' share of parcels (%.2f)", sc.Demand.PlatformsShare)}
	if sc.City.Residents > 0 && sc.Demand.PlatformsShare > 0 {
		outlets = target(outlets.Metric, outlets.Low, outlets.High, round(float64(stations)/sc.City.Residents*1e4, 3), outlets.Source)
	} else {
		outlets.Missing = "the scenario states no city.residents or demand.platforms_share"
	}
	ts = append(ts, outlets)
	ts = append(ts, sameDay(w, orders, run))
	for _, k := range p.OnTimeByPromise {
		if k.Promise != PromiseRemote {
			continue
		}
		ts = append(ts,
			target("remote_order_to_door_hours_mean", round(fullCourseLow, 1), round(fullCourseHigh, 1), round(k.Latency.Mean/60, 1),
				"State Post Bureau full-course time 53.88 h (collection to delivery, key regions, 2024, market-data F) ±15%"),
			target("remote_within_72h_rate", within72Low, within72High, k.Within72h,
				"State Post Bureau 72-hour on-time rate 83.95% (2024; 83.75% Q3 2023, market-data F) ±4 points"))
	}
	return ts
}

// sameDay is the same-day 211 target: the share of city-warehouse orders due the day they were created that
// JD Logistics (or, without it, any carrier) delivered on time.
func sameDay(w *sim.World, orders []sim.Order, run *sim.Run) Target {
	t := Target{Metric: "on_time_211_same_day", Low: sameDayLow, High: sameDayHigh,
		Source: "assumption: JD 211 attainment not found (market-data F); the promise is taken to be mostly kept; measured on JD Logistics' orders"}
	carrier, _ := w.Scenario.CarrierIndex("jdl")
	var n, onTime int
	for i := range orders {
		o, out := &orders[i], &run.Outcomes[i]
		if o.Warmup || PromiseKind(o) != Promise211SameDay || (carrier >= 0 && int(out.Carrier) != carrier) {
			continue
		}
		n++
		if out.State == sim.Delivered && !out.Late(o) {
			onTime++
		}
	}
	if n == 0 {
		t.Missing = "no 211 same-day orders"
		return t
	}
	return target(t.Metric, t.Low, t.High, round(float64(onTime)/float64(n), 4), t.Source)
}

// ReplayTargets sets the replayed accept->delivery p50 and p90 against LaDe's real ones, ±15%.
func ReplayTargets(c *ReplayCheck) []Target {
	src := "LaDe Jilin delivery rows (Cainiao), real accept->delivery quantile ±15%"
	var ts []Target
	for _, q := range []struct {
		name string
		i    int
	}{{"replay_accept_to_delivery_p50_min", 1}, {"replay_accept_to_delivery_p90_min", 2}} {
		real := c.Real.ReadyToDeliveredMin[q.i]
		ts = append(ts, target(q.name, round(real*(1-replayTolerance), 1), round(real*(1+replayTolerance), 1),
			c.Sim.ReadyToDeliveredMin[q.i], src))
	}
	return ts
}

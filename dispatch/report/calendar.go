package report

import (
	"math"
	"strconv"
	"time"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/dispatch/sim"
)

// chinaTime is China Standard Time, UTC+8 all year: the zone of every calendar time the writers print.
var chinaTime = time.FixedZone("CST", 8*3600)

// defaultDay0 is the simulated day's date when none is given: the CLI's default --date.
func defaultDay0() time.Time { return time.Date(2025, 3, 18, 0, 0, 0, 0, time.UTC) }

// Origin is the instant of a comparison's minute 0: for a replay, c.Start (midnight before its earliest
// order, in the file's zone); otherwise midnight China Standard Time of day0's date (its year, month and day
// in its own location). A zero day0 means 2025-03-18, the CLI's default --date.
func Origin(c *dispatch.Comparison, day0 time.Time) time.Time {
	if c != nil && !c.Start.IsZero() {
		return c.Start
	}
	if day0.IsZero() {
		day0 = defaultDay0()
	}
	return time.Date(day0.Year(), day0.Month(), day0.Day(), 0, 0, 0, 0, chinaTime)
}

// Timestamp formats the minute m after origin as RFC 3339 in China Standard Time, to the nearest second:
// "2025-03-18T14:05:30+08:00".
func Timestamp(origin time.Time, m scenario.Minutes) string {
	return instant(origin, m).In(chinaTime).Format(time.RFC3339)
}

// instant is the minute m after origin, to the nearest second.
func instant(origin time.Time, m scenario.Minutes) time.Time {
	return origin.Add(time.Duration(math.Round(float64(m)*60)) * time.Second)
}

// RouteID names route i of a policy's run (its index in sim.Run.Routes): "<policy>-<i>", as in "open-17".
// routes.csv, orders.csv, the map's order and route features and the trips all use it.
func RouteID(policy string, i int) string { return policy + "-" + strconv.Itoa(i) }

// visits records, for one run, which routes visited each order: main is the route that delivered the goods
// (or, for an integrated install, the crew that brought and installed them), install the installer crew's
// route of a split install. -1 means none. Indices are into the run's Routes.
type visits struct {
	main, install []int32
	// vehicle numbers each route within its station-wave, from 1 in the order the run lists them.
	vehicle []int32
}

// visitsOf indexes a run's routes by the orders they visited.
func visitsOf(c *dispatch.Comparison, run *sim.Run) *visits {
	v := &visits{main: make([]int32, len(c.Orders)), install: make([]int32, len(c.Orders)),
		vehicle: make([]int32, len(run.Routes))}
	for i := range v.main {
		v.main[i], v.install[i] = -1, -1
	}
	type waveKey struct {
		carrier, station, fleet int
		start                   scenario.Minutes
	}
	perWave := map[waveKey]int32{}
	for ri := range run.Routes {
		r := &run.Routes[ri]
		k := waveKey{r.Carrier, r.Station, r.Fleet, r.WaveStart}
		perWave[k]++
		v.vehicle[ri] = perWave[k]
		cr := c.World.Carriers[r.Carrier].Carrier
		installer := crewOnly(cr, r.Fleet)
		for _, id := range r.Stops {
			vi := visit{v.main[id], v.install[id]}
			vi.visitedBy(int32(ri), installer)
			v.main[id], v.install[id] = vi.main, vi.install
		}
	}
	return v
}

// crewOnly reports whether fleet's routes only install: a crew of the split model, whose goods came on
// another route.
func crewOnly(cr *scenario.Carrier, fleet int) bool {
	return cr.InstallModel == scenario.Split && cr.Fleets[fleet].IsInstall()
}

// outcomes gives a policy's final orders to the writers, in id order: from a run kept whole
// (keptOutcomes) or from a Stream's records.
type outcomes interface {
	// outcome returns order id's outcome and the routes that visited it.
	outcome(id int32) (sim.Outcome, visit, error)
}

// kept is a run kept whole with its visits.
type kept struct {
	run *sim.Run
	vis *visits
}

func keptOutcomes(c *dispatch.Comparison, run *sim.Run) kept { return kept{run, visitsOf(c, run)} }

func (k kept) outcome(id int32) (sim.Outcome, visit, error) {
	return k.run.Outcomes[id], visit{k.vis.main[id], k.vis.install[id]}, nil
}

// routeOf returns the id of route ri of policy, or "" when ri is -1.
func routeOf(policy string, ri int32) string {
	if ri < 0 {
		return ""
	}
	return RouteID(policy, int(ri))
}

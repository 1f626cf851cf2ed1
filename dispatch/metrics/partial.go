package metrics

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/mapping"
	"github.com/DataDog/sketches-go/ddsketch/store"

	"github.com/carriersim/carriersim/dispatch/sim"
)

// Mergeable partial results. A sharded run (dispatch/shard) cannot keep every order's latency: each shard
// keeps, per city and group, counts, sums and a latency sketch, and a merge adds them. Everything here
// merges exactly and in any grouping except floating-point sums, whose result depends on the order of the
// additions: callers add cells in a fixed order (dispatch/shard sorts cities by code) so that merged bytes
// are the same however the partials were produced.

// SketchAccuracy is the relative accuracy of latency sketches: a sketch quantile q̂ of a true nearest-rank
// quantile q satisfies |q̂ − q| ≤ SketchAccuracy × q.
const SketchAccuracy = 0.005

// Sketch is a mergeable quantile sketch of non-negative values (DDSketch, logarithmic mapping, unbounded
// dense store). Its bins hold integer counts, so merging is exact, commutative and associative. The zero
// value is not usable: use NewSketch.
type Sketch struct {
	s *ddsketch.DDSketch
}

// NewSketch returns an empty sketch with relative accuracy SketchAccuracy.
func NewSketch() *Sketch {
	m, err := mapping.NewLogarithmicMapping(SketchAccuracy)
	if err != nil {
		panic(err) // SketchAccuracy is a valid constant
	}
	return &Sketch{ddsketch.NewDDSketch(m, store.NewDenseStore(), store.NewDenseStore())}
}

// Add records one value; negative values count as 0 (latencies are never negative).
func (k *Sketch) Add(v float64) {
	_ = k.s.Add(max(0, v)) // only NaN and values above 1e300 fail
}

// Merge adds other's counts to k.
func (k *Sketch) Merge(other *Sketch) {
	if err := k.s.MergeWith(other.s); err != nil {
		panic(err) // both sketches share one mapping by construction
	}
}

// Count is the number of values recorded.
func (k *Sketch) Count() int { return int(math.Round(k.s.GetCount())) }

// Quantile returns the sketch's q-quantile (0 for an empty sketch).
func (k *Sketch) Quantile(q float64) float64 {
	v, err := k.s.GetValueAtQuantile(q)
	if err != nil {
		return 0
	}
	return v
}

// sketchJSON is a sketch's stored form: the count of zeros and the (bin index, count) pairs of the
// positive store in index order, so the same counts always give the same bytes.
type sketchJSON struct {
	Accuracy float64      `json:"relative_accuracy"`
	Zero     int          `json:"zero"`
	Bins     [][2]float64 `json:"bins"`
}

// MarshalJSON writes the sketch's bins in index order.
func (k *Sketch) MarshalJSON() ([]byte, error) {
	out := sketchJSON{Accuracy: SketchAccuracy, Zero: int(k.s.GetZeroCount()), Bins: [][2]float64{}}
	k.s.GetPositiveValueStore().ForEach(func(i int, c float64) bool {
		out.Bins = append(out.Bins, [2]float64{float64(i), c})
		return false
	})
	return json.Marshal(out)
}

// UnmarshalJSON reads a sketch written by MarshalJSON; a different accuracy is an error.
func (k *Sketch) UnmarshalJSON(b []byte) error {
	var in sketchJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	if in.Accuracy != SketchAccuracy {
		return fmt.Errorf("metrics: sketch relative accuracy %g, want %g", in.Accuracy, SketchAccuracy)
	}
	*k = *NewSketch()
	if in.Zero < 0 {
		return fmt.Errorf("metrics: sketch zero count %d is negative", in.Zero)
	}
	if in.Zero > 0 {
		_ = k.s.AddWithCount(0, float64(in.Zero))
	}
	for _, b := range in.Bins {
		if b[1] <= 0 || b[0] != math.Trunc(b[0]) || b[1] != math.Trunc(b[1]) {
			return fmt.Errorf("metrics: sketch bin %v: expected an integer index and a positive integer count", b)
		}
		k.s.GetPositiveValueStore().AddWithCount(int(b[0]), b[1])
	}
	return nil
}

// Cell is the mergeable form of Metrics: counts, sums of money, km, vehicle shares and latency minutes,
// and a latency sketch. Cost parts and km are over delivered orders, as in Metrics. Linehaul, Sorting,
// LastMile and Install are variable costs; FixedLastMile and FixedInstall are the delivered orders' shares of
// their city's fixed daily costs (stations and vehicles, crews), allocated as compare allocates them.
type Cell struct {
	Orders           int            `json:"orders"`
	Delivered        int            `json:"delivered"`
	Late             int            `json:"late"`
	Unserved         int            `json:"unserved"`
	UnservedByReason map[string]int `json:"unserved_by_reason"`
	Linehaul         float64        `json:"linehaul_cny"`
	Sorting          float64        `json:"sorting_cny"`
	LastMile         float64        `json:"last_mile_cny"`
	Install          float64        `json:"install_cny"`
	FixedLastMile    float64        `json:"fixed_last_mile_cny"`
	FixedInstall     float64        `json:"fixed_install_cny"`
	Km               float64        `json:"km"`
	Vehicles         float64        `json:"vehicles"`
	LatencySum       float64        `json:"latency_sum_min"`
	Latency          *Sketch        `json:"latency_sketch"`
}

// NewCell returns an empty cell.
func NewCell() Cell { return Cell{UnservedByReason: map[string]int{}, Latency: NewSketch()} }

// cell is a's mergeable form with the run's fixed rates; a must keep a sketch (a partial's cell).
func (a *acc) cell(rates fixedRates) Cell {
	fx := a.fixed.cost(rates)
	c := Cell{Orders: a.orders, Delivered: a.delivered, Late: a.late, Unserved: a.unserved, UnservedByReason: map[string]int{},
		Linehaul: a.linehaul, Sorting: a.sorting, LastMile: a.lastMile, Install: a.inst, FixedLastMile: fx.lastMile,
		FixedInstall: fx.install, Km: a.km, Vehicles: a.vehicles, LatencySum: a.latSum, Latency: a.sketch}
	maps.Copy(c.UnservedByReason, a.reasons)
	return c
}

// Merge adds other into c. Counts and sketches merge exactly; sums depend on the order of Merge calls.
func (c *Cell) Merge(other *Cell) {
	c.Orders += other.Orders
	c.Delivered += other.Delivered
	c.Late += other.Late
	c.Unserved += other.Unserved
	for _, r := range slices.Sorted(maps.Keys(other.UnservedByReason)) {
		c.UnservedByReason[r] += other.UnservedByReason[r]
	}
	c.Linehaul += other.Linehaul
	c.Sorting += other.Sorting
	c.LastMile += other.LastMile
	c.Install += other.Install
	c.FixedLastMile += other.FixedLastMile
	c.FixedInstall += other.FixedInstall
	c.Km += other.Km
	c.Vehicles += other.Vehicles
	c.LatencySum += other.LatencySum
	c.Latency.Merge(other.Latency)
}

// Metrics reports the cell as Metrics, rounded as compare rounds them; latency quantiles are the sketch's.
func (c *Cell) Metrics() Metrics {
	a := c.acc()
	m := a.metricsWith(c.fixed()) // no latencies in a: its latency is zero
	if c.Delivered > 0 {
		m.Latency = Latency{Mean: round(c.LatencySum/float64(c.Delivered), 1), P50: round(c.Latency.Quantile(0.5), 1),
			P90: round(c.Latency.Quantile(0.9), 1), P99: round(c.Latency.Quantile(0.99), 1)}
	}
	return m
}

// acc is the cell as an accumulator without latencies.
func (c *Cell) acc() acc {
	return acc{orders: c.Orders, delivered: c.Delivered, late: c.Late, unserved: c.Unserved, reasons: c.UnservedByReason,
		linehaul: c.Linehaul, sorting: c.Sorting, lastMile: c.LastMile, inst: c.Install, km: c.Km, vehicles: c.Vehicles}
}

func (c *Cell) fixed() fixedPart {
	return fixedPart{lastMile: c.FixedLastMile, install: c.FixedInstall}
}

// LongRun is the long-run cost of the cell's orders on networks lr, as compare reports it for a policy's
// total (cost_cny_long_run): lr's fixed cost and the cell's variable cost over its delivered orders.
func (c *Cell) LongRun(lr *LongRunPartial) LongRunCost {
	a := c.acc()
	total, fixed := a.money(c.fixed())
	return lr.Cost(total-fixed, c.Delivered)
}

// GroupCell is one platform x carrier x category group's cell.
type GroupCell struct {
	Platform string `json:"platform"`
	Carrier  string `json:"carrier"`
	Category string `json:"category"`
	Cell
}

// PolicyPartial is one policy's mergeable result: the total, whole vehicles used, and its groups in
// (platform, carrier, category) index order as compare lists them.
type PolicyPartial struct {
	Policy       string      `json:"policy"`
	Total        Cell        `json:"total"`
	VehiclesUsed int         `json:"vehicles_used"`
	Groups       []GroupCell `json:"groups"`
	// Fleets are the run's fleet reports (FleetReport): booked and offered capacity add up across runs.
	Fleets []FleetReport `json:"fleets"`
	// LongRun is the run's networks resized to its demand (LongRunCost without the variable cost).
	LongRun LongRunPartial `json:"long_run"`
}

// MergeFleets adds fleet reports of several runs by carrier and fleet, in the order given (booked and
// offered are sums of whole units, so the order does not change them), and recomputes utilisation. The
// result lists fleets in order of first appearance.
func MergeFleets(runs ...[]FleetReport) []FleetReport {
	var out []FleetReport
	at := map[[2]string]int{}
	for _, fs := range runs {
		for _, f := range fs {
			k := [2]string{f.Carrier, f.Fleet}
			i, ok := at[k]
			if !ok {
				i = len(out)
				at[k] = i
				out = append(out, FleetReport{Carrier: f.Carrier, Fleet: f.Fleet, Unit: f.Unit, FromDay: f.FromDay, ToDay: f.ToDay})
			}
			out[i].UnitsPerWave += f.UnitsPerWave
			out[i].Booked += f.Booked
			out[i].Offered += f.Offered
		}
	}
	for i := range out {
		if out[i].Offered > 0 {
			out[i].Utilisation = round(out[i].Booked/out[i].Offered, 4)
		}
	}
	return out
}

// Partial is the policy's mergeable result once every order and route of run has been folded by a tally
// from NewPartialTally, counting as Report does: the day's orders only (not warm-up installs), each
// vehicle's share split equally over the day's stops it served. It reads the run's policy and ledger only.
func (t *Tally) Partial(run *sim.Run) PolicyPartial {
	rates := allocateFixed(t.w, &t.fixed).rates
	p := PolicyPartial{Policy: run.Policy.Name, Total: t.total.cell(rates), VehiclesUsed: t.vehicles, Fleets: fleetUse(t.w, run),
		LongRun: longRunNetworks(t.w, t.served, t.accepted)}
	keys := slices.Collect(maps.Keys(t.groups))
	sortKeys(keys)
	for _, k := range keys {
		platform, carrier, category := groupNames(t.w, k)
		p.Groups = append(p.Groups, GroupCell{Platform: platform, Carrier: carrier, Category: category, Cell: t.groups[k].cell(rates)})
	}
	return p
}

// Partial builds one policy's mergeable result from a run that kept its orders, folding its routes and
// orders as a partial tally fed during the run (NewPartialTally) would fold them: the same bytes.
func Partial(w *sim.World, orders []sim.Order, run *sim.Run) PolicyPartial {
	t := NewPartialTally(w)
	t.replay(orders, run)
	return t.Partial(run)
}

package metrics

import (
	"math"
)

// Estimate is a figure over paired replications: its mean, sample standard deviation and the 95% confidence
// interval of the mean from Student's t-distribution with N-1 degrees of freedom. With one replication the
// standard deviation and the interval's half-width are 0 and Low = High = Mean.
type Estimate struct {
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	Low  float64 `json:"ci95_low"`
	High float64 `json:"ci95_high"`
	N    int     `json:"n"`
}

// HalfWidth is half the width of the confidence interval.
func (e Estimate) HalfWidth() float64 { return (e.High - e.Low) / 2 }

// Estimated summarises values, one per replication.
func Estimated(values []float64) Estimate {
	n := len(values)
	if n == 0 {
		return Estimate{}
	}
	var sum float64
	for _, v := range values {
		sum += v
	}
	mean := sum / float64(n)
	e := Estimate{Mean: mean, Low: mean, High: mean, N: n}
	if n < 2 {
		return e
	}
	var ss float64
	for _, v := range values {
		ss += (v - mean) * (v - mean)
	}
	e.SD = math.Sqrt(ss / float64(n-1))
	h := TQuantile975(n-1) * e.SD / math.Sqrt(float64(n))
	e.Low, e.High = mean-h, mean+h
	return e
}

// tTable holds the 97.5% quantile of Student's t for 1 to 30 degrees of freedom (standard tables).
var tTable = [...]float64{12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
	2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
	2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423}

// TQuantile975 is the 97.5% quantile of Student's t-distribution with df degrees of freedom: the table for
// df <= 30, and above it the Cornish-Fisher expansion around the normal quantile, whose error there is below
// 1e-4.
func TQuantile975(df int) float64 {
	if df < 1 {
		return math.NaN()
	}
	if df <= len(tTable) {
		return tTable[df-1]
	}
	const z = 1.959963984540054
	d := float64(df)
	z3, z5, z7 := z*z*z, math.Pow(z, 5), math.Pow(z, 7)
	return z + (z3+z)/(4*d) + (5*z5+16*z3+3*z)/(96*d*d) + (3*z7+19*z5+17*z3-15*z)/(384*d*d*d)
}

// Headline is one figure of a policy report that replications summarise, with the name it has in the
// JSON and CSV outputs.
type Headline struct {
	Name  string
	Unit  string
	Value func(*PolicyReport) float64
}

// Headlines are the figures replications and sweeps summarise, in report order.
var Headlines = []Headline{
	{"cost_per_order_cny", "CNY", func(p *PolicyReport) float64 { return p.Cost.PerOrder }},
	{"latency_p50_h", "h", func(p *PolicyReport) float64 { return p.Latency.P50 / 60 }},
	{"latency_p90_h", "h", func(p *PolicyReport) float64 { return p.Latency.P90 / 60 }},
	{"on_time_rate", "share", func(p *PolicyReport) float64 { return p.OnTimeRate }},
	{"delivered", "orders", func(p *PolicyReport) float64 { return float64(p.Delivered) }},
	{"unserved", "orders", func(p *PolicyReport) float64 { return float64(p.Unserved) }},
	{"late", "orders", func(p *PolicyReport) float64 { return float64(p.Late) }},
	{"km_per_order", "km", func(p *PolicyReport) float64 { return p.KmPerOrder }},
	{"vehicles_used", "vehicle-waves", func(p *PolicyReport) float64 { return p.VehiclesUsed }},
	{"cost_total_cny", "CNY", func(p *PolicyReport) float64 { return p.Cost.Total }},
	{"cost_fixed_cny", "CNY", func(p *PolicyReport) float64 { return p.Cost.Fixed }},
	{"cost_per_order_long_run_cny", "CNY", func(p *PolicyReport) float64 { return p.LongRun.PerOrder }},
	{"parcels_per_courier_day", "parcels", func(p *PolicyReport) float64 { return p.Productivity.ParcelsPerCourierDayMean }},
}

// MetricEstimate is one headline figure's estimate.
type MetricEstimate struct {
	Metric string `json:"metric"`
	Estimate
}

// PolicyEstimates are one policy's headline figures over the replications.
type PolicyEstimates struct {
	Policy  string           `json:"policy"`
	Metrics []MetricEstimate `json:"metrics"`
}

// DifferenceEstimates are the paired differences Policy minus Baseline of every headline figure: each
// replication's difference, summarised, so the interval reflects the pairing (both policies saw the same
// orders). Percent is the mean difference over the baseline's mean, in percent (0 when that mean is 0).
type DifferenceEstimates struct {
	Policy   string             `json:"policy"`
	Baseline string             `json:"baseline"`
	Metrics  []MetricDifference `json:"metrics"`
}

// MetricDifference is one headline figure's paired difference.
type MetricDifference struct {
	Metric string `json:"metric"`
	Estimate
	Percent float64 `json:"percent"`
}

// ReplicationSummary is the report of paired replications: replication i ran order seed Seeds[i] (and
// network seed NetworkSeeds[i] when the layout varied), every policy on the same orders.
type ReplicationSummary struct {
	Replications int                   `json:"replications"`
	Seeds        []uint64              `json:"seeds"`
	NetworkSeeds []uint64              `json:"network_seeds,omitempty"`
	Policies     []PolicyEstimates     `json:"policies"`
	Differences  []DifferenceEstimates `json:"differences"`
}

// Summarize summarises the reports of paired replications (the same policies in the same order in each):
// every policy's headline figures, and the paired difference of every pair of policies, later minus
// earlier in report order.
func SummarizeReplications(reports []Report) ReplicationSummary {
	s := ReplicationSummary{Replications: len(reports)}
	if len(reports) == 0 {
		return s
	}
	for _, r := range reports {
		s.Seeds = append(s.Seeds, r.Seed)
	}
	pols := reports[0].Policies
	values := func(pi int, h Headline) []float64 {
		v := make([]float64, len(reports))
		for i := range reports {
			v[i] = h.Value(&reports[i].Policies[pi])
		}
		return v
	}
	for pi, p := range pols {
		pe := PolicyEstimates{Policy: p.Policy}
		for _, h := range Headlines {
			pe.Metrics = append(pe.Metrics, MetricEstimate{Metric: h.Name, Estimate: Estimated(values(pi, h))})
		}
		s.Policies = append(s.Policies, pe)
	}
	for bi := range pols {
		for pi := bi + 1; pi < len(pols); pi++ {
			d := DifferenceEstimates{Policy: pols[pi].Policy, Baseline: pols[bi].Policy}
			for _, h := range Headlines {
				a, b := values(pi, h), values(bi, h)
				diff := make([]float64, len(a))
				var base float64
				for i := range a {
					diff[i] = a[i] - b[i]
					base += b[i]
				}
				md := MetricDifference{Metric: h.Name, Estimate: Estimated(diff)}
				if base != 0 {
					md.Percent = 100 * md.Mean / (base / float64(len(b)))
				}
				d.Metrics = append(d.Metrics, md)
			}
			s.Differences = append(s.Differences, d)
		}
	}
	return s
}

// Sweep is the result of a parameter sweep: every point of the grid of Vary's values (the last axis
// varying fastest), each with its replications' summary.
type Sweep struct {
	Vary   []SweepAxis  `json:"vary"`
	Points []SweepPoint `json:"points"`
}

// SweepAxis is one swept scenario field and its values, as given (--vary PATH=V1,V2,...).
type SweepAxis struct {
	Path   string   `json:"path"`
	Values []string `json:"values"`
}

// SweepPoint is one point of the grid: the value of each axis, in Vary's order, and its summary.
type SweepPoint struct {
	Values  []string           `json:"values"`
	Summary ReplicationSummary `json:"summary"`
}

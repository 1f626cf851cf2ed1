package shard

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/metrics"
	"github.com/carriersim/carriersim/dispatch/scenario"
)

// PartialFormat is the version of the partial's fields that this carriersim writes and merges. Format 2
// added the cells' fixed costs and the policies' long-run networks; partials written before (no
// "partial_format": format 1) lack them and are refused rather than merged as zero.
const PartialFormat = 2

// Partial is one shard's mergeable result: per city, per policy, counts, sums and latency sketches.
// It carries what the merge needs of its plan (the plan ID stamps it), so partials merge without the plan.
type Partial struct {
	Format       int           `json:"partial_format"`
	Plan         string        `json:"plan_id"`
	Scenario     string        `json:"scenario"`
	ScenarioHash string        `json:"scenario_hash"`
	Policies     []string      `json:"policies"`
	Seed         uint64        `json:"seed"`
	Scale        float64       `json:"scale"`
	Shard        int           `json:"shard"`
	Shards       int           `json:"shards"`
	Cities       []CityPartial `json:"cities"`
}

// CityPartial is one city's result: each policy's total and groups.
type CityPartial struct {
	City
	DayOrdersSimulated int                     `json:"day_orders_simulated"`
	Policies           []metrics.PolicyPartial `json:"policies"`
}

// Options tune a shard run; the result does not depend on them.
type Options struct {
	// Jobs is how many cities run at once (0: GOMAXPROCS); each city's policies share one core.
	Jobs int
	// CityDone, when not nil, is called after each city, from one goroutine at a time.
	CityDone func(c City, done, total int)
	// KeepOrders keeps every order and route of a city until the city ends and builds its partial from them
	// (metrics.Partial), instead of folding each order as it finishes and releasing it: the same partial for
	// several times the memory (tests).
	KeepOrders bool
}

// PartialName is the file name of shard index's partial in a run folder.
func PartialName(index int) string { return fmt.Sprintf("partial-%05d.json", index) }

// CityScenario is the scenario city c is simulated with: the template with the city's circle, volume,
// peak and network seed.
func (p *Plan) CityScenario(tmpl *scenario.Scenario, c City) *scenario.Scenario {
	sc := *tmpl
	sc.Name = p.Scenario + "/" + c.Code
	sc.City = scenario.City{Name: c.Pinyin, Prefecture: c.Code, RadiusKm: c.RadiusKm, Spread: p.Spread, UniformShare: p.UniformShare}
	sc.Demand.Orders = c.Orders
	sc.Demand.PeakMultiplier = p.PeakMultiplier
	sc.Demand.NetworkSeed = c.NetworkSeed
	sc.Demand.OriginDistanceDecay = p.OriginDistanceDecay
	sc.Demand.OriginShares = p.OriginShares
	return &sc
}

// Run simulates shard index of the plan: each of its cities is one dispatch.Compare of the plan's
// policies on the city's scenario and seed.
func Run(ctx context.Context, p *Plan, index int, opt Options) (*Partial, error) {
	if index < 0 || index >= len(p.Shards) {
		return nil, badInput("shard index %d: the plan has shards 0 to %d", index, len(p.Shards)-1)
	}
	tmpl, err := scenario.Load(p.Template)
	if err != nil {
		return nil, badInput("template: %v", err)
	}
	if h := templateHash(p.Template); h != p.TemplateHash {
		return nil, badInput("template %s of this carriersim (hash %s) differs from the plan's (%s): run every shard with the carriersim that wrote the plan",
			p.Template, h, p.TemplateHash)
	}
	codes := p.Shards[index].Cities
	out := &Partial{Format: PartialFormat, Plan: p.ID, Scenario: p.Scenario, ScenarioHash: p.ScenarioHash, Policies: p.Policies, Seed: p.Seed,
		Scale: p.Scale, Shard: index, Shards: len(p.Shards), Cities: make([]CityPartial, len(codes))}
	jobs := opt.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var mu sync.Mutex
	var firstErr error // the failure that cancelled the others
	done := 0
	var wg sync.WaitGroup
	for range min(jobs, len(codes)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				c, _ := p.city(codes[i])
				cp, err := runCity(ctx, p, tmpl, c, opt.KeepOrders)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("city %s (%s): %w", c.Code, c.Pinyin, err)
					}
					mu.Unlock()
					cancel()
					continue
				}
				out.Cities[i] = cp
				mu.Lock()
				done++
				if opt.CityDone != nil {
					opt.CityDone(c, done, len(codes))
				}
				mu.Unlock()
			}
		}()
	}
	for i := range codes {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// runCity runs one city's comparison and keeps its mergeable results: folded as its orders finish, each
// order then released, unless keep.
func runCity(ctx context.Context, p *Plan, tmpl *scenario.Scenario, c City, keep bool) (CityPartial, error) {
	cmp, err := dispatch.Compare(ctx, dispatch.Options{Scenario: p.CityScenario(tmpl, c), Policies: p.Policies, Seed: c.Seed, Workers: 1,
		ReleaseOrders: !keep, Partials: !keep})
	if err != nil {
		return CityPartial{}, err
	}
	cp := CityPartial{City: c, Policies: cmp.Partials}
	for i := range cmp.Orders {
		if !cmp.Orders[i].Warmup {
			cp.DayOrdersSimulated++
		}
	}
	if keep {
		for _, run := range cmp.Runs {
			cp.Policies = append(cp.Policies, metrics.Partial(cmp.World, cmp.Orders, run))
		}
	}
	return cp, nil
}

// Write writes the partial into dir as PartialName(p.Shard), atomically: a rerun replaces it whole.
func (p *Partial) Write(dir string) (string, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, PartialName(p.Shard))
	return path, writeAtomic(path, append(b, '\n'))
}

// ReadPartial reads a partial file.
func ReadPartial(path string) (*Partial, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p Partial
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, badInput("%s: not a partial result: %v", path, err)
	}
	if p.Plan == "" {
		return nil, badInput("%s: not a partial result: no plan_id", path)
	}
	switch {
	case p.Format < PartialFormat: // format 1 had no partial_format
		return nil, badInput("%s is a partial of format %d, written by an older carriersim without fixed costs: this carriersim merges format %d only; run its shard again with this carriersim",
			path, max(1, p.Format), PartialFormat)
	case p.Format > PartialFormat:
		return nil, badInput("%s is a partial of format %d, written by a newer carriersim: this carriersim merges format %d only; merge with the carriersim that ran the shards",
			path, p.Format, PartialFormat)
	}
	for _, c := range p.Cities {
		for _, pp := range c.Policies {
			missing := pp.Total.Latency == nil
			for _, g := range pp.Groups {
				missing = missing || g.Latency == nil
			}
			if missing {
				return nil, badInput("%s: not a partial result: city %s, policy %s has a cell without latency_sketch", path, c.Code, pp.Policy)
			}
		}
	}
	return &p, nil
}

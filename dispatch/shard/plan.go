package shard

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// Plan says which cities each shard simulates. It is written once (carriersim shard plan) and read by
// every shard and by the merge; its ID stamps every partial, so partials of another plan are refused.
type Plan struct {
	ID string `json:"plan_id"`
	// Scenario names the national scenario; ScenarioHash is the hash of it and its template.
	Scenario     string   `json:"scenario"`
	ScenarioHash string   `json:"scenario_hash"`
	Template     string   `json:"template"`
	TemplateHash string   `json:"template_hash"`
	Policies     []string `json:"policies"`
	Seed         uint64   `json:"seed"`
	Scale        float64  `json:"scale"`
	// PeakMultiplier, Spread and UniformShare are copied from the national scenario.
	PeakMultiplier float64 `json:"peak_multiplier"`
	Spread         float64 `json:"spread"`
	UniformShare   float64 `json:"uniform_share"`
	// OriginDistanceDecay is copied from the national scenario too.
	OriginDistanceDecay float64            `json:"origin_distance_decay,omitempty"`
	OriginShares        map[string]float64 `json:"origin_shares,omitempty"`
	Cities              []City             `json:"cities"`
	Shards              []PlanShard        `json:"shards"`
}

// PlanShard is one shard: the codes of its cities (biggest first), their expected orders on the day and
// the largest city's, which sets the shard's peak memory (cities in flight, not the shard, hold orders).
type PlanShard struct {
	Index          int      `json:"index"`
	Cities         []string `json:"cities"`
	DayOrders      int      `json:"day_orders"`
	LargestCityDay int      `json:"largest_city_day_orders"`
}

// NewPlan splits the cities of n at scale into shards of balanced expected work: cities, biggest first,
// each go to the shard with the least work so far (the lowest index on ties). The work of a city is its
// expected orders on the day; every policy runs on the same orders, so policies do not change the balance.
func NewPlan(n *National, hash string, shards int, scale float64) (*Plan, error) {
	cities, err := n.CitiesAt(scale)
	if err != nil {
		return nil, err
	}
	if shards < 1 || shards > len(cities) {
		return nil, badInput("shards: expected 1 to %d (one city at least per shard), got %d", len(cities), shards)
	}
	p := &Plan{Scenario: n.Name, ScenarioHash: hash, Template: n.Template, TemplateHash: templateHash(n.Template), Policies: n.Policies, Seed: n.Seed,
		Scale: scale, PeakMultiplier: n.PeakMultiplier, Spread: n.Spread, UniformShare: n.UniformShare,
		OriginDistanceDecay: n.OriginDistanceDecay, OriginShares: n.OriginShares, Cities: cities,
		Shards: make([]PlanShard, shards)}
	order := slices.Clone(cities)
	slices.SortStableFunc(order, func(a, b City) int { return b.DayOrders - a.DayOrders })
	for i := range p.Shards {
		p.Shards[i] = PlanShard{Index: i, Cities: []string{}}
	}
	for _, c := range order {
		best := 0
		for i := range p.Shards {
			if p.Shards[i].DayOrders < p.Shards[best].DayOrders {
				best = i
			}
		}
		p.Shards[best].Cities = append(p.Shards[best].Cities, c.Code)
		p.Shards[best].DayOrders += c.DayOrders
		p.Shards[best].LargestCityDay = max(p.Shards[best].LargestCityDay, c.DayOrders)
	}
	p.ID, err = p.hash()
	return p, err
}

// hash is the plan's ID: a hash of everything in it but the ID.
func (p *Plan) hash() (string, error) {
	c := *p
	c.ID = ""
	b, err := json.Marshal(&c)
	if err != nil {
		return "", err
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])[:16], nil
}

// city returns the plan's city with the given code.
func (p *Plan) city(code string) (City, bool) {
	i, ok := slices.BinarySearchFunc(p.Cities, code, func(c City, code string) int { return cmpString(c.Code, code) })
	if !ok {
		return City{}, false
	}
	return p.Cities[i], true
}

// Write writes the plan as indented JSON to path, through a temporary file in the same folder and a rename.
func (p *Plan) Write(path string) error {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(path, append(b, '\n'))
}

// ReadPlan reads and checks a plan file: its ID must match its contents and every city must be in
// exactly one shard.
func ReadPlan(path string) (*Plan, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p Plan
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, badInput("%s: not a plan file: %v", path, err)
	}
	id, err := p.hash()
	if err != nil {
		return nil, err
	}
	if id != p.ID {
		return nil, badInput("%s: plan_id %s does not match its contents (%s): the file was edited; write a new plan", path, p.ID, id)
	}
	seen := map[string]int{}
	for i, s := range p.Shards {
		if s.Index != i {
			return nil, badInput("%s: shard %d has index %d", path, i, s.Index)
		}
		for _, c := range s.Cities {
			if _, ok := p.city(c); !ok {
				return nil, badInput("%s: shard %d lists city %s, which is not in the plan's cities", path, i, c)
			}
			seen[c]++
		}
	}
	if len(seen) != len(p.Cities) {
		return nil, badInput("%s: %d cities but %d in shards", path, len(p.Cities), len(seen))
	}
	for c, k := range seen {
		if k != 1 {
			return nil, badInput("%s: city %s is in %d shards", path, c, k)
		}
	}
	return &p, nil
}

// writeAtomic writes b to path through a temporary file in the same folder and a rename, so a reader sees
// the old file or the new one, never part of one: a rerun shard replaces its partial safely.
func writeAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if err == nil {
		err = f.Chmod(0o644) // readable by a merge job running as another user
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

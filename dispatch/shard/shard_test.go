package shard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/metrics"
	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/dispatch/shard"
)

// tiny is a 5-city national scenario of 150 design orders a city: fast enough to run many ways.
const tiny = `{"version": 1, "name": "tiny", "template": "beijing-default", "policies": ["closed", "open"],
 "seed": 7, "parcels_per_year": 175080000000, "population": 1409000000, "peak_multiplier": 1.51,
 "urban_m2_per_person": 100, "min_radius_km": 1, "spread": 0.35, "uniform_share": 0.2,
 "cities": ["110100", "yantai", "440300", "jilin", "650100"], "orders_per_city": 150}`

func load(t *testing.T, text string) (*shard.National, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "n.json")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	n, hash, err := shard.LoadNational(path)
	if err != nil {
		t.Fatal(err)
	}
	return n, hash
}

// TestRates checks the demand arithmetic of docs/parameters.md: 175.08e9 / 365 / 1.409e9 parcels per
// person-day, times population and scale; the day has 1.51 times that.
func TestRates(t *testing.T) {
	n, _, err := shard.LoadNational("china-double11")
	if err != nil {
		t.Fatal(err)
	}
	cities, err := n.CitiesAt(0.01)
	if err != nil {
		t.Fatal(err)
	}
	if len(cities) != 337 {
		t.Fatalf("%d cities, want 337", len(cities))
	}
	rate := 175.08e9 / 365 / 1.409e9
	var day int
	for _, c := range cities {
		day += c.DayOrders
		if c.Code == "110100" {
			want := int(math.Round(18522000 * rate * 0.01))
			if c.Orders != want || math.Abs(c.ParcelsPerPersonDay-rate) > 1e-12 || c.RateSource != "national" {
				t.Errorf("Beijing: %d orders at %g (%s), want %d at %g", c.Orders, c.ParcelsPerPersonDay, c.RateSource, want, rate)
			}
			// 18.522 M people x 100 m2 as a disc, times sqrt(0.01).
			if r := math.Sqrt(18522000*100/1e6/math.Pi) * 0.1; math.Abs(c.RadiusKm-r) > 0.001 {
				t.Errorf("Beijing radius %g km, want %g", c.RadiusKm, r)
			}
		}
		if c.Population <= 0 || c.Orders < 1 || c.RadiusKm < 1 {
			t.Errorf("%s: population %g, orders %d, radius %g", c.Code, c.Population, c.Orders, c.RadiusKm)
		}
	}
	// 1.51 x 480 M a day x the cities' share of the population (1.158 of 1.409 bn), at 1/100: about 6 M.
	if day < 5.5e6 || day > 6.5e6 {
		t.Errorf("day orders at 1/100: %d, want about 6 M", day)
	}
}

// TestPlanBalance checks that every city is in exactly one shard and that shards are balanced: no shard
// exceeds the mean by more than the biggest city.
func TestPlanBalance(t *testing.T) {
	n, hash, err := shard.LoadNational("china-double11")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []int{1, 8, 64} {
		p, err := shard.NewPlan(n, hash, k, 0.01)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		total, most, biggest := 0, 0, 0
		for _, c := range p.Cities {
			biggest = max(biggest, c.DayOrders)
		}
		for _, s := range p.Shards {
			for _, c := range s.Cities {
				if seen[c] {
					t.Fatalf("%d shards: city %s twice", k, c)
				}
				seen[c] = true
			}
			total += s.DayOrders
			most = max(most, s.DayOrders)
		}
		if len(seen) != 337 {
			t.Errorf("%d shards hold %d cities", k, len(seen))
		}
		if mean := total / k; most > mean+biggest {
			t.Errorf("%d shards: the largest holds %d orders, mean %d, biggest city %d", k, most, mean, biggest)
		}
	}
	if _, err := shard.NewPlan(n, hash, 338, 0.01); !errors.Is(err, shard.ErrInput) {
		t.Errorf("338 shards of 337 cities: %v, want ErrInput", err)
	}
	if _, err := shard.NewPlan(n, hash, 2, 0); !errors.Is(err, shard.ErrInput) {
		t.Errorf("scale 0: %v, want ErrInput", err)
	}
}

// runAll runs every shard of a k-shard plan of text and returns the partials.
func runAll(t *testing.T, text string, k int) []*shard.Partial {
	t.Helper()
	n, hash := load(t, text)
	p, err := shard.NewPlan(n, hash, k, 1)
	if err != nil {
		t.Fatal(err)
	}
	var parts []*shard.Partial
	for i := range p.Shards {
		pt, err := shard.Run(context.Background(), p, i, shard.Options{Jobs: 2})
		if err != nil {
			t.Fatal(err)
		}
		// Through the file, as a merge reads it.
		dir := t.TempDir()
		path, err := pt.Write(dir)
		if err != nil {
			t.Fatal(err)
		}
		if pt, err = shard.ReadPartial(path); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, pt)
	}
	return parts
}

func merged(t *testing.T, parts ...*shard.Partial) []byte {
	t.Helper()
	names := make([]string, len(parts))
	for i, p := range parts {
		names[i] = fmt.Sprintf("shard-%d", p.Shard)
	}
	r, err := shard.Merge(parts, names)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestMergeIsOrderFree checks the merged bytes are the same for 1, 2 and 3 shards and any order of the
// partials, and refuses missing, duplicate and foreign partials.
func TestMergeIsOrderFree(t *testing.T) {
	one := merged(t, runAll(t, tiny, 1)...)
	three := runAll(t, tiny, 3)
	a, b, c := three[0], three[1], three[2]
	for _, got := range [][]byte{merged(t, a, b, c), merged(t, c, a, b), merged(t, b, c, a), merged(t, runAll(t, tiny, 2)...)} {
		if !bytes.Equal(got, one) {
			t.Fatalf("merged report differs from the one-shard report:\n%s\n---\n%s", got, one)
		}
	}
	if !strings.Contains(string(one), `"cities_simulated": 5`) || !strings.Contains(string(one), `"policy": "open"`) {
		t.Errorf("report lacks its cities or policies:\n%.600s", one)
	}
	foreign := runAll(t, strings.Replace(tiny, `"seed": 7`, `"seed": 8`, 1), 3)
	for _, tc := range []struct {
		parts []*shard.Partial
		want  string
	}{
		{[]*shard.Partial{a, c}, "shard 1 of plan"},
		{[]*shard.Partial{a, b, c, b}, "are both shard 1"},
		{[]*shard.Partial{a, b, foreign[2]}, "is a partial of plan"},
		{nil, "no partial given"},
	} {
		names := make([]string, len(tc.parts))
		for i := range names {
			names[i] = fmt.Sprintf("p%d", i)
		}
		_, err := shard.Merge(tc.parts, names)
		if !errors.Is(err, shard.ErrInput) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("merge: %v, want ErrInput with %q", err, tc.want)
		}
	}
}

// TestPlanFile checks that a plan survives its file and that an edited plan is refused.
func TestPlanFile(t *testing.T) {
	n, hash := load(t, tiny)
	p, err := shard.NewPlan(n, hash, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := p.Write(path); err != nil {
		t.Fatal(err)
	}
	back, err := shard.ReadPlan(path)
	if err != nil || back.ID != p.ID {
		t.Fatalf("read back: %v, id %v want %s", err, back, p.ID)
	}
	b, _ := os.ReadFile(path)
	os.WriteFile(path, bytes.Replace(b, []byte(`"scale": 1`), []byte(`"scale": 0.5`), 1), 0o644)
	if _, err := shard.ReadPlan(path); !errors.Is(err, shard.ErrInput) || !strings.Contains(err.Error(), "edited") {
		t.Errorf("edited plan: %v", err)
	}
}

// TestRefusals checks the sentences for an unknown policy and for a plan written by another template.
func TestRefusals(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.json")
	os.WriteFile(path, []byte(strings.Replace(tiny, `"open"]`, `"opne"]`, 1)), 0o644)
	if _, _, err := shard.LoadNational(path); !errors.Is(err, shard.ErrInput) || !strings.Contains(err.Error(), "opne") {
		t.Errorf("unknown policy: %v", err)
	}
	n, hash := load(t, tiny)
	p, err := shard.NewPlan(n, hash, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	p.TemplateHash = "0000000000000000"
	if _, err := shard.Run(context.Background(), p, 0, shard.Options{}); !errors.Is(err, shard.ErrInput) || !strings.Contains(err.Error(), "differs from the plan's") {
		t.Errorf("plan of another template: %v", err)
	}
	if _, err := shard.Run(context.Background(), p, 2, shard.Options{}); !errors.Is(err, shard.ErrInput) {
		t.Errorf("shard index 2 of 2: %v", err)
	}
}

// TestReleasedPartialIsKept checks that a shard run that folds each order into its partial as it finishes
// and releases it (the default) writes the same partial, byte for byte, as one that keeps every order and
// route of a city and builds the partial from them afterwards (Options.KeepOrders).
func TestReleasedPartialIsKept(t *testing.T) {
	n, hash := load(t, tiny)
	p, err := shard.NewPlan(n, hash, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Shards {
		var files [2][]byte
		for j, keep := range []bool{false, true} {
			pt, err := shard.Run(context.Background(), p, i, shard.Options{Jobs: 2, KeepOrders: keep})
			if err != nil {
				t.Fatal(err)
			}
			path, err := pt.Write(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			if files[j], err = os.ReadFile(path); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(files[0], files[1]) {
			t.Errorf("shard %d: the partial of a run that released its orders (%d bytes) differs from one that kept them (%d bytes)",
				i, len(files[0]), len(files[1]))
		}
		if !bytes.Contains(files[0], []byte(`"latency_sketch":{"relative_accuracy":0.005,"zero":0,"bins":[[`)) {
			t.Errorf("shard %d: the partial has no latency sketch with bins:\n%.400s", i, files[0])
		}
	}
}

// TestOneCityCostsAreCompare checks that the fixed daily costs the partials carry make a one-city national
// report's costs those of compare on that city's scenario, orders and seed: the short-run cost (fixed and
// variable, per delivered order and by part) of every policy and group, and the long-run cost. Latency
// quantiles differ by design (sketch against exact); their means do not.
func TestOneCityCostsAreCompare(t *testing.T) {
	one := strings.Replace(strings.Replace(tiny, `["110100", "yantai", "440300", "jilin", "650100"]`, `["yantai"]`, 1),
		`"orders_per_city": 150`, `"orders_per_city": 600`, 1)
	parts := runAll(t, one, 1)
	var nat shard.Report
	if err := json.Unmarshal(merged(t, parts...), &nat); err != nil {
		t.Fatal(err)
	}
	n, hash := load(t, one)
	p, err := shard.NewPlan(n, hash, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := scenario.Load(p.Template)
	if err != nil {
		t.Fatal(err)
	}
	c := p.Cities[0]
	cmp, err := dispatch.Compare(context.Background(), dispatch.Options{Scenario: p.CityScenario(tmpl, c), Policies: p.Policies, Seed: c.Seed})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range cmp.Report.Policies {
		got := nat.Policies[i]
		if got.Cost.Fixed <= 0 || got.LongRun.Fixed <= 0 {
			t.Errorf("%s: national fixed cost %g, long run %g: want the city's fixed costs", want.Policy, got.Cost.Fixed, got.LongRun.Fixed)
		}
		if got.Cost != want.Cost || got.LongRun != want.LongRun {
			t.Errorf("%s: national cost %+v, long run %+v\ncompare's %+v, %+v", want.Policy, got.Cost, got.LongRun, want.Cost, want.LongRun)
		}
		if got.Orders != want.Orders || got.Delivered != want.Delivered || got.Late != want.Late || got.Km != want.Km ||
			got.VehiclesUsed != want.VehiclesUsed || got.Latency.Mean != want.Latency.Mean {
			t.Errorf("%s: national %+v\ncompare's %+v", want.Policy, got.Metrics, want.Metrics)
		}
		if city := nat.Cities[0].Policies[i]; city.Cost != want.Cost {
			t.Errorf("%s: the city's row costs %+v, compare %+v", want.Policy, city.Cost, want.Cost)
		}
		groups := map[[3]string]metrics.Cost{}
		for _, g := range want.Groups {
			groups[[3]string{g.Platform, g.Carrier, g.Category}] = g.Cost
		}
		if len(got.Groups) != len(groups) {
			t.Errorf("%s: %d national groups, compare %d", want.Policy, len(got.Groups), len(groups))
		}
		for _, g := range got.Groups {
			if k := [3]string{g.Platform, g.Carrier, g.Category}; g.Cost != groups[k] {
				t.Errorf("%s group %v: national cost %+v, compare %+v", want.Policy, k, g.Cost, groups[k])
			}
		}
	}
}

// TestPartialFormat checks that a partial of another format is refused with a sentence, not merged with
// zero fixed costs, and so is a cell without its sketch (which the merge could not add).
func TestPartialFormat(t *testing.T) {
	parts := runAll(t, tiny, 1)
	dir := t.TempDir()
	path, err := parts[0].Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	for _, tc := range []struct{ from, to, want string }{
		{`"partial_format":2,`, ``, "format 1, written by an older carriersim without fixed costs"},
		{`"partial_format":2,`, `"partial_format":3,`, "format 3, written by a newer carriersim"},
		{`"latency_sketch":{"relative_accuracy":0.005,`, `"latency_sketch":null,"x":{"relative_accuracy":0.005,`, "cell without latency_sketch"},
	} {
		if !bytes.Contains(b, []byte(tc.from)) {
			t.Fatalf("partial lacks %s", tc.from)
		}
		os.WriteFile(path, bytes.Replace(b, []byte(tc.from), []byte(tc.to), 1), 0o644)
		if _, err := shard.ReadPartial(path); !errors.Is(err, shard.ErrInput) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("partial with %q: %v, want ErrInput with %q", tc.to, err, tc.want)
		}
	}
}

package scenario_test

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/fixtures"
)

func TestEmbeddedScenariosValid(t *testing.T) {
	names := fixtures.ScenarioNames()
	if len(names) < 2 {
		t.Fatalf("embedded scenarios %v, want beijing-default and beijing-double11", names)
	}
	for _, name := range names {
		b, _ := fixtures.Scenario(name)
		sc, err := scenario.Decode(bytes.NewReader(b), name)
		if err != nil {
			t.Fatal(err)
		}
		if err := sc.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if sc.Name != name {
			t.Errorf("scenario file %s is named %q", name, sc.Name)
		}
	}
}

func TestValidateNamesThePath(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*scenario.Scenario)
		want   string
	}{
		{"version", func(s *scenario.Scenario) { s.Version = 2 }, "version: must be 1, got 2"},
		{"orders", func(s *scenario.Scenario) { s.Demand.Orders = -5 }, "demand.orders: must be a positive number, got -5"},
		{"hourly", func(s *scenario.Scenario) { s.Demand.Hourly[3] = -1 }, "demand.hourly[3]: must be zero or positive, got -1"},
		{"shares", func(s *scenario.Scenario) { s.Platforms[0].Share = 0.5 }, "platforms: shares must add up to 1"},
		{"origin code", func(s *scenario.Scenario) { s.Demand.OriginShares = map[string]float64{"999999": 0.1} },
			`demand.origin_shares.999999: expected the 6-digit code of one of the 337 prefecture cities`},
		{"origin shares sum", func(s *scenario.Scenario) {
			s.Demand.OriginShares = map[string]float64{"330700": 0.6, "440100": 0.5}
		}, "demand.origin_shares: shares must add up to less than 1 (the other cities share the rest), got 1.1"},
		{"home carrier", func(s *scenario.Scenario) { s.Platforms[1].HomeCarrier = "sf" }, `platforms[1].home_carrier: must be one of the carriers' ids, got "sf"`},
		{"mix", func(s *scenario.Scenario) { s.Platforms[0].Mix["parcel"] = 0.5 }, "platforms[0].mix: shares must add up to 1"},
		{"fleet speed", func(s *scenario.Scenario) { s.Carriers[1].Fleets[0].SpeedKmh = 0 }, "carriers[1].fleets[0].speed_kmh: must be positive, got 0"},
		{"wave order", func(s *scenario.Scenario) {
			s.Carriers[0].Fleets[0].Waves = []scenario.Clock{600, 480}
		}, "carriers[0].fleets[0].waves[1]: must be later than the wave before it"},
		{"uncovered product", func(s *scenario.Scenario) {
			s.Carriers[0].Fleets = s.Carriers[0].Fleets[:3]
		}, `carriers[0].fleets: no install crew of 2 or more with skill "washer_fridge" for products[2] (washing_machine)`},
		{"uncovered category", func(s *scenario.Scenario) {
			s.Carriers[0].Fleets = s.Carriers[0].Fleets[:2]
			s.Carriers[1].Fleets = s.Carriers[1].Fleets[:2]
		}, "carriers: no carrier serves category appliance_install"},
		{"no parcels", func(s *scenario.Scenario) {
			s.Carriers[1].Fleets = s.Carriers[1].Fleets[1:]
		}, "carriers[1].fleets: no fleet serves category parcel"},
		{"circuity", func(s *scenario.Scenario) { s.Travel.Circuity = 0.9 }, "travel.circuity: must be within [1, 3], got 0.9"},
		{"policy choice", func(s *scenario.Scenario) { s.Policies[1].Choice = "random" }, `policies[1].choice: must be "best_quote", "overflow" or "sticky", got "random"`},
		{"selector", func(s *scenario.Scenario) {
			s.Policies[1].Open = []scenario.Selector{{Merchant: "4p"}}
		}, `policies[1].open[0].merchant: must be "1p" or "3p", got "4p"`},
		{"promise", func(s *scenario.Scenario) { s.Goods.Parcel.Promise = "asap" }, `goods.parcel.promise: must be "211" or "appointment", got "asap"`},
		{"install promise", func(s *scenario.Scenario) { s.Goods.ApplianceInstall.Promise = "211" }, `goods.appliance_install.promise: must be "appointment" for appliance_install orders, got "211"`},
		{"extra days", func(s *scenario.Scenario) { s.Goods.ApplianceInstall.ExtraDays = -1 }, "goods.appliance_install.extra_days: must be within [0, 30], got -1"},
		{"product id", func(s *scenario.Scenario) { s.Products[1].ID = s.Products[0].ID }, `products[1].id: must be a unique, non-empty id, got "split_ac"`},
		{"crew minutes on vans", func(s *scenario.Scenario) { s.Carriers[0].Fleets[0].Capacity.Minutes = 240 }, "carriers[0].fleets[0].capacity.minutes: must be left out for a fleet serving parcel"},
		{"weights with prefecture", func(s *scenario.Scenario) {
			s.City.Zones, s.City.Prefecture, s.City.RadiusKm = "", "yantai", 10
		}, "city.zone_weights: must be left out with city.prefecture"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := defaultScenario(t)
			tt.mutate(s)
			wantProblem(t, s, tt.want)
		})
	}
}

// wantProblem checks that s fails validation with a *ValidationError wrapping ErrInvalid, one of whose
// problems starts with want.
func wantProblem(t *testing.T, s *scenario.Scenario, want string) {
	t.Helper()
	err := s.Validate()
	if err == nil {
		t.Fatalf("got no error, want %q", want)
	}
	if !errors.Is(err, scenario.ErrInvalid) {
		t.Errorf("error %v does not wrap ErrInvalid", err)
	}
	var ve *scenario.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %T, want *ValidationError", err)
	}
	found := false
	for _, p := range ve.Problems {
		found = found || strings.HasPrefix(p, want)
	}
	if !found {
		t.Errorf("got problems %q, want one starting %q", ve.Problems, want)
	}
}

func TestDecodeScenarioStrict(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"version": 1, "nmae": "x"}`, `x.json: invalid scenario: unknown field "nmae"`},
		{"{\n\"version\": \"one\"}", "x.json: invalid scenario: line 2: version: expected int, got string"},
		{"{\n\"version\": 1,\n}", "x.json: invalid scenario: line 3:"},
		{`{"version": 1} {}`, "x.json: invalid scenario: unexpected data after the scenario object"},
		{`{"goods": {"parcel": {"promise": "211"}}, "carriers": [{"fleets": [{"waves": ["25:00"]}]}]}`, `x.json: invalid scenario: want a time of day "HH:MM", got "25:00"`},
	}
	for _, tt := range tests {
		_, err := scenario.Decode(strings.NewReader(tt.in), "x.json")
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("DecodeScenario(%q) = %v, want prefix %q", tt.in, err, tt.want)
		}
	}
}

func FuzzDecodeScenario(f *testing.F) {
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`{"carriers":[{"fleets":[{"waves":["08:00"]}]}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := scenario.Decode(strings.NewReader(string(b)), "fuzz.json")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.json: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		_ = s.Validate() // must not panic
	})
}

func defaultScenario(t testing.TB) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.Load("beijing-default")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestAllowedReadsTheMatrix: the first matching access rule decides, then the open selectors, then the
// home carrier; "*" is every carrier, and a platform without a home carrier walls nothing off.
func TestAllowedReadsTheMatrix(t *testing.T) {
	s := defaultScenario(t) // carriers jdl (bit 0), cainiao (bit 1); platforms jd, taobao
	pol := scenario.Policy{
		Access: []scenario.AccessRule{
			{Selector: scenario.Selector{Platform: "jd", Merchant: "1p"}, Carriers: []string{"jdl"}},
			{Selector: scenario.Selector{Category: "bulky"}, Carriers: []string{"*"}},
			{Selector: scenario.Selector{Platform: "taobao", Category: "parcel"}, Carriers: []string{"jdl"}},
		},
		Open: []scenario.Selector{{Merchant: "3p", Category: "appliance_install"}},
	}
	tests := []struct {
		platform   int
		firstParty bool
		cat        scenario.Category
		want       uint64
	}{
		{0, true, scenario.Bulky, 0b01},             // first rule wins over the bulky rule
		{0, false, scenario.Bulky, 0b11},            // "*"
		{1, false, scenario.Parcel, 0b01},           // taobao parcels: JD Logistics only
		{1, false, scenario.ApplianceInstall, 0b11}, // no rule; an open selector
		{0, false, scenario.Parcel, 0b01},           // no rule, no selector: home carrier jdl
		{1, true, scenario.ApplianceInstall, 0b10},  // home carrier cainiao
	}
	for _, tt := range tests {
		if got := pol.Allowed(s, tt.platform, tt.firstParty, tt.cat); got != tt.want {
			t.Errorf("Allowed(%s, %s, %s) = %b, want %b", s.Platforms[tt.platform].ID, scenario.Merchant(tt.firstParty), tt.cat, got, tt.want)
		}
	}
	s.Platforms[1].HomeCarrier = ""
	if got := (&scenario.Policy{}).Allowed(s, 1, false, scenario.Parcel); got != 0b11 {
		t.Errorf("a platform without a home carrier: Allowed = %b, want every carrier", got)
	}
}

// TestValidateMarketFields names the JSON path of every problem in the whole-market fields.
func TestValidateMarketFields(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*scenario.Scenario)
		want   string
	}{
		{"access carrier", func(s *scenario.Scenario) {
			s.Policies[0].Access = []scenario.AccessRule{{Carriers: []string{"sf"}}}
		}, `policies[0].access[0].carriers[0]: must be one of the carriers' ids or "*", got "sf"`},
		{"access empty", func(s *scenario.Scenario) {
			s.Policies[0].Access = []scenario.AccessRule{{Selector: scenario.Selector{Platform: "jd"}}}
		}, "policies[0].access[0].carriers: must list at least one carrier id"},
		{"access platform", func(s *scenario.Scenario) {
			s.Policies[0].Access = []scenario.AccessRule{{Selector: scenario.Selector{Platform: "pdd"}, Carriers: []string{"jdl"}}}
		}, `policies[0].access[0].platform: must be one of the platforms' ids, got "pdd"`},
		{"threshold without sticky", func(s *scenario.Scenario) { s.Policies[0].SwitchThresholdCNY = 1 },
			`policies[0].choice: must be "sticky" when switch_threshold_cny or baseline_access is given`},
		{"baseline access", func(s *scenario.Scenario) {
			s.Policies[0].Choice, s.Policies[0].BaselineAccess = scenario.ChoiceSticky, "before"
		}, `policies[0].baseline_access: must name one of the scenario's policies`},
		{"baseline shares", func(s *scenario.Scenario) {
			s.Platforms[1].Baseline = []scenario.BaselineRule{{Carriers: map[string]float64{"cainiao": 0.5, "jdl": 0.4}}}
		}, "platforms[1].baseline[0].carriers: shares must add up to 1, got 0.9"},
		{"baseline carrier", func(s *scenario.Scenario) {
			s.Platforms[1].Baseline = []scenario.BaselineRule{{Carriers: map[string]float64{"zto": 1}}}
		}, "platforms[1].baseline[0].carriers.zto: must be one of the carriers' ids"},
		{"baseline capability", func(s *scenario.Scenario) {
			s.Carriers[1].Fleets = s.Carriers[1].Fleets[:1] // cainiao: parcels only
			s.Platforms[1].Baseline = []scenario.BaselineRule{{Category: "bulky", Carriers: map[string]float64{"cainiao": 1}}}
		}, "platforms[1].baseline[0].carriers.cainiao: carrier cainiao has no fleet for bulky"},
		{"no home, no baseline", func(s *scenario.Scenario) { s.Platforms[1].HomeCarrier = "" },
			"platforms[1].baseline: gives no carrier serving parcel orders of 3p merchants"},
		{"network", func(s *scenario.Scenario) { s.Carriers[0].Network = "mixed" },
			`carriers[0].network: must be "direct" or "franchise", got "mixed"`},
		{"shift sum", func(s *scenario.Scenario) {
			s.Shifts = []scenario.Shift{{Name: "x", PlatformShare: map[string]float64{"jd": 0.1}}}
		}, "shifts[0].platform_share: changes must add up to 0, got 0.1"},
		{"shift multiplier", func(s *scenario.Scenario) {
			s.Shifts = []scenario.Shift{{Name: "x", VolumeMultiplier: map[string]float64{"taobao": 0}}}
		}, "shifts[0].volume_multiplier.taobao: must be within (0, 10], got 0"},
		{"shift name", func(s *scenario.Scenario) { s.Shifts = []scenario.Shift{{Name: "x"}, {Name: "x"}} },
			`shifts[1].name: duplicate shift name "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := defaultScenario(t)
			tt.mutate(s)
			wantProblem(t, s, tt.want)
		})
	}
}

// TestShiftedMovesSharesAndVolume: shares move by the changes, volumes scale, shares renormalise and the
// day's orders change with the total.
func TestShiftedMovesSharesAndVolume(t *testing.T) {
	s := defaultScenario(t) // jd 0.4, taobao 0.6
	s.Shifts = []scenario.Shift{{Name: "pay", PlatformShare: map[string]float64{"jd": 0.05, "taobao": -0.05},
		VolumeMultiplier: map[string]float64{"taobao": 1.1}}}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	got, err := s.Shifted("pay")
	if err != nil {
		t.Fatal(err)
	}
	total := 0.45 + 0.55*1.1
	if math.Abs(got.Platforms[0].Share-0.45/total) > 1e-12 || math.Abs(got.Platforms[1].Share-0.605/total) > 1e-12 {
		t.Errorf("shares %v, %v; want %v, %v", got.Platforms[0].Share, got.Platforms[1].Share, 0.45/total, 0.605/total)
	}
	if math.Abs(got.Demand.PeakMultiplier-total) > 1e-12 || s.Demand.PeakMultiplier != 1 || s.Platforms[0].Share != 0.4 {
		t.Errorf("peak multiplier %v (want %v); the original changed: %v, %v", got.Demand.PeakMultiplier, total, s.Demand.PeakMultiplier, s.Platforms[0].Share)
	}
	if _, err := s.Shifted("none"); err == nil || !strings.Contains(err.Error(), `unknown shift "none"`) {
		t.Errorf("unknown shift: %v", err)
	}
}

package scenario_test

import (
	"bytes"
	"errors"
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
			err := s.Validate()
			if err == nil {
				t.Fatalf("got no error, want %q", tt.want)
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
				found = found || strings.HasPrefix(p, tt.want)
			}
			if !found {
				t.Errorf("got problems %q, want one starting %q", ve.Problems, tt.want)
			}
		})
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

package dispatch_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/fixtures"
	"github.com/carriersim/carriersim/geo"
)

func TestEmbeddedScenariosValid(t *testing.T) {
	names := fixtures.ScenarioNames()
	if len(names) < 2 {
		t.Fatalf("embedded scenarios %v, want beijing-default and beijing-double11", names)
	}
	for _, name := range names {
		b, _ := fixtures.Scenario(name)
		sc, err := dispatch.DecodeScenario(bytes.NewReader(b), name)
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
		mutate func(*dispatch.Scenario)
		want   string
	}{
		{"version", func(s *dispatch.Scenario) { s.Version = 2 }, "version: must be 1, got 2"},
		{"orders", func(s *dispatch.Scenario) { s.Demand.Orders = -5 }, "demand.orders: must be a positive number, got -5"},
		{"hourly", func(s *dispatch.Scenario) { s.Demand.Hourly[3] = -1 }, "demand.hourly[3]: must be zero or positive, got -1"},
		{"shares", func(s *dispatch.Scenario) { s.Platforms[0].Share = 0.5 }, "platforms: shares must add up to 1"},
		{"home carrier", func(s *dispatch.Scenario) { s.Platforms[1].HomeCarrier = "sf" }, `platforms[1].home_carrier: must be one of the carriers' ids, got "sf"`},
		{"mix", func(s *dispatch.Scenario) { s.Platforms[0].Mix["parcel"] = 0.5 }, "platforms[0].mix: shares must add up to 1"},
		{"fleet speed", func(s *dispatch.Scenario) { s.Carriers[1].Fleets[0].SpeedKmh = 0 }, "carriers[1].fleets[0].speed_kmh: must be positive, got 0"},
		{"wave order", func(s *dispatch.Scenario) {
			s.Carriers[0].Fleets[0].Waves = []dispatch.Clock{600, 480}
		}, "carriers[0].fleets[0].waves[1]: must be later than the wave before it"},
		{"uncovered category", func(s *dispatch.Scenario) {
			s.Carriers[0].Fleets = s.Carriers[0].Fleets[:2]
		}, `carriers[0].fleets: no install crew of 2 or more with skill "air_conditioner" for products[0] (split_ac)`},
		{"circuity", func(s *dispatch.Scenario) { s.Travel.Circuity = 0.9 }, "travel.circuity: must be within [1, 3], got 0.9"},
		{"policy choice", func(s *dispatch.Scenario) { s.Policies[1].Choice = "random" }, `policies[1].choice: must be "best_quote" or "overflow", got "random"`},
		{"selector", func(s *dispatch.Scenario) {
			s.Policies[1].Open = []dispatch.Selector{{Merchant: "4p"}}
		}, `policies[1].open[0].merchant: must be "1p" or "3p", got "4p"`},
		{"promise", func(s *dispatch.Scenario) { s.Goods.Parcel.Promise = "asap" }, `goods.parcel.promise: must be "211" or "appointment", got "asap"`},
		{"install promise", func(s *dispatch.Scenario) { s.Goods.ApplianceInstall.Promise = "211" }, `goods.appliance_install.promise: must be "appointment" for appliance_install orders, got "211"`},
		{"extra days", func(s *dispatch.Scenario) { s.Goods.ApplianceInstall.ExtraDays = -1 }, "goods.appliance_install.extra_days: must be within [0, 30], got -1"},
		{"product id", func(s *dispatch.Scenario) { s.Products[1].ID = s.Products[0].ID }, `products[1].id: must be a unique, non-empty id, got "split_ac"`},
		{"crew minutes on vans", func(s *dispatch.Scenario) { s.Carriers[0].Fleets[0].Capacity.Minutes = 240 }, "carriers[0].fleets[0].capacity.minutes: must be left out for a fleet serving parcel"},
		{"weights with prefecture", func(s *dispatch.Scenario) {
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
			if !errors.Is(err, dispatch.ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			var ve *dispatch.ValidationError
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
		_, err := dispatch.DecodeScenario(strings.NewReader(tt.in), "x.json")
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
		s, err := dispatch.DecodeScenario(strings.NewReader(string(b)), "fuzz.json")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.json: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		_ = s.Validate() // must not panic
	})
}

func TestPromise211(t *testing.T) {
	tests := []struct {
		created, want float64
	}{
		{9 * 60, 23 * 60},                // by 11:00: same day 23:00
		{10*60 + 59, 23 * 60},            // still before 11:00
		{11 * 60, 1440 + 15*60},          // 11:00: next day 15:00
		{22*60 + 59, 1440 + 15*60},       // by 23:00
		{23*60 + 30, 1440 + 23*60},       // after 23:00: counts as next morning
		{1440 + 8*60, 1440 + 23*60},      // day 1 morning
		{2*1440 + 12*60, 3*1440 + 15*60}, // day 2 noon
	}
	for _, tt := range tests {
		if got := dispatch.Promise211(tt.created); got != tt.want {
			t.Errorf("Promise211(%v) = %v, want %v", tt.created, got, tt.want)
		}
	}
}

func TestPrefectureCityAndFixedStations(t *testing.T) {
	sc := defaultScenario(t)
	sc.City = dispatch.City{Name: "Yantai", Prefecture: "yantai", RadiusKm: 12, Spread: 0.3, UniformShare: 0.2}
	sc.Demand.Orders = 2000
	sc.Carriers[1].Stations = []dispatch.FixedStation{{ID: "north", Lon: 121.40, Lat: 37.52}, {ID: "south", Lon: 121.45, Lat: 37.45}}
	w, err := dispatch.NewWorld(sc)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Zones) != 1 || w.Zones[0].Name != "烟台市" {
		t.Fatalf("zones %v, want one circle named 烟台市", w.Zones)
	}
	centre := w.Zones[0].Center
	for _, o := range dispatch.GenerateOrders(w, 1, 2000) {
		if d := geo.Distance(centre, o.Dest); d > 12000*1.01 {
			t.Fatalf("order at %v is %.0f m from the city point, beyond the 12 km radius", o.Dest, d)
		}
	}
	got := w.Carriers[1].Stations
	if len(got) != 2 || got[0].ID != "north" || got[0].Point != (orb.Point{121.40, 37.52}) || got[1].ID != "south" {
		t.Errorf("fixed stations became %+v", got)
	}

	sc.City.Prefecture = "atlantis"
	if _, err := dispatch.NewWorld(sc); err == nil || !strings.Contains(err.Error(), `city.prefecture: "atlantis" is none of the 337 prefecture cities`) {
		t.Errorf("unknown prefecture: got %v", err)
	}
	sc.City.Prefecture = "yantai"
	sc.Carriers[1].Stations = append(sc.Carriers[1].Stations, dispatch.FixedStation{ID: "x", Lon: 1210, Lat: 37})
	err = sc.Validate()
	if err == nil || !strings.Contains(err.Error(), "carriers[1].stations[2].lon: must be within [-180, 180], got 1210") {
		t.Errorf("bad station longitude: got %v", err)
	}
}

package sim

import (
	"strings"
	"testing"

	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/geo"
	"github.com/paulmach/orb"
)

func defaultScenario(t testing.TB) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.Load("beijing-default")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func TestPromise211(t *testing.T) {
	tests := []struct {
		created, want scenario.Minutes
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
		if got := Promise211(tt.created); got != tt.want {
			t.Errorf("Promise211(%v) = %v, want %v", tt.created, got, tt.want)
		}
	}
}

func TestPrefectureCityAndFixedStations(t *testing.T) {
	sc := defaultScenario(t)
	sc.City = scenario.City{Name: "Yantai", Prefecture: "yantai", RadiusKm: 12, Spread: 0.3, UniformShare: 0.2}
	sc.Demand.Orders = 2000
	sc.Carriers[1].Stations = []scenario.FixedStation{{ID: "north", Lon: 121.40, Lat: 37.52}, {ID: "south", Lon: 121.45, Lat: 37.45}}
	w, err := NewWorld(sc)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Zones) != 1 || w.Zones[0].Name != "烟台市" {
		t.Fatalf("zones %v, want one circle named 烟台市", w.Zones)
	}
	centre := w.Zones[0].Center
	for _, o := range GenerateOrders(w, 1, 2000) {
		if d := geo.Distance(centre, o.Dest); d > 12000*1.01 {
			t.Fatalf("order at %v is %.0f m from the city point, beyond the 12 km radius", o.Dest, d)
		}
	}
	got := w.Carriers[1].Stations
	if len(got) != 2 || got[0].ID != "north" || got[0].Point != (orb.Point{121.40, 37.52}) || got[1].ID != "south" {
		t.Errorf("fixed stations became %+v", got)
	}

	sc.City.Prefecture = "atlantis"
	if _, err := NewWorld(sc); err == nil || !strings.Contains(err.Error(), `city.prefecture: "atlantis" is none of the 337 prefecture cities`) {
		t.Errorf("unknown prefecture: got %v", err)
	}
	sc.City.Prefecture = "yantai"
	sc.Carriers[1].Stations = append(sc.Carriers[1].Stations, scenario.FixedStation{ID: "x", Lon: 1210, Lat: 37})
	err = sc.Validate()
	if err == nil || !strings.Contains(err.Error(), "carriers[1].stations[2].lon: must be within [-180, 180], got 1210") {
		t.Errorf("bad station longitude: got %v", err)
	}
}

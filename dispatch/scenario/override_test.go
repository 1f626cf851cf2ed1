package scenario_test

import (
	"errors"
	"testing"

	"github.com/carriersim/carriersim/dispatch/scenario"
)

func TestOverride(t *testing.T) {
	sc := defaultScenario(t)
	for _, o := range [][2]string{
		{"demand.orders", "1234"},
		{"carriers[0].fleets[1].per_station", "7"},
		{"goods.parcel.value_of_time_cny_per_hour", "2.5"},
		{"city.zone_weights.朝阳区", "1"},
		{"policies[1].choice", "overflow"},
		{"carriers[0].fleets[0].waves[0]", "08:30"},
		{"description", "a bare word"},
	} {
		if err := sc.Override(o[0], o[1]); err != nil {
			t.Fatalf("Override(%s=%s): %v", o[0], o[1], err)
		}
	}
	f := sc.Carriers[0].Fleets
	if sc.Demand.Orders != 1234 || f[1].PerStation != 7 || sc.Goods.Parcel.ValueOfTimeCNYPerHour != 2.5 ||
		sc.City.ZoneWeights["朝阳区"] != 1 || sc.Policies[1].Choice != "overflow" || f[0].Waves[0].String() != "08:30" ||
		sc.Description != "a bare word" {
		t.Errorf("overrides not applied: %+v", sc.Demand)
	}
	if err := sc.Validate(); err != nil {
		t.Errorf("valid overrides fail validation: %v", err)
	}
}

// TestOverrideErrorsNameThePath checks that a bad --set names the path as a scenario file's error does.
func TestOverrideErrorsNameThePath(t *testing.T) {
	for _, tt := range []struct{ path, value, want string }{
		{"demand.orders", "many", `invalid scenario: demand.orders: expected an integer, found "many"`},
		{"demand.oders", "5", `invalid scenario: demand.oders: unknown field "oders" (expected one of orders,`},
		{"carriers[9].id", "x", "invalid scenario: carriers[9]: index 9 is out of range: the list has 2 elements"},
		{"carriers.id", "x", "invalid scenario: carriers.id: expected an index such as [0]: this is a list"},
		{"demand.orders[", "1", "invalid scenario: demand.orders[: expected a list index such as [0]"},
		{"travel.circuity", "true", `invalid scenario: travel.circuity: expected a number, found "true"`},
		{"", "1", "invalid scenario: : expected a field path such as demand.orders, found nothing"},
	} {
		err := defaultScenario(t).Override(tt.path, tt.value)
		if err == nil || !errors.Is(err, scenario.ErrInvalid) || !startsWith(err.Error(), tt.want) {
			t.Errorf("Override(%q, %q) = %v, want %q", tt.path, tt.value, err, tt.want)
		}
	}
	// A value of the right type but out of range is Validate's to refuse, with the same path.
	sc := defaultScenario(t)
	if err := sc.Override("demand.orders", "0"); err != nil {
		t.Fatal(err)
	}
	if err := sc.Validate(); err == nil || !startsWith(err.Error(), "demand.orders: must be a positive number, got 0") {
		t.Errorf("Validate after demand.orders=0: %v", err)
	}
}

func startsWith(s, prefix string) bool { return len(s) >= len(prefix) && s[:len(prefix)] == prefix }

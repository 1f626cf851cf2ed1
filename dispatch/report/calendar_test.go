package report

import (
	"testing"
	"time"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/scenario"
)

func TestTimestamp(t *testing.T) {
	utc8 := time.FixedZone("UTC+8", 8*3600)
	replay := &dispatch.Comparison{Start: time.Date(2022, 7, 1, 0, 0, 0, 0, time.UTC)}
	tests := []struct {
		name string
		c    *dispatch.Comparison
		day0 time.Time
		m    scenario.Minutes
		want string
	}{
		{"afternoon", nil, day0, 14*60 + 5.5, "2025-03-18T14:05:30+08:00"},
		{"rounded to the second", nil, day0, 0.0083, "2025-03-18T00:00:00+08:00"},
		{"a warm-up day", nil, day0, -1440 + 60, "2025-03-17T01:00:00+08:00"},
		{"the next day", nil, day0, 1440 + 15*60, "2025-03-19T15:00:00+08:00"},
		{"date taken in its own zone", nil, time.Date(2025, 3, 18, 23, 0, 0, 0, utc8), 0, "2025-03-18T00:00:00+08:00"},
		{"zero date is the default", nil, time.Time{}, 0, "2025-03-18T00:00:00+08:00"},
		{"a replay keeps its own start", replay, day0, 0, "2022-07-01T08:00:00+08:00"},
	}
	for _, tt := range tests {
		if got := Timestamp(Origin(tt.c, tt.day0), tt.m); got != tt.want {
			t.Errorf("%s: Timestamp(Origin(..., %v), %v) = %q, want %q", tt.name, tt.day0, float64(tt.m), got, tt.want)
		}
	}
}

func TestRouteID(t *testing.T) {
	if got := RouteID("open", 17); got != "open-17" {
		t.Errorf("RouteID(open, 17) = %q, want open-17", got)
	}
}

// TestVisitsSplitInstalls checks that every order visit is on a route of the carrier that took it, and that
// an order visited twice is a split install: goods on a van or truck, then a crew.
func TestVisitsSplitInstalls(t *testing.T) {
	c := compared(t)
	for _, run := range c.Runs {
		v := visitsOf(c, run)
		for i := range c.Orders {
			out := &run.Outcomes[i]
			for _, ri := range []int32{v.main[i], v.install[i]} {
				if ri >= 0 && run.Routes[ri].Carrier != int(out.Carrier) {
					t.Fatalf("%s: order %d of carrier %d visited by route %d of carrier %d",
						run.Policy.Name, i, out.Carrier, ri, run.Routes[ri].Carrier)
				}
			}
			if v.install[i] < 0 {
				continue
			}
			cr := c.World.Carriers[out.Carrier].Carrier
			if c.Orders[i].Category != scenario.ApplianceInstall || cr.InstallModel != scenario.Split {
				t.Fatalf("%s: order %d has an installer route but is not a split install", run.Policy.Name, i)
			}
			if ri := v.main[i]; ri >= 0 && cr.Fleets[run.Routes[ri].Fleet].IsInstall() {
				t.Fatalf("%s: order %d's goods came with a crew in the split model", run.Policy.Name, i)
			}
		}
	}
}

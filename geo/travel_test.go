package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func flatTravel(circuity, congestion float64) Travel {
	t := Travel{Circuity: circuity}
	for h := range t.Congestion {
		t.Congestion[h] = congestion
	}
	return t
}

func TestTravelValidate(t *testing.T) {
	withHour := func(h int, m float64) Travel {
		tr := flatTravel(1.3, 1)
		tr.Congestion[h] = m
		return tr
	}
	tests := []struct {
		name   string
		travel Travel
		want   string // "" for valid
	}{
		{"default", DefaultTravel(), ""},
		{"bounds inclusive", flatTravel(1, 2), ""},
		{"circuity 3", flatTravel(3, 0.1), ""},
		{"zero value", Travel{}, "circuity: must be in [1, 3], got 0"},
		{"circuity below 1", flatTravel(0.9, 1), "circuity: must be in [1, 3], got 0.9"},
		{"circuity above 3", flatTravel(3.5, 1), "circuity: must be in [1, 3], got 3.5"},
		{"circuity NaN", flatTravel(math.NaN(), 1), "circuity: must be in [1, 3], got NaN"},
		{"congestion zero", withHour(7, 0), "congestion[7]: must be in (0, 2], got 0"},
		{"congestion negative", withHour(0, -1), "congestion[0]: must be in (0, 2], got -1"},
		{"congestion above 2", withHour(23, 2.5), "congestion[23]: must be in (0, 2], got 2.5"},
		{"congestion NaN", withHour(12, math.NaN()), "congestion[12]: must be in (0, 2], got NaN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.travel.Validate()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("Validate() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTravelRoad(t *testing.T) {
	a, b := orb.Point{116.3975, 39.9087}, orb.Point{116.4075, 39.9087}
	tr := flatTravel(1.3, 1)
	got, want := tr.Road(a, b), 1.3*Distance(a, b)
	if !near(float64(got), float64(want), 1e-12) {
		t.Errorf("Road = %v, want %v", got, want)
	}
}

func TestTravelMinutes(t *testing.T) {
	tr := flatTravel(1.3, 1)
	tr.Congestion[0] = 1.25
	tr.Congestion[8] = 0.5
	tr.Congestion[23] = 2
	tests := []struct {
		name   string
		d      Meters
		speed  float64
		depart float64
		want   float64
	}{
		{"free flow", 10000, 30, 600, 20},
		{"zero distance", 0, 30, 600, 0},
		{"08:00 peak halves speed", 10000, 30, 8 * 60, 40},
		{"08:59 still peak", 10000, 30, 8*60 + 59.9, 40},
		{"09:00 free again", 10000, 30, 9 * 60, 20},
		{"day 2 08:30", 10000, 30, 24*60 + 8*60 + 30, 40},
		{"midnight", 12500, 30, 0, 20},
		{"23:00", 10000, 30, 23 * 60, 10},
		{"minute -1 is 23:59 of the day before", 10000, 30, -1, 10},
		{"minute -1440 is 00:00", 12500, 30, -1440, 20},
		{"zero speed", 10000, 0, 600, math.Inf(1)},
		{"NaN departure uses hour 0", 12500, 30, math.NaN(), 20},
		{"Inf departure uses hour 0", 12500, 30, math.Inf(1), 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tr.Minutes(tt.d, tt.speed, tt.depart)
			if !near(got, tt.want, 1e-12) && got != tt.want {
				t.Errorf("Minutes(%v, %v, %v) = %v, want %v", tt.d, tt.speed, tt.depart, got, tt.want)
			}
		})
	}
	if got := (Travel{}).Minutes(1000, 30, 0); !math.IsInf(got, 1) {
		t.Errorf("zero Travel: Minutes = %v, want +Inf", got)
	}
}

package route

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

// line is a tiny problem on a line: depot at x=0, jobs at x=1..4.
func lineProblem() *Problem {
	return &Problem{
		Matrix: &plane{xs: []float64{0, 1, 2, 3, 4}, ys: make([]float64, 5), speed: 1},
		Jobs: []Job{
			{Loc: 1, Demand: Load{1}, Service: 1, Ready: 0, Due: 100},
			{Loc: 2, Demand: Load{1}, Service: 1, Ready: 0, Due: 100},
			{Loc: 3, Demand: Load{1}, Service: 1, Ready: 10, Due: 20, Skills: 1},
			{Loc: 4, Demand: Load{2}, Service: 1, Ready: 0, Due: 100},
		},
		Vehicles: []Vehicle{
			{Capacity: Load{5}, ShiftEnd: 100, Skills: 1, PerDist: 1},
			{Capacity: Load{5}, ShiftEnd: 100, PerDist: 1},
		},
	}
}

func cloneSolution(s *Solution) *Solution {
	c := *s
	c.Routes = slices.Clone(s.Routes)
	for i := range c.Routes {
		c.Routes[i].Jobs = slices.Clone(c.Routes[i].Jobs)
		c.Routes[i].Arrival = slices.Clone(c.Routes[i].Arrival)
	}
	c.Unassigned = slices.Clone(s.Unassigned)
	return &c
}

// validLine is a hand-made feasible solution of lineProblem: vehicle 0 visits
// jobs 0, 1, 2, 3 (x = 1, 2, 3, 4) and returns.
func validLine() *Solution {
	r := Route{Vehicle: 0, Jobs: []int{0, 1, 2, 3}, Arrival: []float64{1, 3, 10, 12}, Depart: 0, Return: 17, Distance: 8, Duration: 17, Load: Load{5}, Cost: 8}
	return &Solution{Routes: []Route{r}, Cost: 8, Distance: 8}
}

// dropLast removes job 3 from validLine's route, keeping the route consistent.
func dropLast(s *Solution) {
	r := &s.Routes[0]
	r.Jobs, r.Arrival = r.Jobs[:3], r.Arrival[:3]
	r.Load, r.Distance, r.Return, r.Duration, r.Cost = Load{3}, 6, 14, 14, 6
	s.Cost, s.Distance = 6, 6
}

func TestCheckValid(t *testing.T) {
	if err := Check(lineProblem(), validLine()); err != nil {
		t.Fatalf("valid solution rejected: %v", err)
	}
}

func TestCheckViolations(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(p *Problem, s *Solution)
		substr string
	}{
		{"capacity", func(p *Problem, s *Solution) { p.Vehicles[0].Capacity = Load{4} }, "exceeds capacity"},
		{"late", func(p *Problem, s *Solution) { p.Jobs[2].Due = 9.5; p.Jobs[2].Ready = 0 }, "after due"},
		{"early", func(p *Problem, s *Solution) { s.Routes[0].Arrival[2] = 9 }, "before ready"},
		{"too fast", func(p *Problem, s *Solution) { s.Routes[0].Arrival[1] = 2 }, "before the vehicle can arrive"},
		{"shift end", func(p *Problem, s *Solution) { p.Vehicles[0].ShiftEnd = 16 }, "after shift end"},
		{"shift start", func(p *Problem, s *Solution) { p.Vehicles[0].ShiftStart = 1; p.Vehicles[0].ShiftEnd = 100 }, "before shift start"},
		{"return too early", func(p *Problem, s *Solution) { s.Routes[0].Return = 16; s.Routes[0].Duration = 16 }, "before the vehicle can be back"},
		{"skill", func(p *Problem, s *Solution) { s.Routes[0].Vehicle = 1 }, "needs skills"},
		{"duplicate", func(p *Problem, s *Solution) { s.Unassigned = []Unassigned{{Job: 1, Reason: ReasonShift}} }, "also routed"},
		{"twice in route", func(p *Problem, s *Solution) { s.Routes[0].Jobs[1] = 0 }, "appears twice"},
		{"missing", func(p *Problem, s *Solution) { dropLast(s) }, "neither routed nor unassigned"},
		{"bad job", func(p *Problem, s *Solution) { s.Routes[0].Jobs[0] = 7 }, "outside"},
		{"bad vehicle", func(p *Problem, s *Solution) { s.Routes[0].Vehicle = 2 }, "outside"},
		{"vehicle twice", func(p *Problem, s *Solution) {
			s.Routes = append(s.Routes, Route{Vehicle: 0, Jobs: []int{}})
		}, "two routes"},
		{"empty route", func(p *Problem, s *Solution) {
			s.Routes = append(s.Routes, Route{Vehicle: 1})
		}, "empty route"},
		{"arrivals", func(p *Problem, s *Solution) { s.Routes[0].Arrival = s.Routes[0].Arrival[:2] }, "times for"},
		{"distance", func(p *Problem, s *Solution) { s.Routes[0].Distance = 7 }, "distance"},
		{"total distance", func(p *Problem, s *Solution) { s.Distance = 9 }, "routes sum to"},
		{"duration", func(p *Problem, s *Solution) { s.Routes[0].Duration = 10 }, "duration"},
		{"cost", func(p *Problem, s *Solution) { p.Vehicles[0].Fixed = 1 }, "cost"},
		{"total cost", func(p *Problem, s *Solution) { s.Cost = 1 }, "routes sum to"},
		{"load", func(p *Problem, s *Solution) { s.Routes[0].Load = Load{4} }, "jobs sum to"},
		{"reason", func(p *Problem, s *Solution) {
			dropLast(s)
			s.Unassigned = []Unassigned{{Job: 3, Reason: "lost"}}
		}, "unknown reason"},
		{"valid unassigned", func(p *Problem, s *Solution) {
			dropLast(s)
			s.Unassigned = []Unassigned{{Job: 3, Reason: ReasonShift}}
			s.Cost = -1 // the only violation
		}, "cost: reported -1"},
		{"invalid problem", func(p *Problem, s *Solution) { p.Jobs[0].Due = -1 }, "before ready"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, s := lineProblem(), validLine()
			tt.edit(p, s)
			err := Check(p, s)
			if err == nil {
				t.Fatalf("Check accepted the solution, want an error containing %q", tt.substr)
			}
			if !strings.Contains(err.Error(), tt.substr) {
				t.Errorf("got %q, want it to contain %q", err, tt.substr)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		edit func(p *Problem)
		want string // "" for valid
	}{
		{func(p *Problem) {}, ""},
		{func(p *Problem) { p.Matrix = nil }, "matrix: missing"},
		{func(p *Problem) { p.Jobs[3].Due = -1 }, "jobs[3].due: before ready"},
		{func(p *Problem) { p.Jobs[1].Loc = 5 }, "jobs[1].loc: location 5 outside 0..4"},
		{func(p *Problem) { p.Jobs[0].Demand[2] = -1 }, "jobs[0].demand[2]: negative"},
		{func(p *Problem) { p.Jobs[0].Service = -1 }, "jobs[0].service"},
		{func(p *Problem) { p.Vehicles[1].ShiftEnd = -1 }, "vehicles[1].shift_end: before shift_start"},
		{func(p *Problem) { p.Vehicles[1].End = -1 }, "vehicles[1].end"},
		{func(p *Problem) { p.Vehicles[0].PerTime = -1 }, "vehicles[0].per_time"},
		{func(p *Problem) { p.Vehicles[0].Capacity[0] = -1 }, "vehicles[0].capacity[0]: negative"},
	}
	for _, tt := range tests {
		p := lineProblem()
		tt.edit(p)
		err := p.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("got %v, want nil", err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("got %v, want an error containing %q", err, tt.want)
		case err != nil && !errors.Is(err, ErrInvalid):
			t.Errorf("%v does not wrap ErrInvalid", err)
		}
	}
}

func TestUnassignedReasons(t *testing.T) {
	p := lineProblem()
	p.Vehicles = p.Vehicles[:1]
	p.Vehicles[0].Capacity = Load{3, 10}
	p.Vehicles[0].ShiftEnd = 30
	p.Jobs = append(p.Jobs,
		Job{Loc: 1, Skills: 2},                             // 4: skill nobody has
		Job{Loc: 2, Demand: Load{1, 11}},                   // 5: too heavy in dimension 1
		Job{Loc: 4, Ready: 0, Due: 3},                      // 6: unreachable before due
		Job{Loc: 4, Ready: 26, Due: 27, Service: 1},        // 7: served alone, back after shift end
		Job{Loc: 1, Demand: Load{3}, Service: 1, Due: 100}, // 8: fits alone, but not with the rest
	)
	sol, err := Solve(context.Background(), p, Options{Iterations: 50, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(p, sol); err != nil {
		t.Fatal(err)
	}
	got := map[int]Reason{}
	for _, u := range sol.Unassigned {
		got[u.Job] = u.Reason
	}
	want := map[int]Reason{4: ReasonSkill, 5: ReasonCapacity, 6: ReasonTimeWindow, 7: ReasonShift}
	for j, r := range want {
		if got[j] != r {
			t.Errorf("job %d: reason %q, want %q", j, got[j], r)
		}
	}
	// Capacity 3 fits at most three of jobs 0-3 and 8 (demands 1, 1, 1, 2, 3):
	// the others are unassigned for lack of room, reason "shift".
	for _, u := range sol.Unassigned {
		if _, ok := want[u.Job]; !ok && u.Reason != ReasonShift {
			t.Errorf("job %d: reason %q, want %q", u.Job, u.Reason, ReasonShift)
		}
	}
	routed := 0
	for _, r := range sol.Routes {
		routed += len(r.Jobs)
	}
	if routed != 3 {
		t.Errorf("routed %d jobs, want 3 (capacity 3)", routed)
	}
}

func TestNoVehicles(t *testing.T) {
	p := lineProblem()
	p.Vehicles = nil
	sol, err := Solve(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sol.Unassigned) != len(p.Jobs) {
		t.Fatalf("got %d unassigned, want %d", len(sol.Unassigned), len(p.Jobs))
	}
	if err := Check(p, sol); err != nil {
		t.Fatal(err)
	}
}

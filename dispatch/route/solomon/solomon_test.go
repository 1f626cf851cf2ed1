package solomon_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/carriersim/carriersim/dispatch/route"
	"github.com/carriersim/carriersim/dispatch/route/solomon"
)

const tiny = "TINY\r\n\r\nVEHICLE\r\nNUMBER     CAPACITY\r\n  2         10\r\n\r\nCUSTOMER\r\n" +
	"CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\r\n \r\n" +
	"    0      0         0          0          0       100          0\r\n" +
	"    1      3         4          5         10        20          2\r\n" +
	"    7      6         8          4          0        50          1\r\n"

func TestRead(t *testing.T) {
	in, err := solomon.Read(strings.NewReader(tiny), "tiny.txt")
	if err != nil {
		t.Fatal(err)
	}
	if in.Name != "TINY" || in.Vehicles != 2 || in.Capacity != 10 || len(in.Customers) != 2 {
		t.Fatalf("got %+v", in)
	}
	if c := in.Customers[1]; c != (solomon.Customer{ID: 7, X: 6, Y: 8, Demand: 4, Ready: 0, Due: 50, Service: 1}) {
		t.Errorf("customer 7: got %+v", c)
	}
	p := in.Problem()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if d := p.Matrix.Dist(0, 1); d != 5 {
		t.Errorf("depot to customer 1: got %v, want 5", d)
	}
	if d := p.Matrix.Time(1, 2); d != 5 {
		t.Errorf("time 1 to 7: got %v, want 5", d)
	}
	if len(p.Vehicles) != 2 || p.Vehicles[0].ShiftEnd != 100 || p.Vehicles[0].Capacity != (route.Load{10}) {
		t.Errorf("vehicles: got %+v", p.Vehicles)
	}
	if j := p.Jobs[0]; j.Loc != 1 || j.Ready != 10 || j.Due != 20 || j.Service != 2 || j.Demand != (route.Load{5}) {
		t.Errorf("job 0: got %+v", j)
	}
	sol := &route.Solution{Routes: []route.Route{{Jobs: []int{1, 0}}}}
	if got := in.Routes(sol); len(got) != 1 || got[0][0] != 7 || got[0][1] != 1 {
		t.Errorf("Routes: got %v, want [[7 1]]", got)
	}
}

func TestReadErrors(t *testing.T) {
	lines := strings.Split(strings.ReplaceAll(tiny, "\r", ""), "\n")
	edit := func(i int, s string) string {
		c := append([]string(nil), lines...)
		c[i] = s
		return strings.Join(c, "\n")
	}
	tests := []struct {
		in, want string
	}{
		{"", "f.txt:1: expected the instance name, found end of file"},
		{"X\n", `f.txt:2: expected "VEHICLE", found end of file`},
		{edit(2, "VEHICLES"), `f.txt:3: expected "VEHICLE", found "VEHICLES"`},
		{edit(3, "NUMBER"), `f.txt:4: expected "NUMBER CAPACITY"`},
		{edit(4, "2"), "f.txt:5: expected 2 numbers"},
		{edit(4, "0 10"), `f.txt:5: expected a vehicle number >= 1, found "0"`},
		{edit(4, "2 -1"), `f.txt:5: expected a capacity >= 0, found "-1"`},
		{edit(6, "CUSTOMERS"), `f.txt:7: expected "CUSTOMER"`},
		{edit(7, "0 0 0 0 0 100 0"), `f.txt:8: expected the column header`},
		{edit(10, "1 3 4 5 10 20"), "f.txt:11: expected 7 numbers"},
		{edit(10, "1 3 x 5 10 20 2"), `f.txt:11: expected a finite number for the y, found "x"`},
		{edit(10, "1 3 4 5.5 10 20 2"), `f.txt:11: expected a whole demand >= 0, found "5.5"`},
		{edit(10, "1 3 4 5 30 20 2"), "f.txt:11: expected a due date >= ready time 30, found 20"},
		{edit(10, "1 3 4 5 10 20 -2"), `f.txt:11: expected a service time >= 0, found "-2"`},
		{edit(10, "1 3 4 5 10 20 NaN"), `f.txt:11: expected a finite number for the service time`},
		{edit(11, "1 6 8 4 0 50 1"), "f.txt:12: expected a new customer number, 1 is already on line 11"},
		{strings.Join(lines[:8], "\n"), "f.txt:9: expected the depot row, found end of file"},
	}
	for _, tt := range tests {
		_, err := solomon.Read(strings.NewReader(tt.in), "f.txt")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("got %v, want an error containing %q", err, tt.want)
			continue
		}
		if !errors.Is(err, solomon.ErrFormat) {
			t.Errorf("%v does not wrap ErrFormat", err)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add(tiny)
	f.Add("X\nVEHICLE\nNUMBER CAPACITY\n1 1\nCUSTOMER\nCUST\n0 0 0 0 0 1 0\n")
	f.Add("VEHICLE\nNUMBER CAPACITY\n1 1\nCUSTOMER\nCUST NO.\n0 0 0 0 0 1 0\n1 1e300 -1e300 1 0 1 0\n")
	f.Fuzz(func(t *testing.T, s string) {
		in, err := solomon.Read(strings.NewReader(s), "fuzz")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz:") {
				t.Fatalf("error without file name: %v", err)
			}
			return
		}
		if len(in.Customers) > 50 {
			return
		}
		p := in.Problem()
		if err := p.Validate(); err != nil {
			t.Fatalf("Read accepted an instance giving an invalid problem: %v", err)
		}
		if in.Vehicles > 50 {
			return
		}
		sol, err := route.Solve(context.Background(), p, route.Options{Iterations: 20, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := route.Check(p, sol); err != nil {
			t.Fatalf("Solve gave an infeasible solution: %v", err)
		}
	})
}

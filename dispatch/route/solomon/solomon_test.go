package solomon_test

import (
	"context"
	"errors"
	"fmt"
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
		{edit(4, "0 10"), `f.txt:5: vehicle number: expected a whole number from 1 to 100000, found "0"`},
		{edit(4, "2000000000 10"), `f.txt:5: vehicle number: expected a whole number from 1 to 100000, found "2000000000"`},
		{edit(4, "100001 10"), `f.txt:5: vehicle number: expected a whole number from 1 to 100000, found "100001"`},
		{edit(4, "99999999999999999999 10"), `f.txt:5: vehicle number: expected a whole number from 1 to 100000, found "99999999999999999999"`},
		{edit(4, "2 -1"), `f.txt:5: capacity: expected a whole number from 0 to 1e+12, found "-1"`},
		{edit(4, "2 1000000000001"), `f.txt:5: capacity: expected a whole number from 0 to 1e+12, found "1000000000001"`},
		{edit(6, "CUSTOMERS"), `f.txt:7: expected "CUSTOMER"`},
		{edit(7, "0 0 0 0 0 100 0"), `f.txt:8: expected the column header`},
		{edit(10, "1 3 4 5 10 20"), "f.txt:11: expected 7 numbers"},
		{edit(10, "-1 3 4 5 10 20 2"), `f.txt:11: customer number: expected a whole number >= 0, found "-1"`},
		{edit(10, "1 3 x 5 10 20 2"), `f.txt:11: y: expected a number from -1e+12 to 1e+12, found "x"`},
		{edit(10, "1 1e13 4 5 10 20 2"), `f.txt:11: x: expected a number from -1e+12 to 1e+12, found "1e13"`},
		{edit(10, "1 3 -1e300 5 10 20 2"), `f.txt:11: y: expected a number from -1e+12 to 1e+12, found "-1e300"`},
		{edit(10, "1 3 4 5e12 10 20 2"), `f.txt:11: demand: expected a number from -1e+12 to 1e+12, found "5e12"`},
		{edit(10, "1 3 4 5.5 10 20 2"), `f.txt:11: demand: expected a whole number >= 0, found "5.5"`},
		{edit(10, "1 3 4 5 30 20 2"), "f.txt:11: due date: expected at least the ready time 30, found 20"},
		{edit(10, "1 3 4 5 10 20 -2"), `f.txt:11: service time: expected a number >= 0, found "-2"`},
		{edit(10, "1 3 4 5 10 20 NaN"), `f.txt:11: service time: expected a number from -1e+12 to 1e+12, found "NaN"`},
		{edit(11, "1 6 8 4 0 50 1"), "f.txt:12: expected a new customer number, 1 is already on line 11"},
		{strings.Join(lines[:8], "\n"), "f.txt:9: expected the depot row, found end of file"},
		{tooManyCustomers(lines), "f.txt:10011: customers: expected at most 10000 rows after the depot's, found more"},
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

// tooManyCustomers returns the tiny instance with MaxCustomers+1 customers
// after its depot, on lines 11 to 10011.
func tooManyCustomers(lines []string) string {
	var b strings.Builder
	b.WriteString(strings.Join(lines[:10], "\n"))
	for i := 1; i <= solomon.MaxCustomers+1; i++ {
		fmt.Fprintf(&b, "\n%d 3 4 1 0 100 1", i)
	}
	return b.String()
}

func TestReadAtLimits(t *testing.T) {
	lines := strings.Split(strings.ReplaceAll(tiny, "\r", ""), "\n")
	lines[4] = fmt.Sprintf("%d %d", solomon.MaxVehicles, int64(solomon.MaxMagnitude))
	lines[10] = "1 -1e12 1e12 1000000000000 0 1e12 1e12"
	in, err := solomon.Read(strings.NewReader(strings.Join(lines, "\n")), "f.txt")
	if err != nil {
		t.Fatal(err)
	}
	if in.Vehicles != solomon.MaxVehicles || in.Capacity != 1e12 || in.Customers[0].Demand != 1e12 {
		t.Errorf("got %d vehicles of capacity %d, demand %d", in.Vehicles, in.Capacity, in.Customers[0].Demand)
	}
	lines[4] = "2 10"
	many := tooManyCustomers(lines)
	many = many[:strings.LastIndex(many, "\n")]
	if in, err = solomon.Read(strings.NewReader(many), "f.txt"); err != nil {
		t.Fatal(err)
	}
	if len(in.Customers) != solomon.MaxCustomers {
		t.Errorf("got %d customers, want %d", len(in.Customers), solomon.MaxCustomers)
	}
}

func FuzzRead(f *testing.F) {
	f.Add(tiny)
	f.Add("X\nVEHICLE\nNUMBER CAPACITY\n1 1\nCUSTOMER\nCUST\n0 0 0 0 0 1 0\n")
	f.Add("VEHICLE\nNUMBER CAPACITY\n1 1\nCUSTOMER\nCUST NO.\n0 0 0 0 0 1 0\n1 1e300 -1e300 1 0 1 0\n")
	f.Add("X\nVEHICLE\nNUMBER CAPACITY\n2000000000 1\nCUSTOMER\nCUST\n0 0 0 0 0 1 0\n")
	f.Add("X\nVEHICLE\nNUMBER CAPACITY\n100001 1\nCUSTOMER\nCUST\n0 0 0 0 0 1 0\n")
	f.Add("X\nVEHICLE\nNUMBER CAPACITY\n1 9223372036854775807\nCUSTOMER\nCUST\n0 0 0 0 0 1 0\n")
	f.Add("X\nVEHICLE\nNUMBER CAPACITY\n1 1\nCUSTOMER\nCUST\n0 1e12 -1e12 0 0 1e12 0\n1 -1e12 1e12 1 0 1e12 0\n")
	f.Fuzz(func(t *testing.T, s string) {
		in, err := solomon.Read(strings.NewReader(s), "fuzz")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz:") {
				t.Fatalf("error without file name: %v", err)
			}
			return
		}
		if in.Vehicles > solomon.MaxVehicles || len(in.Customers) > solomon.MaxCustomers {
			t.Fatalf("Read accepted %d vehicles and %d customers, beyond its limits", in.Vehicles, len(in.Customers))
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

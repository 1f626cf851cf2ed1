// Package solomon reads vehicle routing instances in the text format of
// Solomon (1987) and Gehring and Homberger (1999): a name line, a VEHICLE
// section with the fleet size and capacity, and a CUSTOMER section with one row
// per location (id, x, y, demand, ready time, due date, service time), the
// first row being the depot.
//
// Distances are Euclidean in double precision, unrounded; travel time equals
// distance. Service must start within [ready, due]; vehicles leave the depot no
// earlier than its ready time and return no later than its due date.
//
// # Limits
//
// Read refuses, before allocating for them, an instance beyond what a run can
// hold: more than MaxVehicles vehicles (Problem allocates every vehicle, and
// the solver a route for each), more than MaxCustomers customer rows after the
// depot (Problem's distance matrix is dense: (n+1)^2 float64, 800 MB at the
// limit), or a capacity or any number of a row (coordinates, demand, times)
// whose magnitude is above MaxMagnitude (sums of demands and of times then
// stay exact and far from overflow). The error names the file, the line and
// the field: "f.txt:5: vehicle number: expected at most 100000, found
// 2000000000".
package solomon

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/carriersim/carriersim/dispatch/route"
)

// Customer is one row of the CUSTOMER section.
type Customer struct {
	ID                  int // as numbered in the file
	X, Y                float64
	Demand              int64
	Ready, Due, Service float64
}

// Instance is a parsed instance file.
type Instance struct {
	Name      string     // the file's first line, e.g. "C101"
	Vehicles  int        // fleet size
	Capacity  int64      // capacity of each vehicle
	Depot     Customer   // the first row
	Customers []Customer // the other rows, in file order
}

// Limits of Read; see the package documentation.
const (
	MaxVehicles  = 100_000 // vehicle NUMBER
	MaxCustomers = 10_000  // rows after the depot's
	MaxMagnitude = 1e12    // of the capacity and of every number of a row
)

// ErrFormat is wrapped by every error Read returns for malformed input.
var ErrFormat = errors.New("solomon: malformed instance")

// Read parses an instance; name (usually the file path) prefixes error
// messages, which have the form "name:line: expected ...".
func Read(r io.Reader, name string) (*Instance, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	line := 0
	fail := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s:%d: %s", ErrFormat, name, line, fmt.Sprintf(format, a...))
	}
	// next returns the fields of the next non-blank line.
	next := func() ([]string, bool) {
		for sc.Scan() {
			line++
			if f := strings.Fields(sc.Text()); len(f) > 0 {
				return f, true
			}
		}
		return nil, false
	}
	eof := func(what string) error {
		if err := sc.Err(); err != nil {
			return fmt.Errorf("%s:%d: reading: %w", name, line, err)
		}
		line++
		return fail("expected %s, found end of file", what)
	}
	in := &Instance{}
	f, ok := next()
	if !ok {
		return nil, eof("the instance name")
	}
	if !strings.EqualFold(f[0], "VEHICLE") {
		in.Name = strings.Join(f, " ")
		if f, ok = next(); !ok {
			return nil, eof(`"VEHICLE"`)
		}
	}
	if len(f) != 1 || !strings.EqualFold(f[0], "VEHICLE") {
		return nil, fail(`expected "VEHICLE", found %q`, strings.Join(f, " "))
	}
	if f, ok = next(); !ok {
		return nil, eof(`"NUMBER CAPACITY"`)
	}
	if len(f) != 2 || !strings.EqualFold(f[0], "NUMBER") || !strings.EqualFold(f[1], "CAPACITY") {
		return nil, fail(`expected "NUMBER CAPACITY", found %q`, strings.Join(f, " "))
	}
	if f, ok = next(); !ok {
		return nil, eof("the vehicle number and capacity")
	}
	if len(f) != 2 {
		return nil, fail("expected 2 numbers (vehicle number, capacity), found %d fields", len(f))
	}
	nv, err := strconv.Atoi(f[0])
	if err != nil || nv < 1 || nv > MaxVehicles {
		return nil, fail("vehicle number: expected a whole number from 1 to %d, found %q", MaxVehicles, f[0])
	}
	capacity, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil || capacity < 0 || capacity > MaxMagnitude {
		return nil, fail("capacity: expected a whole number from 0 to %.0e, found %q", MaxMagnitude, f[1])
	}
	in.Vehicles, in.Capacity = nv, capacity
	if f, ok = next(); !ok {
		return nil, eof(`"CUSTOMER"`)
	}
	if len(f) != 1 || !strings.EqualFold(f[0], "CUSTOMER") {
		return nil, fail(`expected "CUSTOMER", found %q`, strings.Join(f, " "))
	}
	if f, ok = next(); !ok {
		return nil, eof("the customer column header")
	}
	if !strings.EqualFold(f[0], "CUST") {
		return nil, fail(`expected the column header "CUST NO. XCOORD. ...", found %q`, strings.Join(f, " "))
	}
	seen := map[int]int{}
	for {
		f, ok = next()
		if !ok {
			break
		}
		if len(seen) > MaxCustomers {
			return nil, fail("customers: expected at most %d rows after the depot's, found more", MaxCustomers)
		}
		c, err := parseRow(f)
		if err != nil {
			return nil, fail("%v", err)
		}
		if prev, dup := seen[c.ID]; dup {
			return nil, fail("expected a new customer number, %d is already on line %d", c.ID, prev)
		}
		seen[c.ID] = line
		if len(seen) == 1 {
			in.Depot = c
		} else {
			in.Customers = append(in.Customers, c)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: reading: %w", name, line, err)
	}
	if len(seen) == 0 {
		line++
		return nil, fail("expected the depot row, found end of file")
	}
	return in, nil
}

// parseRow parses "id x y demand ready due service".
func parseRow(f []string) (Customer, error) {
	var c Customer
	if len(f) != 7 {
		return c, fmt.Errorf("expected 7 numbers (id, x, y, demand, ready, due, service), found %d fields", len(f))
	}
	id, err := strconv.Atoi(f[0])
	if err != nil || id < 0 {
		return c, fmt.Errorf("customer number: expected a whole number >= 0, found %q", f[0])
	}
	c.ID = id
	names := [...]string{"", "x", "y", "demand", "ready time", "due date", "service time"}
	var v [7]float64
	for i := 1; i < 7; i++ {
		x, err := strconv.ParseFloat(f[i], 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > MaxMagnitude {
			return c, fmt.Errorf("%s: expected a number from %.0e to %.0e, found %q", names[i], -MaxMagnitude, MaxMagnitude, f[i])
		}
		v[i] = x
	}
	c.X, c.Y = v[1], v[2]
	if v[3] < 0 || v[3] != math.Trunc(v[3]) {
		return c, fmt.Errorf("demand: expected a whole number >= 0, found %q", f[3])
	}
	c.Demand = int64(v[3])
	c.Ready, c.Due, c.Service = v[4], v[5], v[6]
	switch {
	case c.Due < c.Ready:
		return c, fmt.Errorf("due date: expected at least the ready time %v, found %v", c.Ready, c.Due)
	case c.Service < 0:
		return c, fmt.Errorf("service time: expected a number >= 0, found %q", f[6])
	}
	return c, nil
}

// Matrix is a dense Euclidean distance matrix; travel time equals distance.
type Matrix struct {
	n int
	d []float64
}

// MatrixFromPoints returns the Euclidean matrix of the points (xs[i], ys[i]).
func MatrixFromPoints(xs, ys []float64) *Matrix {
	n := len(xs)
	m := &Matrix{n: n, d: make([]float64, n*n)}
	for i := range n {
		for j := range i {
			d := math.Hypot(xs[i]-xs[j], ys[i]-ys[j])
			m.d[i*n+j], m.d[j*n+i] = d, d
		}
	}
	return m
}

// Dist returns the Euclidean distance between locations i and j.
func (m *Matrix) Dist(i, j int) float64 { return m.d[i*m.n+j] }

// Time returns the travel time between locations i and j (equal to the distance).
func (m *Matrix) Time(i, j int) float64 { return m.d[i*m.n+j] }

// Trip returns the travel time and distance between locations i and j (both the distance).
func (m *Matrix) Trip(i, j int) (float64, float64) {
	d := m.d[i*m.n+j]
	return d, d
}

// Len returns the number of locations.
func (m *Matrix) Len() int { return m.n }

// Problem returns the instance as a route.Problem: location 0 is the depot,
// location i+1 and job i are Customers[i], and there are Vehicles identical
// vehicles with the depot's window as shift and cost 1 per distance unit.
func (in *Instance) Problem() *route.Problem {
	n := len(in.Customers) + 1
	xs, ys := make([]float64, n), make([]float64, n)
	xs[0], ys[0] = in.Depot.X, in.Depot.Y
	p := &route.Problem{Jobs: make([]route.Job, len(in.Customers)), Vehicles: make([]route.Vehicle, in.Vehicles)}
	for i, c := range in.Customers {
		xs[i+1], ys[i+1] = c.X, c.Y
		p.Jobs[i] = route.Job{Loc: i + 1, Demand: route.Load{c.Demand}, Service: c.Service, Ready: c.Ready, Due: c.Due}
	}
	p.Matrix = MatrixFromPoints(xs, ys)
	for v := range p.Vehicles {
		p.Vehicles[v] = route.Vehicle{
			Capacity:   route.Load{in.Capacity},
			ShiftStart: in.Depot.Ready,
			ShiftEnd:   in.Depot.Due,
			PerDist:    1,
		}
	}
	return p
}

// Routes returns the solution's routes as lists of customer numbers as in the
// file (the depot implied at both ends), in the solution's route order.
func (in *Instance) Routes(s *route.Solution) [][]int {
	out := make([][]int, len(s.Routes))
	for i, r := range s.Routes {
		ids := make([]int, len(r.Jobs))
		for k, j := range r.Jobs {
			ids[k] = in.Customers[j].ID
		}
		out[i] = ids
	}
	return out
}

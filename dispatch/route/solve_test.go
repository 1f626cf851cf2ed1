package route_test

import (
	"bufio"
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/carriersim/carriersim/dispatch/route"
	"github.com/carriersim/carriersim/dispatch/route/solomon"
)

const dataDir = "../../../shared/data"

// benchRow is one location of an instance file, parsed independently of package solomon.
type benchRow struct{ x, y, demand, ready, due, service float64 }

// readRaw reads an instance file with its own minimal parser: vehicle count,
// capacity and the rows by customer number.
func readRaw(t *testing.T, path string) (nv int, capacity float64, rows map[int]benchRow) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("benchmark data not available: %v", err)
	}
	defer f.Close()
	rows = map[int]benchRow{}
	var nums [][]float64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var row []float64
		for _, w := range strings.Fields(sc.Text()) {
			x, err := strconv.ParseFloat(w, 64)
			if err != nil {
				row = nil
				break
			}
			row = append(row, x)
		}
		if len(row) > 0 {
			nums = append(nums, row)
		}
	}
	nv, capacity = int(nums[0][0]), nums[0][1]
	for _, r := range nums[1:] {
		rows[int(r[0])] = benchRow{r[1], r[2], r[3], r[4], r[5], r[6]}
	}
	return nv, capacity, rows
}

// checkRoutes verifies routes of customer numbers against the instance file:
// every customer exactly once, capacity, service start within windows (waiting
// allowed), return to the depot by its due date, fleet size; it returns the
// total Euclidean distance.
func checkRoutes(t *testing.T, path string, routes [][]int) float64 {
	t.Helper()
	nv, capacity, rows := readRaw(t, path)
	depot := rows[0]
	if len(routes) > nv {
		t.Errorf("%s: %d routes, fleet has %d", path, len(routes), nv)
	}
	seen := map[int]bool{}
	total := 0.0
	for ri, r := range routes {
		load, now, at := 0.0, depot.ready, depot
		for _, id := range r {
			c, ok := rows[id]
			if !ok || id == 0 || seen[id] {
				t.Fatalf("%s: route %d: customer %d unknown, the depot or repeated", path, ri, id)
			}
			seen[id] = true
			d := math.Hypot(c.x-at.x, c.y-at.y)
			total += d
			now = max(now+d, c.ready)
			if now > c.due+1e-9 {
				t.Errorf("%s: route %d: customer %d served at %.4f after due %v", path, ri, id, now, c.due)
			}
			now += c.service
			load += c.demand
			at = c
		}
		d := math.Hypot(depot.x-at.x, depot.y-at.y)
		total += d
		if now+d > depot.due+1e-9 {
			t.Errorf("%s: route %d: back at %.4f after depot due %v", path, ri, now+d, depot.due)
		}
		if load > capacity {
			t.Errorf("%s: route %d: load %v over capacity %v", path, ri, load, capacity)
		}
	}
	if len(seen) != len(rows)-1 {
		t.Errorf("%s: %d customers routed, want %d", path, len(seen), len(rows)-1)
	}
	return total
}

func loadInstance(t *testing.T, path string) *solomon.Instance {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("benchmark data not available: %v", err)
	}
	defer f.Close()
	in, err := solomon.Read(f, path)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestSolveSolomonFeasible(t *testing.T) {
	for _, name := range []string{"C101", "R101", "RC201", "R211", "C205"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dataDir, "solomon", name+".txt")
			in := loadInstance(t, path)
			p := in.Problem()
			sol, err := route.Solve(context.Background(), p, route.Options{Iterations: 2000, Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			if len(sol.Unassigned) > 0 {
				t.Errorf("%d jobs unassigned", len(sol.Unassigned))
			}
			if err := route.Check(p, sol); err != nil {
				t.Error(err)
			}
			d := checkRoutes(t, path, in.Routes(sol))
			if math.Abs(d-sol.Distance) > 1e-6 {
				t.Errorf("distance %v, recomputed %v", sol.Distance, d)
			}
		})
	}
}

func TestSolveHombergerFeasible(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000 customers")
	}
	path := filepath.Join(dataDir, "homberger", "rc1_10_1.txt")
	in := loadInstance(t, path)
	p := in.Problem()
	sol, err := route.Solve(context.Background(), p, route.Options{Iterations: 200, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := route.Check(p, sol); err != nil {
		t.Error(err)
	}
	checkRoutes(t, path, in.Routes(sol))
}

func TestSolveDeterministic(t *testing.T) {
	in := loadInstance(t, filepath.Join(dataDir, "solomon", "RC105.txt"))
	p := in.Problem()
	solve := func(seed uint64) *route.Solution {
		s, err := route.Solve(context.Background(), p, route.Options{Iterations: 1500, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	a, b := solve(5), solve(5)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("same seed, different solutions: %.4f vs %.4f", a.Distance, b.Distance)
	}
	c := solve(6)
	if reflect.DeepEqual(a.Routes, c.Routes) {
		t.Logf("seeds 5 and 6 gave identical routes (possible, but unlikely)")
	}
}

// plainMatrix hides a Matrix's other methods (Trip, Len): the solver reads it through its trip cache.
type plainMatrix struct{ m route.Matrix }

func (p plainMatrix) Dist(i, j int) float64 { return p.m.Dist(i, j) }
func (p plainMatrix) Time(i, j int) float64 { return p.m.Time(i, j) }

// TestTripMatrixSameSolution checks that a TripMatrix, read directly with Trip, gives the solution the
// same matrix gives when it is read by Time and Dist through the solver's trip cache.
func TestTripMatrixSameSolution(t *testing.T) {
	in := loadInstance(t, filepath.Join(dataDir, "solomon", "RC105.txt"))
	p := in.Problem()
	if _, ok := p.Matrix.(route.TripMatrix); !ok {
		t.Fatal("the Solomon matrix is not a route.TripMatrix")
	}
	plain := *p
	plain.Matrix = plainMatrix{p.Matrix}
	opt := route.Options{Iterations: 500, Seed: 3}
	a, err := route.Solve(context.Background(), p, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := route.Solve(context.Background(), &plain, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("Trip read directly and Time/Dist through the cache give different solutions: %.4f vs %.4f", a.Distance, b.Distance)
	}
}

package route_test

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carriersim/carriersim/dispatch/route"
	"github.com/carriersim/carriersim/dispatch/route/solomon"
)

var (
	bks        = flag.Bool("bks", false, "solve every instance in -bksdir and compare with BKS.csv")
	bksDir     = flag.String("bksdir", "../../../shared/data/solomon", "directory with *.txt instances and BKS.csv")
	timeLimit  = flag.Duration("timelimit", time.Second, "time limit per instance for -bks")
	iterations = flag.Int("iterations", 0, "iteration limit per instance for -bks (0: none)")
	minVeh     = flag.Bool("minveh", false, "minimise vehicles first for -bks")
	bksOnly    = flag.String("only", "", "comma-separated instance names for -bks (default all)")
	bksMatch   = flag.String("match", "", "regular expression the instance names must match for -bks (default all)")
	bksJobs    = flag.Int("jobs", 1, "instances solved at a time for -bks, each in one goroutine")
	bksSet     = flag.String("set", "", "name of the instance set in the -bks summary line")
	bksSeed    = flag.Uint64("seed", 1, "random seed of every solve for -bks")
)

// bksResult is one instance's solve for TestBKS.
type bksResult struct {
	sol *route.Solution
	err error
	el  time.Duration
}

// TestBKS measures solution quality against the best-known solutions, checking
// every solution with Check and the independent checker:
//
//	go test ./dispatch/route -run TestBKS -bks -timelimit 1s -v
//
// BKS.csv has columns instance,vehicles,distance[,min_distance,min_distance_vehicles];
// the gap is to min_distance when present (the best distance with any number of
// vehicles) unless -minveh, else to distance. With -jobs k, k instances are
// solved at a time (each Solve is single-threaded); the table stays in file
// order and the checks run in the test's goroutine.
func TestBKS(t *testing.T) {
	if !*bks {
		t.Skip("quality measurement; enable with -bks")
	}
	f, err := os.Open(filepath.Join(*bksDir, "BKS.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	only := map[string]bool{}
	for _, s := range strings.Split(*bksOnly, ",") {
		if s != "" {
			only[strings.ToLower(s)] = true
		}
	}
	match, err := regexp.Compile(*bksMatch)
	if err != nil {
		t.Fatal(err)
	}
	type instance struct {
		name, path string
		in         *solomon.Instance
		bv         int
		bd         float64
		done       chan bksResult
	}
	var list []*instance
	for _, row := range rows[1:] {
		name := row[0]
		if len(only) > 0 && !only[strings.ToLower(name)] || !match.MatchString(name) {
			continue
		}
		path := filepath.Join(*bksDir, name+".txt")
		it := &instance{name: name, path: path, in: loadInstance(t, path), done: make(chan bksResult, 1)}
		it.bv, _ = strconv.Atoi(row[col["vehicles"]])
		it.bd, _ = strconv.ParseFloat(row[col["distance"]], 64)
		if i, ok := col["min_distance"]; ok && !*minVeh {
			it.bd, _ = strconv.ParseFloat(row[i], 64)
			it.bv, _ = strconv.Atoi(row[col["min_distance_vehicles"]])
		}
		list = append(list, it)
	}
	// Workers take instances in file order.
	next := make(chan *instance)
	for range max(1, *bksJobs) {
		go func() {
			for it := range next {
				p := it.in.Problem()
				start := time.Now()
				sol, err := route.Solve(context.Background(), p, route.Options{TimeLimit: *timeLimit, Iterations: *iterations, Seed: *bksSeed, MinimizeVehicles: *minVeh})
				it.done <- bksResult{sol, err, time.Since(start)}
			}
		}()
	}
	go func() {
		for _, it := range list {
			next <- it
		}
		close(next)
	}()
	var sumGap, maxGap float64
	var count, sumVeh, sumBKSVeh, infeasible int
	maxGap = math.Inf(-1)
	fmt.Printf("%-10s %4s %5s %10s %10s %7s %7s %s\n", "instance", "veh", "bveh", "distance", "bks", "gap%", "time", "feasible")
	for _, it := range list {
		r := <-it.done
		if r.err != nil {
			t.Fatalf("%s: %v", it.name, r.err)
		}
		sol, p := r.sol, it.in.Problem()
		ok := true
		if err := route.Check(p, sol); err != nil {
			t.Errorf("%s: %v", it.name, err)
			ok = false
		}
		if d := checkRoutes(t, it.path, it.in.Routes(sol)); math.Abs(d-sol.Distance) > 1e-6 {
			t.Errorf("%s: distance %v, independently recomputed %v", it.name, sol.Distance, d)
			ok = false
		}
		if len(sol.Unassigned) > 0 {
			t.Errorf("%s: %d unassigned", it.name, len(sol.Unassigned))
			ok = false
		}
		feasible := "yes"
		if !ok {
			feasible = "NO"
			infeasible++
		}
		gap := 100 * (sol.Distance - it.bd) / it.bd
		sumGap += gap
		maxGap = max(maxGap, gap)
		sumVeh += len(sol.Routes)
		sumBKSVeh += it.bv
		count++
		fmt.Printf("%-10s %4d %5d %10.2f %10.2f %7.2f %6.2fs %s\n", it.name, len(sol.Routes), it.bv, sol.Distance, it.bd, gap, r.el.Seconds(), feasible)
	}
	if count > 0 {
		set := *bksSet
		if set == "" {
			set = filepath.Base(*bksDir)
		}
		fmt.Printf("%s: %d instances, mean gap %.2f%%, max gap %.2f%%, vehicles %d (BKS %d), %d infeasible\n",
			set, count, sumGap/float64(count), maxGap, sumVeh, sumBKSVeh, infeasible)
	}
}

package route_test

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carriersim/carriersim/dispatch/route"
)

var (
	bks        = flag.Bool("bks", false, "solve every instance in -bksdir and compare with BKS.csv")
	bksDir     = flag.String("bksdir", "../../../shared/data/solomon", "directory with *.txt instances and BKS.csv")
	timeLimit  = flag.Duration("timelimit", time.Second, "time limit per instance for -bks")
	iterations = flag.Int("iterations", 0, "iteration limit per instance for -bks (0: none)")
	minVeh     = flag.Bool("minveh", false, "minimise vehicles first for -bks")
	bksOnly    = flag.String("only", "", "comma-separated instance names for -bks (default all)")
)

// TestBKS measures solution quality against the best-known solutions, checking
// every solution with Check and the independent checker:
//
//	go test ./dispatch/route -run TestBKS -bks -timelimit 1s -v
//
// BKS.csv has columns instance,vehicles,distance[,min_distance,min_distance_vehicles];
// the gap is to min_distance when present (the best distance with any number of
// vehicles) unless -minveh, else to distance.
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
	var sumGap, sumVehGap float64
	var count, sumVeh, sumBKSVeh int
	fmt.Printf("%-10s %4s %10s %4s %10s %7s %6s\n", "instance", "veh", "distance", "bveh", "bks", "gap%", "ms")
	for _, row := range rows[1:] {
		name := row[0]
		if len(only) > 0 && !only[strings.ToLower(name)] {
			continue
		}
		path := filepath.Join(*bksDir, name+".txt")
		in := loadInstance(t, path)
		bv, _ := strconv.Atoi(row[col["vehicles"]])
		bd, _ := strconv.ParseFloat(row[col["distance"]], 64)
		if i, ok := col["min_distance"]; ok && !*minVeh {
			bd, _ = strconv.ParseFloat(row[i], 64)
			bv, _ = strconv.Atoi(row[col["min_distance_vehicles"]])
		}
		p := in.Problem()
		start := time.Now()
		sol, err := route.Solve(context.Background(), p, route.Options{TimeLimit: *timeLimit, Iterations: *iterations, Seed: 1, MinimizeVehicles: *minVeh})
		ms := time.Since(start).Milliseconds()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := route.Check(p, sol); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if d := checkRoutes(t, path, in.Routes(sol)); math.Abs(d-sol.Distance) > 1e-6 {
			t.Errorf("%s: distance %v, independently recomputed %v", name, sol.Distance, d)
		}
		if len(sol.Unassigned) > 0 {
			t.Errorf("%s: %d unassigned", name, len(sol.Unassigned))
		}
		gap := 100 * (sol.Distance - bd) / bd
		sumGap += gap
		sumVeh += len(sol.Routes)
		sumBKSVeh += bv
		sumVehGap += float64(len(sol.Routes) - bv)
		count++
		fmt.Printf("%-10s %4d %10.2f %4d %10.2f %7.2f %6d\n", name, len(sol.Routes), sol.Distance, bv, bd, gap, ms)
	}
	if count > 0 {
		fmt.Printf("mean gap %.2f%% over %d instances; vehicles %d (BKS %d)\n", sumGap/float64(count), count, sumVeh, sumBKSVeh)
	}
}

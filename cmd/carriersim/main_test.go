package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// carriersim runs the CLI in-process and returns stdout, stderr and the exit code main would use.
func carriersim(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), &out, &errb, append([]string{"carriersim", "--log-level", "warn"}, args...))
	code := exitCode(&errb, err)
	return out.String(), errb.String(), code
}

func TestBadInputExitsTwoWithOneSentence(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"compare", "--bogus"}, "flag provided but not defined: -bogus"},
		{"unknown scenario", []string{"compare", "--scenario", "atlantis"}, `--scenario: "atlantis" is neither an embedded scenario`},
		{"negative orders", []string{"compare", "--orders", "-5"}, "--orders: expected a number of orders a day within [1, 50000000], found -5"},
		{"zero orders", []string{"simulate", "--policy", "open", "--orders", "0"}, "--orders: expected a number of orders a day within [1, 50000000], found 0"},
		{"unknown policy", []string{"compare", "--policies", "closed,wallet"}, `unknown policy "wallet"`},
		{"unknown command", []string{"simluate"}, `unknown command "simluate"`},
		{"missing policy", []string{"simulate"}, "simulate: --policy is required"},
		{"bad orders value", []string{"compare", "--orders", "many"}, `invalid value "many" for flag -orders`},
		{"negative geojson sample", []string{"compare", "--geojson-sample", "-1"}, "--geojson-sample: expected 0 (every order) or a positive number of orders, got -1"},
		{"negative geojson sample, simulate", []string{"simulate", "--policy", "open", "--geojson-sample", "-20"}, "--geojson-sample: expected 0 (every order) or a positive number of orders, got -20"},
		{"bad geojson sample value", []string{"compare", "--geojson-sample", "half"}, `invalid value "half" for flag -geojson-sample`},
		{"validate missing file", []string{"validate", "/nonexistent/s.json"}, "validate: open /nonexistent/s.json: no such file or directory"},
		{"one day", []string{"compare", "--days", "1"}, "--days: expected a number of days within [2, 31] (day 0 is the warm-up), found 1"},
		{"too many days", []string{"simulate", "--policy", "open", "--days", "400"}, "--days: expected a number of days within [2, 31] (day 0 is the warm-up), found 400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := carriersim(t, tt.args...)
			if code != 2 {
				t.Errorf("exit code %d, want 2 (stderr %q)", code, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q does not say %q", stderr, tt.want)
			}
			if lines := strings.Count(strings.TrimSpace(stderr), "\n") + 1; lines != 1 {
				t.Errorf("stderr has %d lines, want one sentence: %q", lines, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing on bad input", stdout)
			}
		})
	}
}

func TestScenariosAndValidate(t *testing.T) {
	out, _, code := carriersim(t, "scenarios")
	if code != 0 || !strings.Contains("\n"+out, "\nbeijing-default\t") {
		t.Fatalf("scenarios: code %d, output %q", code, out)
	}
	shown, _, code := carriersim(t, "scenarios", "show", "beijing-default")
	if code != 0 {
		t.Fatalf("scenarios show: code %d", code)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "mine.json")
	if err := os.WriteFile(path, []byte(shown), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := carriersim(t, "validate", path)
	if code != 0 || out != "ok\n" {
		t.Fatalf("validate of the shown scenario: code %d, out %q, err %q", code, out, stderr)
	}
	broken := strings.Replace(shown, `"circuity": 1.3`, `"circuity": 0.5`, 1)
	broken = strings.Replace(broken, `"orders": 135000`, `"orders": -1`, 1)
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = carriersim(t, "validate", path)
	if code != 2 {
		t.Errorf("validate of a broken scenario: code %d, want 2", code)
	}
	for _, want := range []string{path + ": travel.circuity: must be within [1, 3], got 0.5", path + ": demand.orders: must be a positive number, got -1"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q lacks %q", stderr, want)
		}
	}
}

// TestCompareWritesReportAndMap runs a small compare with both output files and checks them.
func TestCompareWritesReportAndMap(t *testing.T) {
	dir := t.TempDir()
	js, gj, tr := filepath.Join(dir, "r.json"), filepath.Join(dir, "map.geojson"), filepath.Join(dir, "trips.json")
	out, stderr, code := carriersim(t, "compare", "--orders", "2000", "--seed", "3", "--json", js, "--geojson", gj,
		"--trips", tr, "--date", "2025-11-11")
	if code != 0 {
		t.Fatalf("compare: code %d, stderr %q", code, stderr)
	}
	for _, want := range []string{"open vs closed: cost per delivered order", "open - closed", "cost/order", "p90 h", "--wide"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q", want)
		}
	}
	var rep struct {
		Policies []struct {
			Policy string
			Orders int
		}
	}
	b, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Policies) != 2 || rep.Policies[0].Policy != "closed" || rep.Policies[1].Policy != "open" || rep.Policies[0].Orders != 2000 {
		t.Errorf("report policies %+v, want closed and open with 2000 orders", rep.Policies)
	}
	counts := checkGeoJSON(t, gj)
	if counts["order"] != 4000 {
		t.Errorf("order features %d, want 2000 per policy", counts["order"])
	}
	for _, l := range []string{"sorting_center", "station", "service_area", "route"} {
		if counts[l] == 0 {
			t.Errorf("no %s features", l)
		}
	}
	// No temporary files are left behind.
	ents, _ := os.ReadDir(dir)
	if len(ents) != 3 {
		t.Errorf("output dir holds %d entries, want 3", len(ents))
	}
	checkTrips(t, tr, counts["route"])
	ogrinfoCounts(t, gj, counts)

	// --json - writes the report to stdout instead of the table.
	out, _, code = carriersim(t, "simulate", "--policy", "open-3p", "--orders", "1000", "--json", "-")
	if code != 0 || !strings.HasPrefix(out, "{") || !json.Valid([]byte(out)) {
		t.Errorf("--json -: code %d, stdout not a JSON document: %.80q", code, out)
	}
}

// checkGeoJSON asserts RFC 7946 basics (lon/lat order within Beijing, at most 3 numbers a position,
// counter-clockwise exteriors) and returns feature counts per layer.
func checkGeoJSON(t *testing.T, path string) map[string]int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte(`"crs"`)) {
		t.Error(`GeoJSON has a "crs" member (RFC 7946 drops it)`)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, f := range fc.Features {
		layer, _ := f.Properties["layer"].(string)
		counts[layer]++
		bound := f.Geometry.Bound()
		if bound.Min[0] < 115 || bound.Max[0] > 118 || bound.Min[1] < 39 || bound.Max[1] > 41.5 {
			t.Fatalf("%s feature bound %v is not lon/lat within Beijing", layer, bound)
		}
		if layer == "service_area" || layer == "route" || layer == "order" {
			if _, ok := f.Properties["policy"]; !ok {
				t.Fatalf("%s feature has no policy property", layer)
			}
		}
	}
	if counts[""] > 0 {
		t.Errorf("%d features have no layer property", counts[""])
	}
	if regexp.MustCompile(`\[-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+\]`).Match(b) {
		t.Error("a position has more than three numbers")
	}
	return counts
}

// ogrinfoCounts has GDAL read the file and checks each layer's feature count. CI installs gdal-bin, so the
// test is skipped only on machines without it.
func ogrinfoCounts(t *testing.T, path string, want map[string]int) {
	t.Helper()
	bin, err := exec.LookPath("ogrinfo")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("ogrinfo is not installed (.ci/run installs gdal-bin)")
		}
		t.Log("ogrinfo not installed; GDAL check skipped")
		return
	}
	total := 0
	for layer, n := range want {
		total += n
		out, err := exec.Command(bin, "-ro", "-so", "-al", path, "-where", fmt.Sprintf("layer = '%s'", layer)).CombinedOutput()
		if err != nil {
			t.Fatalf("ogrinfo: %v\n%s", err, out)
		}
		if !strings.Contains(string(out), fmt.Sprintf("Feature Count: %d\n", n)) {
			t.Errorf("ogrinfo on layer %s: want Feature Count: %d, got\n%s", layer, n, out)
		}
	}
	out, err := exec.Command(bin, "-ro", "-so", "-al", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), fmt.Sprintf("Feature Count: %d\n", total)) {
		t.Errorf("ogrinfo: want Feature Count: %d in\n%s", total, out)
	}
}

// checkTrips asserts the kepler.gl trip file: one trip per route, [lon, lat, 0, unix seconds] positions on
// the given date (2025-11-11 00:00 CST = 1762790400), times never decreasing along a trip.
func checkTrips(t *testing.T, path string, routes int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Geometry struct {
				Type        string
				Coordinates [][]float64
			}
		}
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != routes {
		t.Fatalf("%d trips, want one per route (%d)", len(fc.Features), routes)
	}
	const day0 = 1762790400
	for _, f := range fc.Features {
		prev := 0.0
		for _, c := range f.Geometry.Coordinates {
			if len(c) != 4 || c[0] < 115 || c[0] > 118 || c[3] < day0 || c[3] > day0+30*86400 || c[3] < prev {
				t.Fatalf("bad trip position %v (previous time %v)", c, prev)
			}
			prev = c[3]
		}
	}
}

func TestReplayOrdersCSV(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "orders.csv")
	rows := "id,platform,merchant,created_at,lon,lat,category,weight_kg,volume_m3\n" +
		"a1,jd,1p,2024-06-18T09:30:00+08:00,116.40,39.91,parcel,1.2,0.004\n" +
		"a2,taobao,3p,2024-06-18T10:05:00+08:00,116.33,39.98,parcel,0.5,0.002\n" +
		"a3,taobao,,2024-06-18T20:40:00+08:00,116.46,39.87,bulky,25,0.3\n" +
		"a4,jd,3p,not-a-time,116.40,39.90,parcel,1,0.001\n"
	if err := os.WriteFile(csv, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := carriersim(t, "compare", "--orders-csv", csv)
	if code != 2 || !strings.Contains(stderr, csv+":5: created_at: expected") {
		t.Errorf("bad row: code %d, stderr %q; want exit 2 naming file:line: column", code, stderr)
	}
	out, stderr, code := carriersim(t, "compare", "--orders-csv", csv, "--skip-bad-rows", "--json", "-")
	if code != 0 {
		t.Fatalf("--skip-bad-rows: code %d, stderr %q", code, stderr)
	}
	var rep struct {
		Replay struct {
			Orders  int
			Skipped int `json:"skipped_rows"`
		}
		Policies []struct{ Orders, Delivered, Unserved int }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Replay.Orders != 3 || rep.Replay.Skipped != 1 {
		t.Errorf("replay info %+v, want 3 orders and 1 skipped row", rep.Replay)
	}
	for _, p := range rep.Policies {
		if p.Orders != 3 || p.Delivered+p.Unserved != 3 {
			t.Errorf("policy %+v, want the 3 replayed orders", p)
		}
	}
	lade := filepath.Join("..", "..", "..", "shared", "data", "lade", "fixtures", "delivery_jl_union_ds0529.csv")
	if _, err := os.Stat(lade); err != nil {
		t.Skip("shared data not present")
	}
	_, stderr, code = carriersim(t, "compare", "--orders-csv", lade)
	if code != 2 || !strings.Contains(stderr, "give it with --year") {
		t.Errorf("LaDe without --year: code %d, stderr %q", code, stderr)
	}
	_, stderr, code = carriersim(t, "compare", "--orders-csv", lade, "--year", "2021")
	if code != 2 || !strings.Contains(stderr, "none of its 183 destinations lies in scenario beijing-default's city") {
		t.Errorf("Jilin orders on the Beijing scenario: code %d, stderr %q", code, stderr)
	}
}

// TestReplayCheckLaDeFixture keeps the LaDe replay path working on the real rows of one day.
func TestReplayCheckLaDeFixture(t *testing.T) {
	lade := filepath.Join("..", "..", "..", "shared", "data", "lade", "fixtures", "delivery_jl_union_ds0529.csv")
	if _, err := os.Stat(lade); err != nil {
		t.Skip("shared data not present")
	}
	js := filepath.Join(t.TempDir(), "check.json")
	out, stderr, code := carriersim(t, "replay-check", "--orders-csv", lade, "--year", "2021", "--json", js)
	if code != 0 {
		t.Fatalf("replay-check: code %d, stderr %q", code, stderr)
	}
	if !strings.Contains(out, "scenario jilin-lade: 183 replayed orders") || !strings.Contains(out, "station->door km, p50") {
		t.Errorf("unexpected output:\n%s", out)
	}
	b, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var chk struct {
		Orders, Delivered int
		Real              struct {
			Km [2]float64 `json:"station_to_door_km_p50_p90"`
		}
		Sim struct {
			Km [2]float64 `json:"station_to_door_km_p50_p90"`
		} `json:"simulated"`
	}
	if err := json.Unmarshal(b, &chk); err != nil {
		t.Fatal(err)
	}
	if chk.Orders != 183 || chk.Delivered != 183 {
		t.Errorf("%d orders, %d delivered; want all 183 delivered", chk.Orders, chk.Delivered)
	}
	// The nearest inferred station should be about as far from the door as the courier's own station.
	if r, s := chk.Real.Km[0], chk.Sim.Km[0]; s < 0.6*r || s > 1.4*r {
		t.Errorf("median station-to-door km: simulated %.2f, real %.2f", s, r)
	}
}

// TestEveryScenarioRoundTrips shows each embedded scenario, validates the shown file and compares on it.
func TestEveryScenarioRoundTrips(t *testing.T) {
	list, _, code := carriersim(t, "scenarios")
	if code != 0 {
		t.Fatalf("scenarios: code %d", code)
	}
	for _, line := range strings.Split(strings.TrimSpace(list), "\n") {
		name, _, _ := strings.Cut(line, "\t")
		if testing.Short() && name != "beijing-default" && name != "yantai-default" {
			continue // one polygon city and one LaDe-weighted city in -short
		}
		t.Run(name, func(t *testing.T) {
			shown, _, code := carriersim(t, "scenarios", "show", name)
			if code != 0 {
				t.Fatalf("show: code %d", code)
			}
			path := filepath.Join(t.TempDir(), name+".json")
			if err := os.WriteFile(path, []byte(shown), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, stderr, code := carriersim(t, "validate", path); code != 0 || out != "ok\n" {
				t.Fatalf("validate: code %d, %q %q", code, out, stderr)
			}
			out, stderr, code := carriersim(t, "compare", "--scenario", path, "--orders", "1500", "--policies", "closed", "--json", "-")
			if code != 0 {
				t.Fatalf("compare: code %d, stderr %q", code, stderr)
			}
			var rep struct {
				Scenario string
				Policies []struct{ Orders int }
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			if rep.Scenario != name || len(rep.Policies) != 1 || rep.Policies[0].Orders < 1500 {
				t.Errorf("report %+v, want scenario %s with at least 1500 orders", rep, name)
			}
		})
	}
}

// TestGeoJSONSample checks --geojson-sample against the full map of the same run: at most N orders per
// policy, the same ids in every policy, each sampled feature byte for byte as in the full map, every route
// that serves a sampled order and no other, complete sorting centres, stations and service areas, the trips
// of the same routes, and the same bytes on a second run.
func TestGeoJSONSample(t *testing.T) {
	const n = 150
	dir := t.TempDir()
	full, sampled, again := filepath.Join(dir, "full.geojson"), filepath.Join(dir, "s.geojson"), filepath.Join(dir, "s2.geojson")
	trips, trips2 := filepath.Join(dir, "s.trips.json"), filepath.Join(dir, "s2.trips.json")
	base := []string{"compare", "--orders", "1500", "--seed", "5", "--json", filepath.Join(dir, "r.json")}
	for _, args := range [][]string{
		{"--geojson", full, "--date", "2025-11-11"},
		{"--geojson", sampled, "--trips", trips, "--geojson-sample", fmt.Sprint(n), "--date", "2025-11-11"},
		{"--geojson", again, "--trips", trips2, "--geojson-sample", fmt.Sprint(n), "--date", "2025-11-11"},
	} {
		if _, stderr, code := carriersim(t, append(base, args...)...); code != 0 {
			t.Fatalf("compare %q: code %d, stderr %q", args, code, stderr)
		}
	}
	for _, pair := range [][2]string{{sampled, again}, {trips, trips2}} {
		a, _ := os.ReadFile(pair[0])
		b, _ := os.ReadFile(pair[1])
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s and %s differ: the same seed must give the same bytes", pair[0], pair[1])
		}
	}

	fullFC, fullLines := readFeatures(t, full)
	fc, lines := readFeatures(t, sampled)
	// Every sampled feature is a feature of the full map, unchanged.
	inFull := map[string]bool{}
	for _, l := range fullLines {
		inFull[l] = true
	}
	for i, l := range lines {
		if !inFull[l] {
			t.Fatalf("sampled feature %d is not in the full map: %.200s", i, l)
		}
	}
	// Orders: n per policy (the day has more), the same ids in each; remember where the sampled doors are.
	ids := map[string]map[float64]bool{}
	doors := map[string]map[[2]float64]bool{} // policy -> door positions of its sampled orders
	delivered := map[string][][2]float64{}
	for _, f := range fc.Features {
		p := f.Properties
		if p["layer"] != "order" {
			continue
		}
		pol := p["policy"].(string)
		if ids[pol] == nil {
			ids[pol], doors[pol] = map[float64]bool{}, map[[2]float64]bool{}
		}
		ids[pol][p["id"].(float64)] = true
		pt := f.Geometry.(orb.Point)
		doors[pol][pt] = true
		if p["state"] == "delivered" {
			delivered[pol] = append(delivered[pol], pt)
		}
	}
	if len(ids) != 2 || len(ids["closed"]) != n || len(ids["open"]) != n {
		t.Fatalf("sampled orders per policy: closed %d, open %d; want %d each", len(ids["closed"]), len(ids["open"]), n)
	}
	maxID := 0.0
	for id := range ids["closed"] {
		if !ids["open"][id] {
			t.Errorf("order %v is sampled for closed but not for open", id)
		}
		maxID = max(maxID, id)
	}
	if maxID < 1000 {
		t.Errorf("largest sampled id %v: the sample looks like the first orders, not a hash sample", maxID)
	}
	// Routes: exactly the full map's routes that stop at a sampled door of their policy.
	servesSample := func(f *geojson.Feature) bool {
		line := f.Geometry.(orb.LineString)
		for _, pt := range line[1 : len(line)-1] {
			if doors[f.Properties["policy"].(string)][pt] {
				return true
			}
		}
		return false
	}
	want := map[string]int{}
	for _, f := range fullFC.Features {
		switch l := f.Properties["layer"].(string); {
		case l == "route" && servesSample(f):
			want[l]++
		case l != "route" && l != "order":
			want[l]++
		}
	}
	want["order"] = 2 * n
	counts := checkGeoJSON(t, sampled)
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("sampled layers %v, want %v", counts, want)
	}
	if counts["route"] == 0 || counts["route"] >= fullCount(fullFC, "route") {
		t.Errorf("%d routes in the sample, want some but fewer than the full map's %d", counts["route"], fullCount(fullFC, "route"))
	}
	// Every delivered sampled order is on a drawn route of its policy.
	onRoute := map[string]map[[2]float64]bool{}
	for _, f := range fc.Features {
		if f.Properties["layer"] == "route" {
			pol := f.Properties["policy"].(string)
			if onRoute[pol] == nil {
				onRoute[pol] = map[[2]float64]bool{}
			}
			for _, pt := range f.Geometry.(orb.LineString) {
				onRoute[pol][pt] = true
			}
		}
	}
	for pol, pts := range delivered {
		for _, pt := range pts {
			if !onRoute[pol][pt] {
				t.Errorf("%s: delivered sampled order at %v is on no drawn route", pol, pt)
			}
		}
	}
	checkTrips(t, trips, counts["route"])
	ogrinfoCounts(t, sampled, counts)

	// A sample at least as large as the day draws everything: the full map's bytes.
	all := filepath.Join(dir, "all.geojson")
	if _, stderr, code := carriersim(t, append(base, "--geojson", all, "--geojson-sample", "1500", "--date", "2025-11-11")...); code != 0 {
		t.Fatalf("compare: code %d, stderr %q", code, stderr)
	}
	a, _ := os.ReadFile(full)
	b, _ := os.ReadFile(all)
	if !bytes.Equal(a, b) {
		t.Error("--geojson-sample equal to the day's orders changed the map")
	}
	// Outputs get os.Create's permissions (0666 less the umask), not a temporary file's 0600.
	ref, err := os.Create(filepath.Join(t.TempDir(), "ref"))
	if err != nil {
		t.Fatal(err)
	}
	ref.Close()
	refSt, _ := os.Stat(ref.Name())
	for _, p := range []string{full, sampled, trips} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != refSt.Mode().Perm() {
			t.Errorf("%s: mode %v, want %v as os.Create gives", p, st.Mode().Perm(), refSt.Mode().Perm())
		}
	}
}

// readFeatures decodes a GeoJSON file and returns it with its feature lines (one feature a line).
func readFeatures(t *testing.T, path string) (*geojson.FeatureCollection, []string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, `{"type":"Feature",`) {
			lines = append(lines, strings.TrimSuffix(l, ","))
		}
	}
	if len(lines) != len(fc.Features) {
		t.Fatalf("%s: %d feature lines for %d features", path, len(lines), len(fc.Features))
	}
	return fc, lines
}

func fullCount(fc *geojson.FeatureCollection, layer string) int {
	n := 0
	for _, f := range fc.Features {
		if f.Properties["layer"] == layer {
			n++
		}
	}
	return n
}

func TestProgressBar(t *testing.T) {
	for _, tc := range []struct {
		pct  float64
		want string
	}{
		{0, "[----------]"},
		{44, "[####------]"},
		{100, "[##########]"},
		{250, "[##########]"},
		{-3, "[----------]"},
	} {
		if got := bar(tc.pct, 10); got != tc.want {
			t.Errorf("bar(%v, 10) = %q, want %q", tc.pct, got, tc.want)
		}
	}
}

// TestSolveCommand solves a Solomon instance from the shared data, checks the JSON is the same for the same
// seed and iterations, and that a malformed file is named with its line, exit 2.
func TestSolveCommand(t *testing.T) {
	inst := filepath.Join("..", "..", "..", "shared", "data", "solomon", "C101.txt")
	if _, err := os.Stat(inst); err != nil {
		t.Skipf("shared data not present: %v", err)
	}
	dir := t.TempDir()
	var outs [2][]byte
	for i := range outs {
		js := filepath.Join(dir, fmt.Sprintf("sol%d.json", i))
		stdout, stderr, code := carriersim(t, "solve", "--iterations", "50", "--seed", "3", "--json", js, inst)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if !strings.Contains(stdout, "C101") || !strings.Contains(stdout, "vehicles=") {
			t.Errorf("stdout %q lacks the summary line", stdout)
		}
		b, err := os.ReadFile(js)
		if err != nil {
			t.Fatal(err)
		}
		outs[i] = b
	}
	// Everything but the wall time must agree.
	var a, b map[string]any
	if err := json.Unmarshal(outs[0], &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(outs[1], &b); err != nil {
		t.Fatal(err)
	}
	delete(a, "time_ms")
	delete(b, "time_ms")
	if !reflect.DeepEqual(a, b) {
		t.Error("two solves with the same --seed and --iterations wrote different solutions")
	}
	var sol struct {
		Distance float64 `json:"distance"`
	}
	if err := json.Unmarshal(outs[0], &sol); err != nil || sol.Distance < 828.9 || sol.Distance > 900 {
		t.Errorf("JSON distance %v (err %v), want C101's 828.94 or a little more", sol.Distance, err)
	}

	bad := filepath.Join(dir, "bad.txt")
	text := "C101\n\nVEHICLE\nNUMBER CAPACITY\n 25 200\n\nCUSTOMER\nCUST NO. XCOORD.\n 0 40 50 0 0 1236 0\n 1 45 x 10 912 967 90\n"
	if err := os.WriteFile(bad, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := carriersim(t, "solve", bad)
	if code != 2 || !strings.Contains(stderr, bad+":10:") || stdout != "" {
		t.Errorf("malformed instance: exit %d, stderr %q, stdout %q; want exit 2 naming %s:10:", code, stderr, stdout, bad)
	}
}

// TestDaysFlag: --days N is --set demand.days=N, report for report.
func TestDaysFlag(t *testing.T) {
	if testing.Short() {
		t.Skip("two multi-day runs")
	}
	days, _, code := carriersim(t, "compare", "--orders", "4000", "--days", "3", "--json", "-")
	if code != 0 {
		t.Fatalf("--days 3: exit %d", code)
	}
	set, _, code := carriersim(t, "compare", "--orders", "4000", "--set", "demand.days=3", "--json", "-")
	if code != 0 {
		t.Fatalf("--set demand.days=3: exit %d", code)
	}
	if days != set {
		t.Error("--days 3 and --set demand.days=3 give different reports")
	}
	one, _, _ := carriersim(t, "compare", "--orders", "4000", "--json", "-")
	if one == days {
		t.Error("--days 3 gives the one-day report")
	}
}

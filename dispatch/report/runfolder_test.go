package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/outputs"
	"github.com/carriersim/carriersim/dispatch/scenario"
)

// TestRunFolder writes a run folder as a program would, all or nothing through dispatch/outputs, and checks
// its files: every name present, scenario.json a valid scenario whose SHA-256 run.json records.
func TestRunFolder(t *testing.T) {
	c := compared(t)
	dir := t.TempDir()
	set := outputs.New(nil)
	defer set.Abort()
	for _, name := range RunFolderNames() {
		if err := set.Add(filepath.Join(dir, name), "--out"); err != nil {
			t.Fatal(err)
		}
	}
	files, err := RunFolder(c, RunFolderOptions{Day0: day0, Sample: NewSample(c, 200),
		Info: RunInfo{Version: "test", Command: []string{"carriersim", "compare", "--out", dir}, Seeds: []uint64{1}}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
		if err := set.WriteFile(filepath.Join(dir, f.Name), f.Write); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
	}
	if !slices.Equal(names, RunFolderNames()) {
		t.Fatalf("RunFolder lists %v, want RunFolderNames %v", names, RunFolderNames())
	}
	if err := set.Commit(); err != nil {
		t.Fatal(err)
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, name := range names {
		if len(read(name)) == 0 {
			t.Errorf("%s is empty", name)
		}
	}
	scen := read(FileScenario)
	sc, err := scenario.LoadFile(filepath.Join(dir, FileScenario))
	if err == nil {
		err = dispatch.Validate(sc)
	}
	if err != nil {
		t.Fatalf("scenario.json does not read back as a valid scenario: %v", err)
	}
	again, err := json.MarshalIndent(sc, "", "  ")
	if err != nil || !bytes.Equal(append(again, '\n'), scen) {
		t.Errorf("scenario.json read back and written again differs (err %v): its SHA-256 would not identify it", err)
	}
	if sc.Demand.Orders != c.Scenario.Demand.Orders {
		t.Errorf("scenario.json demand.orders = %d, want the simulated %d", sc.Demand.Orders, c.Scenario.Demand.Orders)
	}
	var info map[string]any
	if err := json.Unmarshal(read(FileRun), &info); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(scen)
	if info["scenario_sha256"] != hex.EncodeToString(sum[:]) {
		t.Errorf("run.json scenario_sha256 = %v, want the SHA-256 of scenario.json", info["scenario_sha256"])
	}
	for _, key := range []string{"version", "commit", "command", "seeds", "scenario_sha256", "start", "wall_time_s", "overrides"} {
		if _, ok := info[key]; !ok {
			t.Errorf("run.json has no %q", key)
		}
	}
	if info["start"] != "2025-03-18T00:00:00+08:00" {
		t.Errorf("run.json start = %v, want 2025-03-18T00:00:00+08:00", info["start"])
	}
	if o, ok := info["overrides"].([]any); !ok || len(o) != 0 {
		t.Errorf("run.json overrides = %v, want []", info["overrides"])
	}
}

// TestMapIDsMatchCSV checks that the map's order and route features carry the ids and times of orders.csv
// and routes.csv, and that the trips carry the route ids.
func TestMapIDsMatchCSV(t *testing.T) {
	c := compared(t)
	orders := readTable(t, FileOrders, func(w *bytes.Buffer) error { return WriteOrdersCSV(w, c, day0) })
	routes := readTable(t, FileRoutes, func(w *bytes.Buffer) error { return WriteRoutesCSV(w, c, day0) })
	routeByID := map[string]map[string]string{}
	for _, r := range routes {
		routeByID[r["route_id"]] = r
	}
	var buf bytes.Buffer
	if err := WriteGeoJSONOptions(&buf, c, GeoJSONOptions{Sample: NewSample(c, 300), Day0: day0}); err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(buf.Bytes(), &fc); err != nil {
		t.Fatal(err)
	}
	var nOrders, nRoutes int
	for _, f := range fc.Features {
		p := f.Properties
		pol, _ := p["policy"].(string)
		switch p["layer"] {
		case LayerOrder:
			nOrders++
			o := orders[int(p["id"].(float64))]
			if p["created_at"] != o["created_at"] || p["promise_at"] != o["promise_at"] {
				t.Fatalf("order %v: created_at, promise_at = %v, %v; orders.csv %s, %s", p["id"], p["created_at"], p["promise_at"], o["created_at"], o["promise_at"])
			}
			for _, key := range []string{"route_id", "install_route_id", "delivered_at"} {
				got, _ := p[key].(string)
				if got != o[pol+"_"+key] {
					t.Fatalf("order %v %s: %s = %q, orders.csv %q", p["id"], pol, key, got, o[pol+"_"+key])
				}
			}
		case LayerRoute:
			nRoutes++
			r := routeByID[p["route_id"].(string)]
			if r == nil || r["policy"] != pol || r["depart_at"] != p["depart_at"] || r["return_at"] != p["return_at"] ||
				r["wave_start_at"] != p["wave_start_at"] || r["vehicle"] != jsonNumber(p["vehicle"]) {
				t.Fatalf("route feature %v does not match routes.csv row %v", p, r)
			}
		}
	}
	if nOrders == 0 || nRoutes == 0 {
		t.Fatalf("the map has %d orders and %d routes, want some of each", nOrders, nRoutes)
	}
	buf.Reset()
	if err := WriteTripsSampled(&buf, c, day0, NewSample(c, 300)); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), &fc); err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != nRoutes {
		t.Errorf("%d trips, want the map's %d routes", len(fc.Features), nRoutes)
	}
	for _, f := range fc.Features {
		r := routeByID[f.Properties["route_id"].(string)]
		if r == nil || r["depart_at"] != f.Properties["depart_at"] || r["return_at"] != f.Properties["return_at"] {
			t.Fatalf("trip %v does not match routes.csv row %v", f.Properties, r)
		}
	}
}

// jsonNumber formats a decoded JSON integer as routes.csv does.
func jsonNumber(v any) string {
	f, _ := v.(float64)
	return fixed(f, 0)
}

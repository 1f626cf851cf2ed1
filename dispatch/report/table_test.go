package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/carriersim/carriersim/dispatch/metrics"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// sampleReport is a small hand-made report, so the golden files test formatting, not the simulation.
func sampleReport() *metrics.Report {
	m := func(orders, delivered, late int, cost, p50 float64) metrics.Metrics {
		return metrics.Metrics{Orders: orders, Delivered: delivered, Late: late, Unserved: orders - delivered,
			UnservedByReason: map[string]int{"no_capacity": orders - delivered},
			Cost:             metrics.Cost{Total: cost * float64(delivered), PerOrder: cost, Linehaul: 1.25, Sorting: 0.5, LastMile: cost - 1.75},
			Latency:          metrics.Latency{Mean: p50 + 60, P50: p50, P90: p50 * 2, P99: p50 * 3},
			OnTimeRate:       float64(delivered-late) / float64(orders), Km: 2.5 * float64(delivered), KmPerOrder: 2.5, VehiclesUsed: 12}
	}
	inst := metrics.InstallReport{Platform: "jd", Carrier: "jdl", Product: "split_ac", Model: "integrated", Orders: 4,
		Installed: 4, Late: 1, OnPreferredDay: 0.75, WaitHours: metrics.Hours{P50: 0, P90: 24}, OrderToInstalledHours: metrics.Hours{P50: 50, P90: 120},
		CostPerInstall: 250, LinehaulSorting: 2, CrewCost: 248}
	pol := func(name string, cost float64) metrics.PolicyReport {
		p := metrics.PolicyReport{Policy: name, Metrics: m(100, 98, 5, cost, 600)}
		p.Groups = []metrics.GroupReport{
			{Platform: "jd", Carrier: "jdl", Category: "parcel", Metrics: m(40, 40, 1, cost+1, 500)},
			{Platform: "taobao", Carrier: "cainiao", Category: "parcel", Metrics: m(60, 58, 4, cost-1, 700)},
		}
		p.PlatformCategory = []metrics.GroupReport{
			{Platform: "jd", Carrier: "*", Category: "parcel", Metrics: m(40, 40, 1, cost+1, 500)},
			{Platform: "taobao", Carrier: "*", Category: "parcel", Metrics: m(60, 58, 4, cost-1, 700)},
		}
		p.Installs = []metrics.InstallReport{inst}
		all := inst
		all.Platform, all.Product = "*", "*"
		p.InstallModels = []metrics.InstallReport{all}
		p.Fleets = []metrics.FleetReport{{Carrier: "jdl", Fleet: "van", UnitsPerWave: 10, Unit: "parcels", Booked: 300, Offered: 600, Utilisation: 0.5, ToDay: 2}}
		// Open moves 15 points of share from JD Logistics to Cainiao.
		move := map[bool]float64{true: 0, false: 0.15}[name == "closed"]
		p.Carriers = []metrics.CarrierShare{
			{Carrier: "jdl", Orders: 40 - int(move*100), Delivered: 40 - int(move*100), Share: 0.4 - move, ShareChange: 0 - move, BaselineOrders: 40, BaselineShare: 0.4},
			{Carrier: "cainiao", Orders: 60 + int(move*100), Delivered: 58 + int(move*100), Share: 0.6 + move, ShareChange: move, BaselineOrders: 60, BaselineShare: 0.6},
		}
		p.Districts = []metrics.DistrictReport{{District: "东城区", Metrics: m(60, 59, 3, cost, 500)}, {District: "西城区", Metrics: m(40, 39, 2, cost, 700)}}
		return p
	}
	return &metrics.Report{Scenario: "sample", Seed: 3, Policies: []metrics.PolicyReport{pol("closed", 12), pol("open", 10.5)}}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}

func TestTableGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTable(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	golden(t, "table.golden", b.Bytes())
	for _, want := range []string{"open-closed", "-1.50", "by platform x category (all carriers), difference from closed", "carrier shares"} {
		if !bytes.Contains(b.Bytes(), []byte(want)) {
			t.Errorf("table lacks %q", want)
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	var b bytes.Buffer
	r := sampleReport()
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.json.golden", b.Bytes())
	var back metrics.Report
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Policies[1].Cost.PerOrder != 10.5 || back.Policies[0].Groups[1].Platform != "taobao" {
		t.Errorf("round trip lost data: %+v", back.Policies[1].Cost)
	}
}

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCalibrate checks that calibrate prints and writes every target with the contract's keys, and reports
// the replay targets missing without a LaDe file.
func TestCalibrate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cal.json")
	out, stderr, code := carriersim(t, "calibrate", "--orders", "3000", "--json", path)
	if code != 0 {
		t.Fatalf("calibrate: code %d, stderr %q", code, stderr)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Targets []map[string]any `json:"targets"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := []string{"parcels_per_courier_day_mean", "last_mile_cost_per_parcel_cny", "all_in_cost_per_parcel_cny",
		"stations_per_10k_residents", "on_time_211_same_day", "replay_accept_to_delivery_p50_min", "replay_accept_to_delivery_p90_min"}
	seen := map[string]map[string]any{}
	for _, tg := range got.Targets {
		for _, k := range []string{"metric", "low", "high", "simulated", "source", "ok"} {
			if _, ok := tg[k]; !ok {
				t.Errorf("target %v lacks %q", tg["metric"], k)
			}
		}
		seen[tg["metric"].(string)] = tg
	}
	for _, m := range want {
		if seen[m] == nil {
			t.Errorf("no target %s", m)
		} else if !strings.Contains(out, m) {
			t.Errorf("the table lacks %s", m)
		}
	}
	if tg := seen["replay_accept_to_delivery_p50_min"]; tg != nil && (tg["ok"] != false || tg["missing"] == nil) {
		t.Errorf("replay target without a file: %v, want missing and not ok", tg)
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestShardCommands runs a one-city national scenario through plan, run (index from the environment, one
// failure injected), merge and run-all, and checks the exit codes and sentences of bad input.
func TestShardCommands(t *testing.T) {
	dir := t.TempDir()
	nat := filepath.Join(dir, "one.json")
	os.WriteFile(nat, []byte(`{"version": 1, "name": "one", "template": "beijing-default", "policies": ["closed", "open"],
 "seed": 1, "parcels_per_year": 175080000000, "population": 1409000000, "peak_multiplier": 1.51,
 "urban_m2_per_person": 100, "min_radius_km": 1, "spread": 0.35, "uniform_share": 0.2,
 "cities": ["yantai", "jilin"], "orders_per_city": 100}`), 0o644)
	plan := filepath.Join(dir, "plan.json")
	if _, stderr, code := carriersim(t, "shard", "plan", "--scenario", nat, "--shards", "2", "--out", plan); code != 0 {
		t.Fatalf("shard plan: exit %d: %s", code, stderr)
	}
	out := filepath.Join(dir, "run")
	if _, stderr, code := carriersim(t, "shard", "run", "--plan", plan, "--out", out); code != 2 || !strings.Contains(stderr, "no shard index") {
		t.Errorf("shard run without an index: exit %d, %q", code, stderr)
	}
	t.Setenv("SLURM_ARRAY_TASK_ID", "1")
	t.Setenv(failOnceEnv, "1:"+filepath.Join(dir, "failed"))
	if _, stderr, code := carriersim(t, "shard", "run", "--plan", plan, "--out", out); code != 1 || !strings.Contains(stderr, "failing once") {
		t.Errorf("shard run with the failure injected: exit %d, %q", code, stderr)
	}
	for _, idx := range []string{"1", "0"} {
		t.Setenv("SLURM_ARRAY_TASK_ID", idx)
		if _, stderr, code := carriersim(t, "shard", "run", "--plan", plan, "--out", out); code != 0 {
			t.Fatalf("shard run %s: exit %d: %s", idx, code, stderr)
		}
	}
	t.Setenv("SLURM_ARRAY_TASK_ID", "")
	merged := filepath.Join(dir, "national.json")
	if _, stderr, code := carriersim(t, "merge", "--out", merged, filepath.Join(out, "partial-00001.json")); code != 2 || !strings.Contains(stderr, "shard 0 of plan") {
		t.Errorf("merge with shard 0 missing: exit %d, %q", code, stderr)
	}
	if _, stderr, code := carriersim(t, "merge", "--out", merged, out); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	all := filepath.Join(dir, "all")
	if _, stderr, code := carriersim(t, "shard", "run-all", "--plan", plan, "--out", all); code != 0 {
		t.Fatalf("run-all: exit %d: %s", code, stderr)
	}
	a, _ := os.ReadFile(merged)
	b, _ := os.ReadFile(filepath.Join(all, "national.json"))
	if len(a) == 0 || string(a) != string(b) {
		t.Errorf("merge of the shards run one by one (%d bytes) differs from run-all's (%d bytes)", len(a), len(b))
	}
}

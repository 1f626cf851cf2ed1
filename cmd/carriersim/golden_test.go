package main

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// TestCompareGolden pins the compare outputs byte for byte for seeds 1 and 7 at 2,000 orders: the JSON
// report, the wide table and the summary table as golden files, the GeoJSON map and the trip file by their sha256 (they are
// megabytes). A change that moves any figure, feature or byte of them fails here; refactors must not.
func TestCompareGolden(t *testing.T) {
	for _, seed := range []string{"1", "7"} {
		t.Run("seed"+seed, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{"report.json": "--json", "map.geojson": "--geojson", "trips.json": "--trips"}
			args := []string{"compare", "--orders", "2000", "--seed", seed, "--wide"}
			for name, flag := range files {
				args = append(args, flag, filepath.Join(dir, name))
			}
			table, stderr, code := carriersim(t, args...)
			if code != 0 {
				t.Fatalf("compare: code %d, stderr %q", code, stderr)
			}
			read := func(name string) []byte {
				b, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				return b
			}
			var sums strings.Builder
			for _, name := range []string{"map.geojson", "trips.json"} {
				fmt.Fprintf(&sums, "%x  %s\n", sha256.Sum256(read(name)), name)
			}
			golden(t, "seed"+seed+".report.json", read("report.json"))
			golden(t, "seed"+seed+".table.txt", []byte(table))
			golden(t, "seed"+seed+".sha256", []byte(sums.String()))
			summary, stderr, code := carriersim(t, "compare", "--orders", "2000", "--seed", seed)
			if code != 0 {
				t.Fatalf("compare: code %d, stderr %q", code, stderr)
			}
			golden(t, "seed"+seed+".summary.txt", []byte(summary))
		})
	}
}

// golden compares got with testdata/NAME.golden, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from %s (run go test -update after an intended change, and say why in the commit)", name, path)
	}
}

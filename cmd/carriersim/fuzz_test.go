package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carriersim/carriersim/dispatch/metrics"
	"github.com/carriersim/carriersim/dispatch/scenario"
)

// FuzzPipeline drives the whole pipeline with a mutated scenario and a mutated order file through a small
// compare: the run either succeeds with a report that keeps the contract's invariants, or refuses the
// input with exit 2 and one sentence. A panic, exit 1 or a broken invariant is a failure.
func FuzzPipeline(f *testing.F) {
	raw, _ := scenario.EmbeddedJSON("beijing-default")
	orders := genericHeader + rowN(1, -1, "") + rowN(2, 6, "bulky") +
		strings.Replace(rowN(3, 10, "90"), "parcel", "appliance_install", 1) + rowN(4, 1, "jd")
	f.Add(raw, []byte(orders))
	f.Add(raw, []byte(genericHeader+rowN(1, 8, "150")+rowN(2, 7, "40000")))
	f.Add([]byte(strings.Replace(string(raw), `"orders_per_station": 2500`, `"orders_per_station": 1`, 1)), []byte(orders))
	f.Add([]byte("{}"), []byte(orders))
	f.Add(raw, []byte(ladeHeader+ladeRow))
	f.Add(raw, []byte(genericHeader+rowN(1, 3, "2025-03-18T23:59:59+08:00")+rowN(2, 3, "2025-03-19T00:00:00+08:00")))
	f.Fuzz(func(t *testing.T, sc, csv []byte) {
		dir := t.TempDir()
		scPath := write(t, dir, "s.json", string(sc))
		csvPath := write(t, dir, "o.csv", string(csv))
		out := filepath.Join(dir, "r.json")
		_, stderr, code := carriersim(t, "compare", "--scenario", scPath, "--orders-csv", csvPath,
			"--year", "2021", "--json", out, "--max-memory", "2GiB")
		switch code {
		case 0:
			var r metrics.Report
			b := readFile(t, out)
			if err := json.Unmarshal(b, &r); err != nil {
				t.Fatalf("report does not decode: %v", err)
			}
			for _, p := range r.Policies {
				if p.Orders != p.Delivered+p.Unserved || p.Late > p.Delivered {
					t.Fatalf("%s: orders %d, delivered %d, unserved %d, late %d", p.Policy, p.Orders, p.Delivered, p.Unserved, p.Late)
				}
				if p.Orders != r.Policies[0].Orders {
					t.Fatalf("policies saw different orders: %d and %d", p.Orders, r.Policies[0].Orders)
				}
				sum := 0
				for _, g := range p.Groups {
					sum += g.Orders
				}
				if sum != p.Orders {
					t.Fatalf("%s: groups add up to %d orders, total %d", p.Policy, sum, p.Orders)
				}
			}
		case 2:
			if msg := strings.TrimSpace(stderr); msg == "" || strings.Contains(msg, "\n") {
				t.Fatalf("exit 2 without one sentence: %q", stderr)
			}
		default:
			t.Fatalf("exit %d: %s", code, stderr)
		}
	})
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

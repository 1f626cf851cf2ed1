package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		err  bool
	}{
		{"10k", 10000, false},
		{"100K", 100000, false},
		{"1M", 1000000, false},
		{"10M", 10000000, false},
		{"2500", 2500, false},
		{"0", 0, true},
		{"-1k", 0, true},
		{"1.5M", 0, true},
		{"M", 0, true},
	} {
		got, err := parseSize(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestSizeLabel(t *testing.T) {
	for n, want := range map[int]string{10000: "10k", 100000: "100k", 1000000: "1M", 10000000: "10M", 2500000: "2.5M", 2500: "2.5k", 123: "123", 1001: "1001"} {
		if got := sizeLabel(n); got != want {
			t.Errorf("sizeLabel(%d) = %q, want %q", n, got, want)
		}
		if n >= 1000 && sizeLabel(n) != "1001" {
			if back, err := parseSize(sizeLabel(n)); err == nil && back != n {
				t.Errorf("parseSize(sizeLabel(%d)) = %d", n, back)
			}
		}
	}
}

func TestParseArgs(t *testing.T) {
	var stderr bytes.Buffer
	cfg, err := parseArgs(&stderr, []string{"-sizes", "10k, 1M", "-policies", "closed,open,overflow", "-timeout", "5m"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.sizes) != 2 || cfg.sizes[0] != 10000 || cfg.sizes[1] != 1000000 {
		t.Errorf("sizes = %v, want [10000 1000000]", cfg.sizes)
	}
	if strings.Join(cfg.policies, ",") != "closed,open,overflow" || cfg.timeout != 5*time.Minute || cfg.geojsonMax != 1000000 || cfg.geojsonSample != 100000 {
		t.Errorf("cfg = %+v", cfg)
	}
	if cfg, err = parseArgs(&stderr, []string{"-geojson-sample", "0"}); err != nil || cfg.geojsonSample != 0 {
		t.Errorf("-geojson-sample 0: %d, %v; want 0 (no GeoJSON above -geojson-max)", cfg.geojsonSample, err)
	}
	if cfg, err = parseArgs(&stderr, []string{"-geojson-sample", "20k"}); err != nil || cfg.geojsonSample != 20000 {
		t.Errorf("-geojson-sample 20k: %d, %v", cfg.geojsonSample, err)
	}
	for _, bad := range [][]string{{"-sizes", ""}, {"-sizes", "ten"}, {"-policies", ","}, {"-timeout", "0s"}, {"extra"}, {"-geojson-sample", "-5"}} {
		if _, err := parseArgs(&stderr, bad); err == nil {
			t.Errorf("parseArgs(%q) succeeded, want an error", bad)
		}
	}
}

// TestMeasure runs a child's pipeline in-process at a small size, through run as the parent would start it,
// with the GeoJSON sampled (the size is above -geojson-max) and profiles written to directories that do not
// exist yet, and checks the figures add up and the table shows them.
func TestMeasure(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two policies on 2,000 orders")
	}
	dir := t.TempDir()
	cpuDir, memDir := filepath.Join(dir, "prof", "cpu"), filepath.Join(dir, "mem")
	var out, stderr bytes.Buffer
	err := run(&out, &stderr, []string{"-child", "2000", "-geojson-max", "1k", "-geojson-sample", "300",
		"-cpuprofile", cpuDir, "-memprofile", memDir})
	if err != nil {
		t.Fatalf("child run: %v\n%s", err, stderr.String())
	}
	var f Figures
	if err := json.Unmarshal(out.Bytes(), &f); err != nil {
		t.Fatalf("child output %q: %v", out.String(), err)
	}
	for _, p := range []string{profilePath(cpuDir, "cpu", 2000), profilePath(memDir, "mem", 2000)} {
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Errorf("profile %s: %v", p, err)
		}
	}
	if f.Size != 2000 || f.DayOrders != 2000 || f.Warmup <= 0 || f.Stations <= 0 || len(f.Policies) != 2 {
		t.Errorf("figures = %+v", f)
	}
	if f.World <= 0 || f.Generate <= 0 || f.Compare <= 0 || f.Dispatch <= 0 || f.Route <= 0 || f.ReportGeoJSON <= 0 || f.GeoJSONBytes <= 0 {
		t.Errorf("a phase has no time: %+v", f)
	}
	if f.GeoJSONSample != 300 {
		t.Errorf("GeoJSONSample = %d, want 300 (size 2k is above -geojson-max 1k)", f.GeoJSONSample)
	}
	if sum := f.World + f.Generate + f.Compare + f.Report(); f.Total < sum {
		t.Errorf("total %v < sum of phases %v", f.Total, sum)
	}
	cfg, err := parseArgs(&bytes.Buffer{}, []string{"-sizes", "2000"})
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	f.PeakRSS = 100 << 20
	all := Figures{Size: 1000, DayOrders: 1000, Warmup: 100, Total: time.Second, Dispatch: time.Second, ReportGeoJSON: time.Millisecond,
		GeoJSONBytes: 3 << 20, Policies: f.Policies, CPU: 2 * time.Second}
	none := all
	none.Size, none.ReportGeoJSON, none.GeoJSONBytes, none.Released, none.CPU = 5000, 0, 0, true, 0
	if err := writeTable(&out, cfg, []Figures{f, all, none, {Size: 1000000, Err: "timed out after 20m0s"}}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`2k    2000`, `FAILED: timed out after 20m0s`, `  100  +[0-9]+  +in flight  +0ms  +0\.0\n`, ` +0 +all  +2\.00s  +1818\.2\n`, `  sample 300  `, `  all +3\.0  `, `  none +-  `} {
		if !regexp.MustCompile(want).MatchString(out.String()) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}

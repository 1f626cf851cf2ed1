package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/report"
	"github.com/carriersim/carriersim/dispatch/report/htmlreport"
	"github.com/carriersim/carriersim/dispatch/scenario"
)

// TestStreamedOutputsMatchKeptRun runs compare with every output that draws orders or routes (it streams
// them and releases every order) and checks each file against what the writers give for the same compare
// run in-process keeping every order: the run folder's files, --geojson, --trips, --html and --json, byte
// for byte.
func TestStreamedOutputsMatchKeptRun(t *testing.T) {
	if testing.Short() {
		t.Skip("two compares of 1,500 orders")
	}
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	path := func(name string) string { return filepath.Join(dir, name) }
	_, stderr, code := carriersim(t, "compare", "--orders", "1500", "--seed", "3", "--geojson-sample", "60",
		"--out", run, "--geojson", path("map.geojson"), "--trips", path("trips.json"), "--html", path("page.html"),
		"--json", path("report.json"))
	if code != 0 {
		t.Fatalf("compare: code %d, stderr %q", code, stderr)
	}

	sc, err := scenario.Load("beijing-default")
	if err != nil {
		t.Fatal(err)
	}
	c, err := dispatch.Compare(context.Background(), dispatch.Options{Scenario: sc, Policies: []string{"closed", "open"},
		Seed: 3, Orders: 1500})
	if err != nil {
		t.Fatal(err)
	}
	c.Report.Version = version()
	sample := report.NewSample(c, 60)
	if sample == nil {
		t.Fatal("no sample: want the map sampled")
	}
	files, err := report.RunFolder(c, report.RunFolderOptions{Sample: sample})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]func(io.Writer) error{
		path("map.geojson"): func(w io.Writer) error {
			return report.WriteGeoJSONOptions(w, c, report.GeoJSONOptions{Sample: sample})
		},
		path("trips.json"): func(w io.Writer) error { return report.WriteTripsSampled(w, c, time.Time{}, sample) },
		path("page.html"): func(w io.Writer) error {
			return htmlreport.Write(w, htmlreport.FromComparison(c, htmlreport.Meta{Version: version(), Command: os.Args}))
		},
		path("report.json"): func(w io.Writer) error { return report.WriteJSON(w, &c.Report) },
	}
	for _, f := range files {
		if f.Name != report.FileRun { // run.json has the wall time
			want[filepath.Join(run, f.Name)] = f.Write
		}
	}
	sameFiles(t, want)
}

// sameFiles checks that each file holds what its writer writes.
func sameFiles(t *testing.T, want map[string]func(io.Writer) error) {
	t.Helper()
	for file, write := range want {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		got, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, b.Bytes()) {
			t.Errorf("%s: the streamed file (%d bytes) differs from the kept run's (%d bytes)", file, len(got), b.Len())
		}
	}
}

// TestStreamedOutputsWithReplications checks that with --replications the streamed files are those of
// replication 0 kept whole, its report carrying the summary of all.
func TestStreamedOutputsWithReplications(t *testing.T) {
	if testing.Short() {
		t.Skip("four compares of 800 orders")
	}
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	_, stderr, code := carriersim(t, "compare", "--orders", "800", "--seed", "4", "--replications", "2",
		"--out", run, "--geojson", filepath.Join(dir, "map.geojson"))
	if code != 0 {
		t.Fatalf("compare: code %d, stderr %q", code, stderr)
	}
	sc, err := scenario.Load("beijing-default")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := dispatch.Replicate(context.Background(), dispatch.Options{Scenario: sc, Policies: []string{"closed", "open"},
		Seed: 4, Orders: 800}, 2, false)
	if err != nil {
		t.Fatal(err)
	}
	c := rep.First
	c.Report.Version = version()
	want := map[string]func(io.Writer) error{
		filepath.Join(dir, "map.geojson"): func(w io.Writer) error {
			return report.WriteGeoJSONOptions(w, c, report.GeoJSONOptions{})
		},
		filepath.Join(run, report.FileOrders): func(w io.Writer) error { return report.WriteOrdersCSV(w, c, time.Time{}) },
		filepath.Join(run, report.FileRoutes): func(w io.Writer) error { return report.WriteRoutesCSV(w, c, time.Time{}) },
		filepath.Join(run, report.FileReport): func(w io.Writer) error { return report.WriteJSON(w, &c.Report) },
	}
	sameFiles(t, want)
}

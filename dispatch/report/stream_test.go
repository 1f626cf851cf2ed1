package report

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/report/htmlreport"
	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/dispatch/sim"
)

// streamed runs opt released, observed by a Stream with every output and by the HTML page's latency sinks.
func streamed(t *testing.T, opt dispatch.Options, sample int) (*dispatch.Comparison, *Stream, []*htmlreport.LatencySink) {
	t.Helper()
	st := NewStream(StreamOptions{Orders: true, Routes: true, Map: true, Trips: true, SampleSize: sample, Day0: day0,
		Scratch: func() (*os.File, error) { return os.CreateTemp(t.TempDir(), "part") }})
	t.Cleanup(func() { st.Close() })
	lats := make([]*htmlreport.LatencySink, len(opt.Policies))
	opt.ReleaseOrders = true
	opt.Observe = func(c *dispatch.Comparison, i int) (sim.Sink, error) {
		k, err := st.Observe(c, i)
		lats[i] = htmlreport.NewLatencySink(c, i)
		return sim.Sinks{k, lats[i]}, err
	}
	c, err := dispatch.Compare(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, run := range c.Runs {
		if run.Outcomes != nil || run.Routes != nil {
			t.Fatalf("policy %s kept its orders: want them released", run.Policy.Name)
		}
	}
	return c, st, lats
}

// TestStreamSameFiles runs small compares twice, once keeping every order and writing with the writers
// that read the kept run, once releasing every order with a Stream (and the HTML page's latency sinks) on
// another number of workers, and checks that every file is byte for byte the same: the run folder
// (report.json, summary.csv, groups.csv, orders.csv, routes.csv, map.geojson, trips.geojson, scenario.json,
// run.json), the map and trips with and without a sample, and the HTML page. The default scenario has
// both install models (an integrated crew, a van then a split installer crew), so both route columns are
// drawn; the two-day case has a warm-up day's orders and routes too.
func TestStreamSameFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("six compares of 1,500 orders")
	}
	sc, err := scenario.Load("beijing-default")
	if err != nil {
		t.Fatal(err)
	}
	two := *sc
	two.Demand.Days = 2
	for _, tc := range []struct {
		name   string
		sc     *scenario.Scenario
		pols   []string
		sample int
	}{
		{"whole", sc, []string{"closed", "open"}, 0},
		{"sampled", sc, []string{"open", "closed", "overflow"}, 120},
		{"two days", &two, []string{"closed", "open"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := dispatch.Options{Scenario: tc.sc, Policies: tc.pols, Seed: 5, Orders: 1500, Workers: 1}
			kept, err := dispatch.Compare(context.Background(), opt)
			if err != nil {
				t.Fatal(err)
			}
			opt.Workers = 3
			c, st, lats := streamed(t, opt, tc.sample)
			info := RunInfo{Version: "test", Command: []string{"carriersim", "compare"}, Seeds: []uint64{5}}
			want, err := RunFolder(kept, RunFolderOptions{Day0: day0, Sample: NewSample(kept, tc.sample), Info: info})
			if err != nil {
				t.Fatal(err)
			}
			got, err := RunFolder(c, RunFolderOptions{Day0: day0, Stream: st, Info: info})
			if err != nil {
				t.Fatal(err)
			}
			bytesOf := func(name string, write func(io.Writer) error) []byte {
				t.Helper()
				var b bytes.Buffer
				if err := write(&b); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				return b.Bytes()
			}
			for i := range want {
				w, g := bytesOf(want[i].Name, want[i].Write), bytesOf(got[i].Name, got[i].Write)
				if !bytes.Equal(w, g) {
					t.Errorf("%s: streamed differs from kept (%d against %d bytes)", want[i].Name, len(g), len(w))
				}
				if len(w) < 100 {
					t.Errorf("%s: %d bytes: want a real file", want[i].Name, len(w))
				}
			}
			// The same stream writes the standalone map and trips, again.
			if w, g := bytesOf("geojson", func(w io.Writer) error {
				return WriteGeoJSONOptions(w, kept, GeoJSONOptions{Sample: NewSample(kept, tc.sample), Day0: day0})
			}), bytesOf("geojson", st.WriteGeoJSON); !bytes.Equal(w, g) {
				t.Error("--geojson: streamed differs from kept")
			}
			if w, g := bytesOf("trips", func(w io.Writer) error {
				return WriteTripsSampled(w, kept, day0, NewSample(kept, tc.sample))
			}), bytesOf("trips", st.WriteTrips); !bytes.Equal(w, g) {
				t.Error("--trips: streamed differs from kept")
			}
			meta := htmlreport.Meta{Version: "test", Command: []string{"carriersim", "compare"}}
			if w, g := bytesOf("html", func(w io.Writer) error {
				return htmlreport.Write(w, htmlreport.FromComparison(kept, meta))
			}), bytesOf("html", func(w io.Writer) error {
				return htmlreport.Write(w, htmlreport.FromStream(c, meta, lats))
			}); !bytes.Equal(w, g) {
				t.Error("--html: streamed differs from kept")
			}
			// Nothing per order is left once the run is over: every order a route visited became final.
			for _, p := range st.pols {
				if len(p.visited) != 0 || len(p.pending) != 0 {
					t.Errorf("policy %s: %d visited and %d pending orders left", p.pol, len(p.visited), len(p.pending))
				}
			}
		})
	}
}

// TestStreamSampledKeepsFewRecords checks that a stream drawing a sampled map and no orders.csv writes the
// records of the sampled orders only, and that a stream refuses what it was not asked for and a comparison
// it did not observe.
func TestStreamSampledKeepsFewRecords(t *testing.T) {
	sc, err := scenario.Load("beijing-default")
	if err != nil {
		t.Fatal(err)
	}
	var parts []*os.File
	st := NewStream(StreamOptions{Map: true, SampleSize: 40, Day0: day0, Scratch: func() (*os.File, error) {
		f, err := os.CreateTemp(t.TempDir(), "part")
		parts = append(parts, f)
		return f, err
	}})
	opt := dispatch.Options{Scenario: sc, Policies: []string{"open"}, Seed: 2, Orders: 1000, ReleaseOrders: true,
		Observe: st.Observe}
	c, err := dispatch.Compare(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := st.WriteGeoJSON(&b); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), `"layer":"order"`); n != 40 {
		t.Errorf("map has %d orders, want the sample's 40", n)
	}
	// The records file is sparse: only the sampled ids were written (a few blocks on disk at most).
	for _, f := range parts {
		fi, err := f.Stat()
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() > int64(len(c.Orders))*recordSize {
			t.Errorf("scratch file of %d bytes: larger than every record", fi.Size())
		}
	}
	if err := st.WriteOrdersCSV(io.Discard); err == nil {
		t.Error("WriteOrdersCSV of a stream not asked for orders.csv: want an error")
	}
	other := NewStream(StreamOptions{Trips: true})
	if err := other.WriteTrips(io.Discard); err == nil {
		t.Error("WriteTrips of a stream that observed nothing: want an error")
	}
	if _, err := st.Observe(&dispatch.Comparison{}, 0); err == nil {
		t.Error("Observe of a second comparison: want an error")
	}
	st.Close()
	other.Close()
}

// TestStreamScratchFails checks that a stream that cannot make its scratch files stops the comparison
// before it runs, with the file system's error.
func TestStreamScratchFails(t *testing.T) {
	sc, err := scenario.Load("beijing-default")
	if err != nil {
		t.Fatal(err)
	}
	full := errors.New("no space left on device")
	st := NewStream(StreamOptions{Trips: true, Scratch: func() (*os.File, error) { return nil, full }})
	_, err = dispatch.Compare(context.Background(), dispatch.Options{Scenario: sc, Policies: []string{"open"}, Seed: 1,
		Orders: 500, ReleaseOrders: true, Observe: st.Observe})
	if !errors.Is(err, full) {
		t.Fatalf("Compare: %v, want the scratch file's error", err)
	}
}

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/rs/zerolog"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/report"
	"github.com/carriersim/carriersim/dispatch/scenario"
)

// Figures are one size's measurements. Durations are wall time. The child fills in everything but PeakRSS
// and Err, which the parent adds.
type Figures struct {
	// Size is the scenario's demand.orders; DayOrders is the simulated day's order count (Size times the
	// scenario's peak multiplier) and Warmup the warm-up days' install orders also in the stream.
	Size      int `json:"size"`
	DayOrders int `json:"day_orders"`
	Warmup    int `json:"warmup"`
	// Stations counts every carrier's delivery stations in the built world.
	Stations int `json:"stations"`
	// Policies lists each policy's own dispatch and route time, in the order given.
	Policies []PolicyFigures `json:"policies"`

	World    time.Duration `json:"world_ns"`
	Generate time.Duration `json:"generate_ns"`
	// Compare is the wall time of dispatch.CompareOrders (the policies run concurrently); Dispatch and Route
	// are the sums of the runs' Run.Timings.
	Compare  time.Duration `json:"compare_ns"`
	Dispatch time.Duration `json:"dispatch_ns"`
	Route    time.Duration `json:"route_ns"`
	// ReportJSON is report.WriteJSON to io.Discard; ReportGeoJSON is the streamed map (report.Stream, its
	// parts written during the run) joined into a temporary file (zero when no GeoJSON was written: above
	// -geojson-max with -geojson-sample 0), GeoJSONBytes its size. GeoJSONSample is the sampled orders per policy above
	// -geojson-max, 0 when the GeoJSON has every order.
	ReportJSON    time.Duration `json:"report_json_ns"`
	ReportGeoJSON time.Duration `json:"report_geojson_ns"`
	GeoJSONBytes  int64         `json:"geojson_bytes"`
	GeoJSONSample int           `json:"geojson_sample,omitempty"`
	// Total is the child's wall time from decoding the scenario to the end of the report.
	Total time.Duration `json:"total_ns"`
	// Released says the run released each order once final (dispatch.Options.ReleaseOrders): always, since
	// the map is streamed.
	Released bool `json:"released"`
	// HeapSys is the heap memory the Go runtime holds from the OS at the end of the run (it does not shrink
	// much after a peak), for comparison with PeakRSS.
	HeapSys uint64 `json:"heap_sys_bytes"`

	PeakRSS int64 `json:"peak_rss_bytes,omitempty"`
	// CPU is the child's CPU time, user and system (filled in by the parent from the child's rusage): on a
	// machine shared with other work it is the figure to compare across runs, as wall times stretch.
	CPU time.Duration `json:"cpu_ns,omitempty"`
	Err string        `json:"err,omitempty"`
}

// PolicyFigures is one policy run's Run.Timings.
type PolicyFigures struct {
	Name     string        `json:"name"`
	Dispatch time.Duration `json:"dispatch_ns"`
	Route    time.Duration `json:"route_ns"`
}

// Orders is the number of orders every policy dispatched: the day's orders and the warm-up installs.
func (f *Figures) Orders() int { return f.DayOrders + f.Warmup }

// PeakRSSPerOrder is the peak RSS in bytes over the orders every policy dispatched.
func (f *Figures) PeakRSSPerOrder() float64 { return float64(f.PeakRSS) / float64(f.Orders()) }

// Report is the time spent writing reports.
func (f *Figures) Report() time.Duration { return f.ReportJSON + f.ReportGeoJSON }

// OrdersPerSecond is end-to-end throughput: orders over the total wall time.
func (f *Figures) OrdersPerSecond() float64 { return float64(f.Orders()) / f.Total.Seconds() }

// MicrosPerOrder is the total wall time per order.
func (f *Figures) MicrosPerOrder() float64 {
	return float64(f.Total.Microseconds()) / float64(f.Orders())
}

// DispatchPerCore is orders dispatched per second of one policy's dispatch loop (single-threaded): orders
// times policies over the summed dispatch time.
func (f *Figures) DispatchPerCore() float64 {
	return float64(f.Orders()*len(f.Policies)) / f.Dispatch.Seconds()
}

// CPUMicrosPerOrder is the child's CPU time per order dispatched (for every policy together).
func (f *Figures) CPUMicrosPerOrder() float64 {
	return float64(f.CPU.Microseconds()) / float64(f.Orders())
}

// PeakRSSMiB is the child's peak resident set in MiB.
func (f *Figures) PeakRSSMiB() float64 { return float64(f.PeakRSS) / (1 << 20) }

// measure runs the pipeline once at demand.orders = n and returns its figures.
func measure(ctx context.Context, cfg config, n int, log zerolog.Logger) (Figures, error) {
	f := Figures{Size: n}
	if cfg.cpuprofile != "" {
		pf, err := os.Create(profilePath(cfg.cpuprofile, "cpu", n))
		if err != nil {
			return f, fmt.Errorf("scale: cpu profile: %w", err)
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return f, fmt.Errorf("scale: cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	var peak *peakProfiler
	if cfg.memprofile != "" {
		peak = startPeakProfiler(time.Second)
	}
	start := time.Now()
	sc, err := scenario.Load(cfg.scenario)
	if err != nil {
		return f, fmt.Errorf("scale: %w", err)
	}
	sub := log.With().Str("size", sizeLabel(n)).Logger()
	// The run releases each order once folded into the report and, when it draws a map, into the map's
	// stream, as the CLI does.
	opt := dispatch.Options{Scenario: sc, Policies: cfg.policies, Seed: cfg.seed, Orders: n, ReleaseOrders: true}
	f.Released = true
	var stream *report.Stream
	if n <= cfg.geojsonMax || cfg.geojsonSample > 0 {
		sample := 0
		if n > cfg.geojsonMax {
			sample = cfg.geojsonSample
		}
		stream = report.NewStream(report.StreamOptions{Map: true, SampleSize: sample})
		defer stream.Close()
		opt.Observe = stream.Observe
	}
	c, err := dispatch.Compare(ctx, opt)
	if err != nil {
		return f, fmt.Errorf("scale: compare: %w", err)
	}
	f.World, f.Generate, f.Compare = c.Timings.World, c.Timings.Orders, c.Timings.Simulate
	for _, nw := range c.World.Carriers {
		f.Stations += len(nw.Stations)
	}
	f.DayOrders = c.Scenario.DayOrders()
	f.Warmup = len(c.Orders) - f.DayOrders
	sub.Info().Stringer("world", ms(f.World)).Int("stations", f.Stations).Stringer("generate", ms(f.Generate)).
		Int("orders", len(c.Orders)).Msg("world built, orders generated")
	for _, r := range c.Runs {
		f.Policies = append(f.Policies, PolicyFigures{Name: r.Policy.Name, Dispatch: r.Timings.Dispatch, Route: r.Timings.Route})
		f.Dispatch += r.Timings.Dispatch
		f.Route += r.Timings.Route
	}
	sub.Info().Stringer("compare", ms(f.Compare)).Stringer("dispatch_sum", ms(f.Dispatch)).Stringer("route_sum", ms(f.Route)).Msg("compared")

	t := time.Now()
	if err := report.WriteJSON(io.Discard, &c.Report); err != nil {
		return f, fmt.Errorf("scale: json report: %w", err)
	}
	f.ReportJSON = time.Since(t)
	if stream != nil {
		if f.ReportGeoJSON, f.GeoJSONBytes, f.GeoJSONSample, err = timeGeoJSON(stream); err != nil {
			return f, err
		}
	}
	f.Total = time.Since(start)
	sub.Info().Stringer("json", ms(f.ReportJSON)).Stringer("geojson", ms(f.ReportGeoJSON)).Int("geojson_sample", f.GeoJSONSample).
		Stringer("total", ms(f.Total)).Msg("reported")

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	f.HeapSys = ms.HeapSys
	if cfg.memprofile != "" {
		if err := writeHeapProfile(profilePath(cfg.memprofile, "mem", n)); err != nil {
			return f, err
		}
		if err := peak.finish(profilePath(cfg.memprofile, "mem-peak", n)); err != nil {
			return f, fmt.Errorf("scale: peak heap profile: %w", err)
		}
	}
	runtime.KeepAlive(c)
	return f, nil
}

// timeGeoJSON writes the streamed GeoJSON (every order, or the stream's sample) to a temporary file,
// removes it and returns the time it took (the parts streamed during the run are joined, the orders
// formatted), the file's size and the orders per policy sampled (0 when the map has every order).
func timeGeoJSON(stream *report.Stream) (time.Duration, int64, int, error) {
	tmp, err := os.CreateTemp("", "carriersim-scale-*.geojson")
	if err != nil {
		return 0, 0, 0, fmt.Errorf("scale: geojson: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	t := time.Now()
	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err := stream.WriteGeoJSON(bw); err != nil {
		return 0, 0, 0, fmt.Errorf("scale: geojson: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return 0, 0, 0, fmt.Errorf("scale: geojson: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return 0, 0, 0, fmt.Errorf("scale: geojson: %w", err)
	}
	d := time.Since(t)
	st, err := os.Stat(tmp.Name())
	if err != nil {
		return 0, 0, 0, fmt.Errorf("scale: geojson: %w", err)
	}
	return d, st.Size(), stream.Sample().Size(), nil
}

// writeHeapProfile writes the heap profile (in use now and allocated since the start) to path.
func writeHeapProfile(path string) error {
	pf, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("scale: heap profile: %w", err)
	}
	if err := pprof.Lookup("allocs").WriteTo(pf, 0); err != nil {
		pf.Close()
		return fmt.Errorf("scale: heap profile: %w", err)
	}
	return pf.Close()
}

// ms rounds d to the millisecond for logging.
func ms(d time.Duration) time.Duration { return d.Round(time.Millisecond) }

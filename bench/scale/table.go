package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// writeTable prints one row per size: its phases' wall times, throughput and peak RSS, or its error.
func writeTable(out io.Writer, cfg config, rows []Figures) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "# scenario %s, policies %s, seed %d\n", cfg.scenario, strings.Join(cfg.policies, ","), cfg.seed)
	fmt.Fprintln(tw, "size\torders\twarmup\tstations\tworld\tgenerate\tcompare\tdispatch_sum\troute_sum\treport\tgeojson\tgeojson_MiB\ttotal\torders/s\tµs/order\tdispatch/s/core\tpeak_rss_MiB\trss_B/order\torders_kept\tcpu\tcpu_µs/order\t")
	for i := range rows {
		f := &rows[i]
		if f.Err != "" {
			rss := "-"
			if f.PeakRSS > 0 {
				rss = fmt.Sprintf("%.0f", f.PeakRSSMiB())
			}
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t%s\t-\t-\t-\t-\t  FAILED: %s\n", sizeLabel(f.Size), rss, f.Err)
			continue
		}
		gj, gjMiB := "all", fmt.Sprintf("%.1f", float64(f.GeoJSONBytes)/(1<<20))
		switch {
		case f.ReportGeoJSON == 0:
			gj, gjMiB = "none", "-"
		case f.GeoJSONSample > 0:
			gj = "sample " + sizeLabel(f.GeoJSONSample)
		}
		kept := "all"
		if f.Released {
			kept = "in flight"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.0f\t%.1f\t%.0f\t%.0f\t%.0f\t%s\t%s\t%.1f\t\n",
			sizeLabel(f.Size), f.DayOrders, f.Warmup, f.Stations, dur(f.World), dur(f.Generate), dur(f.Compare),
			dur(f.Dispatch), dur(f.Route), dur(f.Report()), gj, gjMiB, dur(f.Total), f.OrdersPerSecond(), f.MicrosPerOrder(),
			f.DispatchPerCore(), f.PeakRSSMiB(), f.PeakRSSPerOrder(), kept, dur(f.CPU), f.CPUMicrosPerOrder())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(out, "# orders: the day's orders (demand.orders x peak multiplier); warmup: install orders of the warm-up days, also dispatched.\n"+
		"# compare: wall time of CompareOrders, policies concurrent; dispatch_sum, route_sum: Run.Timings summed over policies.\n"+
		"# orders/s, µs/order: (orders+warmup) over total; dispatch/s/core: (orders+warmup) x policies over dispatch_sum.\n"+
		"# report: JSON to io.Discard plus GeoJSON to a temp file. geojson: which orders the GeoJSON holds: all of them (sizes up to\n"+
		"#   -geojson-max %s), a sample of N orders per policy with the routes serving them (above it, -geojson-sample), none (-geojson-sample 0).\n"+
		"# rss_B/order: peak RSS over (orders+warmup). orders_kept: in flight (each released once final; the map is streamed), all before the map was.\n"+
		"# cpu: the child's CPU time, user + system; cpu_µs/order: over (orders+warmup). The figures to compare when the machine is shared.\n",
		sizeLabel(cfg.geojsonMax))
	return err
}

// dur prints a duration with three significant digits in s (or ms below one second).
func dur(d time.Duration) string {
	switch {
	case d >= 100*time.Second:
		return fmt.Sprintf("%.0fs", d.Seconds())
	case d >= 10*time.Second:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d >= time.Second:
		return fmt.Sprintf("%.2fs", d.Seconds())
	}
	return fmt.Sprintf("%.0fms", float64(d)/float64(time.Millisecond))
}

package report

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/carriersim/carriersim/dispatch/metrics"
)

// WriteReplayCheck writes the replay check as a table: each figure the file recorded beside the simulated
// one, then the share of deliveries per hour of the day.
func WriteReplayCheck(out io.Writer, scenario string, c *metrics.ReplayCheck) error {
	fmt.Fprintf(out, "scenario %s: %d replayed orders, %d delivered in the simulation\n\n", scenario, c.Orders, c.Delivered)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "figure\treal\tsimulated\t")
	r, s := &c.Real, &c.Sim
	rows := []struct {
		name string
		a, b float64
		f    string
	}{
		{"ready->delivered p10 (min)", r.ReadyToDeliveredMin[0], s.ReadyToDeliveredMin[0], "%.0f"},
		{"ready->delivered p50 (min)", r.ReadyToDeliveredMin[1], s.ReadyToDeliveredMin[1], "%.0f"},
		{"ready->delivered p90 (min)", r.ReadyToDeliveredMin[2], s.ReadyToDeliveredMin[2], "%.0f"},
		{"ready->delivered mean (min)", r.ReadyToDeliveredMin[3], s.ReadyToDeliveredMin[3], "%.0f"},
		{"parcels per courier-day, mean", r.ParcelsPerCourierDay[0], s.ParcelsPerCourierDay[0], "%.1f"},
		{"parcels per courier-day, p50", r.ParcelsPerCourierDay[1], s.ParcelsPerCourierDay[1], "%.1f"},
		{"station->door km, p50", r.StationToDoorKm[0], s.StationToDoorKm[0], "%.2f"},
		{"station->door km, p90", r.StationToDoorKm[1], s.StationToDoorKm[1], "%.2f"},
	}
	for _, row := range rows {
		fmt.Fprintf(tw, "%s\t"+row.f+"\t"+row.f+"\t\n", row.name, row.a, row.b)
	}
	for h := 0; h < 24; h++ {
		if r.DeliveryHourShare[h] > 0 || s.DeliveryHourShare[h] > 0 {
			fmt.Fprintf(tw, "deliveries %02d:00-%02d:59\t%.1f%%\t%.1f%%\t\n", h, h, 100*r.DeliveryHourShare[h], 100*s.DeliveryHourShare[h])
		}
	}
	return tw.Flush()
}

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/carriersim/carriersim/dispatch"
)

// replayCheckCommand replays a LaDe file through one policy and sets the real figures beside the simulated.
func replayCheckCommand() *cli.Command {
	return &cli.Command{
		Name:      "replay-check",
		Usage:     "replay real orders (LaDe) and compare the simulation with what the file recorded",
		ArgsUsage: " ",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "scenario", Value: "jilin-lade", Usage: "embedded scenario name or scenario JSON file"},
			&cli.StringFlag{Name: "orders-csv", Usage: "LaDe delivery `FILE` (required)"},
			&cli.IntFlag{Name: "year", Usage: "year of the LaDe file's dates"},
			&cli.BoolFlag{Name: "skip-bad-rows", Usage: "count and skip bad rows"},
			&cli.StringFlag{Name: "replay-platform", Value: "taobao", Usage: "platform of the replayed orders"},
			&cli.StringFlag{Name: "policy", Value: "closed", Usage: "access policy"},
			&cli.IntFlag{Name: "orders", Hidden: true},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "seed for routing"},
			&cli.StringFlag{Name: "json", Usage: "also write the figures as JSON to `FILE`"},
		},
		Action: func(c *cli.Context) error {
			if c.String("orders-csv") == "" {
				return usageError("replay-check: --orders-csv is required")
			}
			sc, err := loadScenario(c.String("scenario"))
			if err != nil {
				return err
			}
			if _, ok := sc.PolicyByName(c.String("policy")); !ok {
				return usageError("unknown policy %q: scenario %s has %s", c.String("policy"), sc.Name, policyList(sc))
			}
			rep, err := readReplay(c, sc)
			if err != nil {
				return err
			}
			w, err := dispatch.NewWorld(sc)
			if err != nil {
				return usageError("scenario %s: %v", sc.Name, err)
			}
			orders, t0, err := dispatch.OrdersFromRecords(w, rep.Records, c.String("replay-platform"))
			if err != nil {
				return usageError("%s: %v", c.String("orders-csv"), err)
			}
			pol, _ := sc.PolicyByName(c.String("policy"))
			run, err := dispatch.Simulate(c.Context, w, pol, orders, c.Uint64("seed"))
			if err != nil {
				return err
			}
			chk := dispatch.CheckReplay(w, rep.Records, orders, t0, run)
			if path := c.String("json"); path != "" {
				if err := writeFileAtomic(path, func(wr io.Writer) error {
					enc := json.NewEncoder(wr)
					enc.SetIndent("", "  ")
					return enc.Encode(chk)
				}); err != nil {
					return err
				}
			}
			return writeCheck(c.App.Writer, sc.Name, &chk)
		},
	}
}

func writeCheck(out io.Writer, scenario string, c *dispatch.ReplayCheck) error {
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

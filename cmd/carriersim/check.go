package main

import (
	"encoding/json"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/metrics"
	"github.com/carriersim/carriersim/dispatch/report"
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
			maxMemoryFlag(),
		},
		Action: func(c *cli.Context) error {
			if c.String("orders-csv") == "" {
				return usageError("replay-check: --orders-csv is required")
			}
			fs, err := newFiles(c.Context, c.App.Writer,
				[][2]string{flagPath(c, "scenario"), flagPath(c, "orders-csv")}, [][2]string{flagPath(c, "json")})
			if err != nil {
				return err
			}
			defer fs.Close()
			opt, err := runOptions(c, []string{c.String("policy")})
			if err != nil {
				return err
			}
			cmp, err := dispatch.Compare(c.Context, opt)
			if err != nil {
				return runError(err)
			}
			chk := metrics.CheckReplay(cmp.World, opt.Replay.Records, cmp.Orders, cmp.Start, cmp.Runs[0])
			if path := c.String("json"); path != "" {
				if err := fs.write(path, func(wr io.Writer) error {
					enc := json.NewEncoder(wr)
					enc.SetIndent("", "  ")
					return enc.Encode(chk)
				}); err != nil {
					return err
				}
			}
			if err := fs.commit(); err != nil {
				return err
			}
			return report.WriteReplayCheck(c.App.Writer, cmp.Scenario.Name, &chk)
		},
	}
}

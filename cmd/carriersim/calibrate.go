package main

import (
	"io"

	"github.com/urfave/cli/v2"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/metrics"
	"github.com/carriersim/carriersim/dispatch/replay"
	"github.com/carriersim/carriersim/dispatch/report"
)

// calibrateCommand runs one policy of a scenario (and, given a LaDe file, the replay check) and sets every
// calibration target beside the simulated value.
func calibrateCommand() *cli.Command {
	return &cli.Command{
		Name:      "calibrate",
		Usage:     "set the simulated figures beside the sourced targets (courier load, unit costs, outlets, 211, LaDe replay)",
		ArgsUsage: " ",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "scenario", Value: defaultScenario, Usage: "embedded scenario name or scenario JSON file"},
			&cli.StringFlag{Name: "policy", Value: "closed", Usage: "the policy measured (closed: the networks as they are)"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random seed for the order stream"},
			&cli.IntFlag{Name: "orders", Usage: "design volume in orders a day (default: the scenario's)"},
			&cli.StringSliceFlag{Name: "set", Usage: "override a scenario field (PATH=VALUE, repeatable)"},
			&cli.StringFlag{Name: "lade", Usage: "LaDe delivery `FILE` for the replay targets (without it they are reported missing)"},
			&cli.StringFlag{Name: "lade-scenario", Value: "jilin-lade", Usage: "scenario the LaDe file is replayed in"},
			&cli.IntFlag{Name: "year", Value: 2021, Usage: "year of the LaDe file's dates"},
			&cli.StringFlag{Name: "json", Usage: "also write the targets as JSON to `FILE`"},
			maxMemoryFlag(),
		},
		Action: func(c *cli.Context) error {
			fs, err := newFiles(c.Context, c.App.Writer,
				[][2]string{flagPath(c, "scenario"), flagPath(c, "lade"), flagPath(c, "lade-scenario")}, [][2]string{flagPath(c, "json")})
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
			cal := metrics.Calibration{Scenario: cmp.Scenario.Name, Policy: c.String("policy"), Seed: opt.Seed,
				Targets: metrics.CalibrationTargets(cmp.World, cmp.Orders, cmp.Runs[0], &cmp.Report.Policies[0])}
			replayed, err := replayTargets(c, opt)
			if err != nil {
				return err
			}
			cal.Targets = append(cal.Targets, replayed...)
			if path := c.String("json"); path != "" {
				if err := fs.write(path, func(wr io.Writer) error { return report.WriteCalibrationJSON(wr, &cal) }); err != nil {
					return err
				}
			}
			if err := fs.commit(); err != nil {
				return err
			}
			return report.WriteCalibration(c.App.Writer, &cal)
		},
	}
}

// replayTargets replays --lade in --lade-scenario and returns the replay targets, or them marked missing
// when no file was given.
func replayTargets(c *cli.Context, base dispatch.Options) ([]metrics.Target, error) {
	path := c.String("lade")
	if path == "" {
		ts := metrics.ReplayTargets(&metrics.ReplayCheck{})
		for i := range ts {
			ts[i].Missing, ts[i].OK = "no --lade file given", false
		}
		return ts, nil
	}
	sc, err := loadScenario(c.String("lade-scenario"))
	if err != nil {
		return nil, err
	}
	rep, err := replay.ReadFile(path, replay.Options{Year: c.Int("year")})
	if err != nil {
		return nil, usageError("%v", err)
	}
	opt := dispatch.Options{Scenario: sc, Policies: []string{"closed"}, Seed: base.Seed, MaxMemory: base.MaxMemory,
		Replay: rep, ReplayFile: path}
	cmp, err := dispatch.Compare(c.Context, opt)
	if err != nil {
		return nil, runError(err)
	}
	chk := metrics.CheckReplay(cmp.World, rep.Records, cmp.Orders, cmp.Start, cmp.Runs[0])
	return metrics.ReplayTargets(&chk), nil
}

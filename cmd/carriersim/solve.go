package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/carriersim/carriersim/dispatch/route"
	"github.com/carriersim/carriersim/dispatch/route/solomon"
)

func solveCommand() *cli.Command {
	return &cli.Command{
		Name:      "solve",
		Usage:     "solve one VRPTW instance in Solomon / Gehring-Homberger format",
		ArgsUsage: "INSTANCE",
		Flags: []cli.Flag{
			&cli.DurationFlag{Name: "time-limit", Value: time.Second, Usage: "search time `DURATION` (with --iterations and no --time-limit: no time limit)"},
			&cli.IntFlag{Name: "iterations", Usage: "ruin-and-recreate iterations (`N`; 0: until the time limit); with no time limit the result is deterministic"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random seed"},
			&cli.BoolFlag{Name: "min-vehicles", Usage: "minimise the number of vehicles first, then distance (as the Gehring-Homberger best-known solutions do)"},
			&cli.StringFlag{Name: "json", Usage: "write the routes as JSON to `FILE` (- for stdout, instead of the summary line)"},
		},
		Action: runSolve,
	}
}

func runSolve(c *cli.Context) error {
	if c.NArg() != 1 {
		return cli.Exit(fmt.Sprintf("solve: expected one INSTANCE file argument, got %d (see carriersim solve --help)", c.NArg()), 2)
	}
	path := c.Args().First()
	opt := route.Options{TimeLimit: c.Duration("time-limit"), Iterations: c.Int("iterations"), Seed: c.Uint64("seed"),
		MinimizeVehicles: c.Bool("min-vehicles")}
	if opt.Iterations > 0 && !c.IsSet("time-limit") {
		opt.TimeLimit = 0
	}
	if opt.TimeLimit < 0 {
		return cli.Exit(fmt.Sprintf("solve: --time-limit: expected a duration >= 0, got %v", opt.TimeLimit), 2)
	}
	if opt.Iterations < 0 {
		return cli.Exit(fmt.Sprintf("solve: --iterations: expected a number >= 0, got %d", opt.Iterations), 2)
	}
	if opt.TimeLimit == 0 && opt.Iterations == 0 {
		return cli.Exit("solve: expected --time-limit > 0 or --iterations > 0", 2)
	}
	fs, err := newFiles(c.Context, c.App.Writer, [][2]string{{"INSTANCE", path}}, [][2]string{flagPath(c, "json")})
	if err != nil {
		return err
	}
	defer fs.Close()
	f, err := os.Open(path)
	if err != nil {
		return cli.Exit(fmt.Sprintf("solve: cannot read instance %s: %v", path, err), 2)
	}
	in, err := solomon.Read(f, path)
	f.Close()
	if err != nil {
		return cli.Exit(fmt.Sprintf("solve: %v", err), 2)
	}
	p := in.Problem()
	start := time.Now()
	sol, err := route.Solve(c.Context, p, opt)
	if c.Context.Err() != nil {
		return c.Context.Err()
	}
	if err != nil {
		return cli.Exit(fmt.Sprintf("solve: %s: %v", path, err), 2)
	}
	res := in.Result(sol, time.Since(start))
	dst := c.String("json")
	if dst != "" {
		if err := fs.write(dst, func(w io.Writer) error { return json.NewEncoder(w).Encode(&res) }); err != nil {
			return err
		}
	}
	if err := fs.commit(); err != nil {
		return err
	}
	if dst == "-" {
		return nil
	}
	line := fmt.Sprintf("%s customers=%d vehicles=%d distance=%.2f time_ms=%d", res.Instance, res.Customers, res.Vehicles, res.Distance, res.TimeMS)
	if len(res.Unassigned) > 0 {
		line += fmt.Sprintf(" unassigned=%d", len(res.Unassigned))
	}
	_, err = fmt.Fprintln(c.App.Writer, line)
	return err
}

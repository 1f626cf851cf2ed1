package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/metrics"
	"github.com/carriersim/carriersim/dispatch/report"
	"github.com/carriersim/carriersim/dispatch/report/htmlreport"
)

func sweepCommand() *cli.Command {
	return &cli.Command{
		Name:      "sweep",
		Usage:     "run a comparison at every point of a grid of scenario values, with replications",
		ArgsUsage: " ",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "scenario", Value: defaultScenario, Usage: "embedded scenario name or scenario JSON file"},
			&cli.StringFlag{Name: "policies", Value: "closed,open", Usage: "comma-separated policy names"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "order seed of replication 0 (replication i uses seed + i, at every point)"},
			&cli.IntFlag{Name: "orders", DefaultText: "the scenario's", Usage: "design volume in orders a day"},
			&cli.StringSliceFlag{Name: "vary", Usage: "a scenario field and its values, e.g. --vary goods.parcel.value_of_time_cny_per_hour=0,2,4 (`PATH=V1,V2,...`, repeatable: the grid of all)"},
			setFlag(),
			&cli.IntFlag{Name: "replications", Value: 5, Usage: "paired replications per point (`N`)"},
			&cli.BoolFlag{Name: "vary-network", Usage: "replication i also lays out the stations with network_seed + i"},
			&cli.StringFlag{Name: "csv", Usage: "write the tidy table (point x policy x metric: mean, sd, 95% CI) to `FILE`"},
			&cli.StringFlag{Name: "json", Usage: "write the sweep as JSON to `FILE` (- for stdout, instead of the table)"},
			&cli.StringFlag{Name: "html", Usage: "write the HTML report, with the metrics against the swept value, to `FILE`"},
			maxMemoryFlag(),
		},
		Action: runSweep,
	}
}

func runSweep(c *cli.Context) error {
	if c.NArg() > 0 {
		return usageError("sweep: unexpected argument %q", c.Args().First())
	}
	var axes []metrics.SweepAxis
	for _, v := range c.StringSlice("vary") {
		path, values, ok := strings.Cut(v, "=")
		if !ok || path == "" || values == "" {
			return usageError("--vary %s: expected PATH=V1,V2,..., e.g. goods.parcel.value_of_time_cny_per_hour=0,2,4", v)
		}
		axes = append(axes, metrics.SweepAxis{Path: path, Values: strings.Split(values, ",")})
	}
	if len(axes) == 0 {
		return usageError("sweep: expected at least one --vary PATH=V1,V2,...")
	}
	fs, err := newFiles(c.Context, c.App.Writer, [][2]string{flagPath(c, "scenario")},
		[][2]string{flagPath(c, "csv"), flagPath(c, "json"), flagPath(c, "html")})
	if err != nil {
		return err
	}
	defer fs.Close()
	opt, err := runOptions(c, policyNames(c.String("policies")))
	if err != nil {
		return err
	}
	if len(opt.Policies) == 0 {
		return usageError("--policies: expected at least one policy name")
	}
	logger(c.Context).Info().Str("scenario", opt.Scenario.Name).Int("points", gridSize(axes)).Int("replications", c.Int("replications")).Msg("sweeping")
	res, err := dispatch.Sweep(c.Context, opt, axes, c.Int("replications"), c.Bool("vary-network"))
	if err != nil {
		return runError(err)
	}
	if p := c.String("csv"); p != "" {
		if err := fs.write(p, func(w io.Writer) error { return report.WriteSweepCSV(w, &res.Sweep) }); err != nil {
			return err
		}
	}
	if p := c.String("json"); p != "" {
		if err := fs.write(p, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(&res.Sweep)
		}); err != nil {
			return err
		}
	}
	if p := c.String("html"); p != "" {
		in := htmlreport.FromComparison(res.First, htmlreport.Meta{Version: version(), Command: os.Args})
		in.Sweep = htmlreport.SweepFrom(&res.Sweep)
		if err := fs.write(p, func(w io.Writer) error { return htmlreport.Write(w, in) }); err != nil {
			return err
		}
	}
	if err := fs.commit(); err != nil {
		return err
	}
	if c.String("json") == "-" {
		return nil
	}
	return writeSweepTable(c.App.Writer, &res.Sweep)
}

// writeSweepTable prints, per point, each policy's cost per order, median latency and on-time rate, and
// the difference of each later policy from the first.
func writeSweepTable(out io.Writer, s *metrics.Sweep) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := make([]string, 0, len(s.Vary)+4)
	for _, a := range s.Vary {
		head = append(head, a.Path)
	}
	fmt.Fprintln(tw, strings.Join(append(head, "policy", "cost/order", "p50 h", "on time"), "\t")+"\t")
	for _, p := range s.Points {
		row := func(name string, cost, p50, ot string) {
			fmt.Fprintln(tw, strings.Join(append(append([]string(nil), p.Values...), name, cost, p50, ot), "\t")+"\t")
		}
		for _, pe := range p.Summary.Policies {
			m := map[string]metrics.Estimate{}
			for _, e := range pe.Metrics {
				m[e.Metric] = e.Estimate
			}
			row(pe.Policy, fmtEst(m["cost_per_order_cny"], "%.2f", 1), fmtEst(m["latency_p50_h"], "%.1f", 1), fmtEst(m["on_time_rate"], "%.1f", 100)+"%")
		}
		for _, d := range p.Summary.Differences {
			if d.Baseline != p.Summary.Policies[0].Policy {
				continue
			}
			m := map[string]metrics.Estimate{}
			for _, e := range d.Metrics {
				m[e.Metric] = e.Estimate
			}
			row(d.Policy+" - "+d.Baseline, fmtEst(m["cost_per_order_cny"], "%+.2f", 1), fmtEst(m["latency_p50_h"], "%+.1f", 1), fmtEst(m["on_time_rate"], "%+.1f", 100)+" pt")
		}
	}
	return tw.Flush()
}

func fmtEst(e metrics.Estimate, format string, scale float64) string {
	s := fmt.Sprintf(format, scale*e.Mean)
	if e.N > 1 {
		s += fmt.Sprintf(" ± %.2g", scale*e.HalfWidth())
	}
	return s
}

func gridSize(axes []metrics.SweepAxis) int {
	n := 1
	for _, a := range axes {
		n *= len(a.Values)
	}
	return n
}

// policyNames splits a comma-separated list of policy names.
func policyNames(list string) []string {
	var pols []string
	for _, p := range strings.Split(list, ",") {
		if p = strings.TrimSpace(p); p != "" {
			pols = append(pols, p)
		}
	}
	return pols
}

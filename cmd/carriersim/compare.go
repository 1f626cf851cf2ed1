package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"github.com/urfave/cli/v2"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/replay"
	"github.com/carriersim/carriersim/dispatch/report"
	"github.com/carriersim/carriersim/dispatch/report/htmlreport"
	"github.com/carriersim/carriersim/dispatch/scenario"
	"github.com/carriersim/carriersim/dispatch/sim"
)

const defaultScenario = "beijing-default"

func runFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "scenario", Value: defaultScenario, Usage: "embedded scenario name or scenario JSON file"},
		&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random seed for the order stream (same seed, same output)"},
		&cli.IntFlag{Name: "orders", DefaultText: "the scenario's", Usage: "design volume in orders a day; stations and fleets scale with it, and the day has this many times the scenario's peak multiplier"},
		&cli.StringFlag{Name: "json", Usage: "write the JSON report to `FILE` (- for stdout, instead of the table)"},
		&cli.StringFlag{Name: "geojson", Usage: "write the GeoJSON map to `FILE`"},
		&cli.StringFlag{Name: "trips", Usage: "write the routes as a kepler.gl trip file (timestamped positions) to `FILE`"},
		&cli.StringFlag{Name: "html", Usage: "write the HTML report (one self-contained page: charts, map, tables) to `FILE`"},
		&cli.IntFlag{Name: "geojson-sample", Value: 0, DefaultText: "0, every order",
			Usage: "draw at most `N` orders per policy in --geojson, the same orders for every policy (picked by a hash of the seed and order id), and only the routes that serve them, in --trips too; sorting centres, stations and service areas stay complete"},
		&cli.StringFlag{Name: "orders-csv", Usage: "replay the orders in `FILE` (LaDe delivery CSV or the generic CSV of docs/orders-csv.md) instead of generating them"},
		&cli.IntFlag{Name: "year", Usage: "year of a LaDe file's dates (LaDe times have no year)"},
		&cli.BoolFlag{Name: "skip-bad-rows", Usage: "with --orders-csv: count, report and skip bad rows instead of stopping at the first"},
		&cli.StringFlag{Name: "replay-platform", Value: "taobao", Usage: "platform of replayed orders whose file names none (LaDe)"},
		maxMemoryFlag(),
		&cli.StringFlag{Name: "shift", Usage: "draw the orders from the scenario's demand shift `NAME` (the networks stay as built)"},
		&cli.TimestampFlag{Name: "date", Layout: "2006-01-02", Value: cli.NewTimestamp(time.Date(2025, 3, 18, 0, 0, 0, 0, time.UTC)),
			DefaultText: "2025-03-18", Usage: "calendar date of the simulated day, China Standard Time, for the times in maps, trips and CSVs"},
		setFlag(),
		&cli.IntFlag{Name: "days", DefaultText: "the scenario's demand.days, 1", Usage: "simulate `N` consecutive days with carry-over (backlog, bookings, crews' appointments): day 0 from empty networks is a warm-up and the report covers days 1 to N-1 (N >= 2; the same as --set demand.days=N)"},
		&cli.IntFlag{Name: "replications", Value: 1, Usage: "run `N` paired replications (order seeds seed, seed+1, ...; every policy on the same orders) and report means with 95% confidence intervals"},
		&cli.BoolFlag{Name: "vary-network", Usage: "with --replications: replication i also lays out the stations with network_seed + i"},
		&cli.StringFlag{Name: "out", Usage: "write a run folder to `DIR`: report.json, summary.csv, groups.csv, orders.csv, routes.csv, map.geojson, trips.geojson, scenario.json, run.json (docs/outputs.md)"},
		&cli.BoolFlag{Name: "wide", Usage: "print the wide tables (by platform, carrier and category; installs; fleets) instead of the summary"},
	}
}

// setFlag is --set, shared by every command that loads a scenario.
func setFlag() cli.Flag {
	return &cli.StringSliceFlag{Name: "set", Usage: "override a scenario field, e.g. --set demand.orders=80000 or --set 'carriers[0].fleets[0].per_station=12' (`PATH=VALUE`, repeatable; validated like the file)"}
}

func compareCommand() *cli.Command {
	return &cli.Command{
		Name:      "compare",
		Usage:     "run several access policies on the same orders and compare them",
		ArgsUsage: " ",
		Flags: append(runFlags(),
			&cli.StringFlag{Name: "policies", Value: "closed,open", Usage: "comma-separated policy names"}),
		Action: func(c *cli.Context) error {
			var pols []string
			for _, p := range strings.Split(c.String("policies"), ",") {
				if p = strings.TrimSpace(p); p != "" {
					pols = append(pols, p)
				}
			}
			if len(pols) == 0 {
				return usageError("--policies: expected at least one policy name")
			}
			return runPolicies(c, pols)
		},
	}
}

func simulateCommand() *cli.Command {
	return &cli.Command{
		Name:      "simulate",
		Usage:     "run one access policy",
		ArgsUsage: " ",
		Flags: append(runFlags(),
			&cli.StringFlag{Name: "policy", Usage: "policy name (e.g. closed, open); required"}),
		Action: func(c *cli.Context) error {
			if c.String("policy") == "" {
				return usageError("simulate: --policy is required (e.g. --policy open)")
			}
			return runPolicies(c, []string{c.String("policy")})
		},
	}
}

func runPolicies(c *cli.Context, pols []string) error {
	if c.NArg() > 0 {
		return usageError("%s: unexpected argument %q", c.Command.Name, c.Args().First())
	}
	if n := c.Int("orders"); c.IsSet("orders") && (n < 1 || n > scenario.MaxOrders) {
		return usageError("--orders: expected a number of orders a day within [1, %d], found %d", scenario.MaxOrders, n)
	}
	if n := c.Int("geojson-sample"); n < 0 {
		return usageError("--geojson-sample: expected 0 (every order) or a positive number of orders, got %d", n)
	}
	log := logger(c.Context)
	outs := [][2]string{flagPath(c, "json"), flagPath(c, "geojson"), flagPath(c, "trips"), flagPath(c, "html")}
	dir := c.String("out")
	if dir != "" {
		made, err := makeRunFolder(dir)
		if err != nil {
			return err
		}
		defer made() // removes the folder again if the run fails and it was made for it
		for _, name := range report.RunFolderNames() {
			outs = append(outs, [2]string{"--out", filepath.Join(dir, name)})
		}
	}
	fs, err := newFiles(c.Context, c.App.Writer, [][2]string{flagPath(c, "scenario"), flagPath(c, "orders-csv")}, outs)
	if err != nil {
		return err
	}
	defer fs.Close()
	opt, err := runOptions(c, pols)
	if err != nil {
		return err
	}
	// Each order is folded into the report, and into the outputs that draw it, once final, and then released:
	// memory follows the orders in flight whatever is asked (the files are the same).
	opt.ReleaseOrders = true
	stream, lats := observe(c, &opt, fs, dir)
	var stopProgress func()
	opt.Progress, stopProgress = startProgress(c.App.ErrWriter, pols)
	log.Info().Str("scenario", opt.Scenario.Name).Strs("policies", pols).Uint64("seed", opt.Seed).Msg("simulating")
	t0 := time.Now()
	var cmp *dispatch.Comparison
	if n := c.Int("replications"); n != 1 || c.Bool("vary-network") {
		rep, rerr := dispatch.Replicate(c.Context, opt, n, c.Bool("vary-network"))
		if rerr == nil {
			cmp = rep.First
		}
		err = rerr
	} else {
		cmp, err = dispatch.Compare(c.Context, opt)
	}
	stopProgress()
	if err != nil {
		return runError(err)
	}
	cmp.Report.Version, cmp.Report.Overrides = version(), overrides(c)
	for _, nw := range cmp.World.Carriers {
		log.Info().Str("carrier", nw.Carrier.ID).Int("stations", len(nw.Stations)).
			Int("sorting_centers", len(nw.SortingCenters)).Msg("network placed")
	}
	warm := 0
	for i := range cmp.Orders {
		if cmp.Orders[i].Warmup {
			warm++
		}
	}
	wall := time.Since(t0)
	log.Info().Int("orders", len(cmp.Orders)-warm).Int("warmup_installs", warm).Str("elapsed", wall.Round(time.Millisecond).String()).Msg("simulated")

	jsonOut := c.String("json")
	gj, tp := c.String("geojson"), c.String("trips")
	if n := c.Int("geojson-sample"); n > 0 {
		if gj == "" && tp == "" {
			log.Warn().Msg("--geojson-sample has no effect without --geojson or --trips")
		}
		if stream != nil && stream.Sample() == nil {
			log.Info().Int("geojson_sample", n).Msg("the day has no more orders than --geojson-sample: the map draws them all")
		}
	}
	var sample *report.Sample
	if stream != nil {
		sample = stream.Sample()
	}
	if gj != "" {
		if err := fs.write(gj, stream.WriteGeoJSON); err != nil {
			return err
		}
		logWritten(log, gj, sample, "GeoJSON written")
	}
	if tp != "" {
		if err := fs.write(tp, stream.WriteTrips); err != nil {
			return err
		}
		logWritten(log, tp, sample, "kepler.gl trips written")
	}
	if h := c.String("html"); h != "" {
		in := htmlreport.FromStream(cmp, htmlreport.Meta{Version: version(), Command: os.Args}, lats)
		if err := fs.write(h, func(w io.Writer) error { return htmlreport.Write(w, in) }); err != nil {
			return err
		}
		log.Info().Str("file", h).Msg("HTML report written")
	}
	if jsonOut != "" {
		if err := fs.write(jsonOut, func(w io.Writer) error { return report.WriteJSON(w, &cmp.Report) }); err != nil {
			return err
		}
	}
	if dir != "" {
		seeds := []uint64{cmp.Seed}
		if r := cmp.Report.Replications; r != nil {
			seeds = r.Seeds
		}
		files, err := report.RunFolder(cmp, report.RunFolderOptions{Day0: *c.Timestamp("date"), Stream: stream,
			Info: report.RunInfo{Version: version(), Commit: commit(), Command: os.Args, Seeds: seeds,
				WallTimeS: math.Round(wall.Seconds()*1000) / 1000, Overrides: overrides(c)}})
		if err != nil {
			return err
		}
		for _, f := range files {
			if err := fs.write(filepath.Join(dir, f.Name), f.Write); err != nil {
				return err
			}
		}
		log.Info().Str("folder", dir).Int("files", len(files)).Msg("run folder written")
	}
	if err := fs.commit(); err != nil {
		return err
	}
	if jsonOut != "" && jsonOut != "-" {
		log.Info().Str("file", jsonOut).Msg("JSON report written")
	}
	if jsonOut == "-" {
		return nil
	}
	if c.Bool("wide") {
		return report.WriteTable(c.App.Writer, &cmp.Report)
	}
	return report.WriteSummary(c.App.Writer, &cmp.Report)
}

// observe sets opt.Observe to feed the outputs that draw orders or routes as the run goes: a report.Stream
// for the map, the trips and the run folder's orders.csv, routes.csv, map.geojson and trips.geojson (its
// scratch files next to the first of them, on the outputs' disk), and a latency sink per policy for the
// HTML page. Both are nil when not asked for.
func observe(c *cli.Context, opt *dispatch.Options, fs *files, dir string) (*report.Stream, []*htmlreport.LatencySink) {
	gj, tp := c.String("geojson"), c.String("trips")
	so := report.StreamOptions{Orders: dir != "", Routes: dir != "", Map: gj != "" || dir != "", Trips: tp != "" || dir != "",
		SampleSize: c.Int("geojson-sample"), Day0: *c.Timestamp("date")}
	var stream *report.Stream
	if so.Map || so.Trips {
		anchor := filepath.Join(dir, report.FileOrders)
		switch {
		case gj != "":
			anchor = gj
		case tp != "":
			anchor = tp
		}
		so.Scratch = func() (*os.File, error) { return fs.set.Scratch(anchor) }
		stream = report.NewStream(so)
	}
	var lats []*htmlreport.LatencySink
	html := c.String("html") != ""
	if html {
		lats = make([]*htmlreport.LatencySink, len(opt.Policies))
	}
	if stream == nil && !html {
		return nil, nil
	}
	opt.Observe = func(cmp *dispatch.Comparison, i int) (sim.Sink, error) {
		var sinks sim.Sinks
		if stream != nil {
			s, err := stream.Observe(cmp, i)
			if err != nil {
				return nil, err
			}
			sinks = append(sinks, s)
		}
		if html {
			lats[i] = htmlreport.NewLatencySink(cmp, i)
			sinks = append(sinks, lats[i])
		}
		return sinks, nil
	}
	return stream, lats
}

// maxMemoryFlag is --max-memory, shared by every command that simulates.
func maxMemoryFlag() cli.Flag {
	return &cli.StringFlag{Name: "max-memory", Value: defaultMaxMemory(),
		Usage: "refuse, before any work, a run expected to need more memory than `SIZE` (e.g. 16GiB; 0: no limit; default 90% of this machine's)"}
}

// runOptions reads the flags every run command shares into the entry point's options: the scenario, the
// policies, the seed, the design volume and the replayed orders.
func runOptions(c *cli.Context, pols []string) (dispatch.Options, error) {
	opt := dispatch.Options{Policies: pols, Seed: c.Uint64("seed"), ReplayPlatform: c.String("replay-platform"), Shift: c.String("shift")}
	var err error
	if opt.MaxMemory, err = parseBytes(c.String("max-memory")); err != nil {
		return opt, usageError("--max-memory: %v", err)
	}
	sc, err := loadScenario(c.String("scenario"))
	if err != nil {
		return opt, err
	}
	for _, set := range c.StringSlice("set") {
		path, value, ok := strings.Cut(set, "=")
		if !ok {
			return opt, usageError("--set %s: expected PATH=VALUE, e.g. demand.orders=80000", set)
		}
		if err := sc.Override(path, value); err != nil {
			return opt, usageError("--set %s: %v", set, err)
		}
	}
	if c.IsSet("days") {
		if n := c.Int("days"); n < 2 || n > scenario.MaxDays {
			return opt, usageError("--days: expected a number of days within [2, %d] (day 0 is the warm-up), found %d", scenario.MaxDays, n)
		}
		sc.Demand.Days = c.Int("days")
	}
	if len(c.StringSlice("set")) > 0 {
		if err := sc.Validate(); err != nil {
			return opt, usageError("--set: %v", err)
		}
	}
	opt.Scenario = sc
	// Checked here too, before a replay file is read, so that a misspelt name fails at once.
	if _, err := sc.PoliciesNamed(pols); err != nil {
		return opt, usageError("%v", err)
	}
	if c.IsSet("orders") {
		opt.Orders = c.Int("orders")
	}
	if path := c.String("orders-csv"); path != "" {
		rep, err := replay.ReadFile(path, replay.Options{Year: c.Int("year"), SkipBadRows: c.Bool("skip-bad-rows")})
		if errors.Is(err, replay.ErrOptions) && !c.IsSet("year") {
			return opt, usageError("%s: a LaDe file's times have no year: give it with --year (e.g. --year 2021)", path)
		}
		if errors.Is(err, replay.ErrOptions) {
			return opt, usageError("--year: expected a year within [%d, %d], found %d", replay.MinYear, replay.MaxYear, c.Int("year"))
		}
		if err != nil {
			return opt, usageError("%v", err)
		}
		if rep.Skipped > 0 {
			logger(c.Context).Warn().Int("skipped", rep.Skipped).Str("first", rep.Problems[0]).Msg("bad rows skipped")
		}
		opt.Replay, opt.ReplayFile = rep, path
	}
	return opt, nil
}

// runError maps an error of the entry point to an exit code: 2 when the input caused it.
func runError(err error) error {
	if errors.Is(err, dispatch.ErrInput) {
		return usageError("%v", err)
	}
	return err
}

// logWritten logs an output file, with the sample size when the map is sampled.
func logWritten(log *zerolog.Logger, file string, sample *report.Sample, msg string) {
	ev := log.Info().Str("file", file)
	if sample != nil {
		ev = ev.Int("sampled_orders_per_policy", sample.Size())
	}
	ev.Msg(msg)
}

// loadScenario resolves an embedded scenario name or a file path.
func loadScenario(ref string) (*scenario.Scenario, error) {
	sc, err := scenario.Load(ref)
	switch {
	case err == nil:
		return sc, nil
	case errors.Is(err, scenario.ErrInvalid):
		return nil, usageError("%v", err)
	default:
		return nil, usageError("--scenario: %v", err)
	}
}

func validateCommand() *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check a scenario file",
		ArgsUsage: "FILE",
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError("validate: expected one scenario FILE")
			}
			path := c.Args().First()
			sc, err := scenario.LoadFile(path)
			var ve *scenario.ValidationError
			switch {
			case errors.As(err, &ve):
				for _, p := range ve.Problems {
					fmt.Fprintf(c.App.ErrWriter, "%s: %s\n", path, p)
				}
				return cli.Exit(fmt.Sprintf("%s: %d problems", path, len(ve.Problems)), 2)
			case errors.Is(err, scenario.ErrInvalid):
				return usageError("%v", err)
			case err != nil:
				return usageError("validate: %v", err)
			}
			if err := dispatch.Validate(sc); err != nil {
				return usageError("%s: %v", path, err)
			}
			fmt.Fprintln(c.App.Writer, "ok")
			return nil
		},
	}
}

func scenariosCommand() *cli.Command {
	return &cli.Command{
		Name:  "scenarios",
		Usage: "list the embedded scenarios",
		Action: func(c *cli.Context) error {
			for _, name := range scenario.Embedded() {
				sc, err := scenario.Load(name)
				if err != nil {
					return err
				}
				fmt.Fprintf(c.App.Writer, "%s\t%s\n", name, sc.Description)
			}
			return nil
		},
		Subcommands: []*cli.Command{{
			Name:      "show",
			Usage:     "print an embedded scenario (a starting point for your own)",
			ArgsUsage: "NAME",
			Action: func(c *cli.Context) error {
				b, ok := scenario.EmbeddedJSON(c.Args().First())
				if !ok || c.NArg() != 1 {
					return usageError("scenarios show: expected one of %s", strings.Join(scenario.Embedded(), ", "))
				}
				_, err := c.App.Writer.Write(b)
				return err
			},
		}},
	}
}

// overrides are the scenario fields the command line changed, as PATH=VALUE in the order applied: every
// --set, then --days as demand.days.
func overrides(c *cli.Context) []string {
	out := c.StringSlice("set")
	if c.IsSet("days") {
		out = append(slices.Clone(out), fmt.Sprintf("demand.days=%d", c.Int("days")))
	}
	return out
}

package main

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"github.com/urfave/cli/v2"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/replay"
	"github.com/carriersim/carriersim/dispatch/report"
	"github.com/carriersim/carriersim/dispatch/report/htmlreport"
	"github.com/carriersim/carriersim/dispatch/scenario"
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
		&cli.StringFlag{Name: "shift", Usage: "draw the orders from the scenario's demand shift `NAME` (the networks stay as built)"},
		&cli.TimestampFlag{Name: "date", Layout: "2006-01-02", Value: cli.NewTimestamp(time.Date(2025, 3, 18, 0, 0, 0, 0, time.UTC)),
			Usage: "calendar date of the simulated day, for trip timestamps (China Standard Time)"},
	}
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
	if c.IsSet("orders") && c.Int("orders") < 1 {
		return usageError("--orders: expected a positive number of orders, got %d", c.Int("orders"))
	}
	if n := c.Int("geojson-sample"); n < 0 {
		return usageError("--geojson-sample: expected 0 (every order) or a positive number of orders, got %d", n)
	}
	log := logger(c.Context)
	opt, err := runOptions(c, pols)
	if err != nil {
		return err
	}
	var stopProgress func()
	opt.Progress, stopProgress = startProgress(c.App.ErrWriter, pols)
	t0 := time.Now()
	cmp, err := dispatch.Compare(c.Context, opt)
	stopProgress()
	if err != nil {
		return runError(err)
	}
	for _, nw := range cmp.World.Carriers {
		log.Info().Str("carrier", nw.Carrier.ID).Int("stations", len(nw.Stations)).
			Int("sorting_centers", len(nw.SortingCenters)).Msg("network placed")
	}
	log.Info().Int("orders", len(cmp.Orders)).Dur("elapsed", time.Since(t0).Round(time.Millisecond)).Msg("simulated")

	jsonOut := c.String("json")
	gj, tp := c.String("geojson"), c.String("trips")
	var sample *report.Sample
	if n := c.Int("geojson-sample"); n > 0 {
		if gj == "" && tp == "" {
			log.Warn().Msg("--geojson-sample has no effect without --geojson or --trips")
		}
		sample = report.NewSample(cmp, n)
		if sample == nil {
			log.Info().Int("geojson_sample", n).Msg("the day has no more orders than --geojson-sample: the map draws them all")
		}
	}
	if gj != "" {
		if err := writeFileAtomic(gj, func(w io.Writer) error { return report.WriteGeoJSONSampled(w, cmp, sample) }); err != nil {
			return err
		}
		logWritten(log, gj, sample, "GeoJSON written")
	}
	if tp != "" {
		day0 := *c.Timestamp("date")
		if err := writeFileAtomic(tp, func(w io.Writer) error { return report.WriteTripsSampled(w, cmp, day0, sample) }); err != nil {
			return err
		}
		logWritten(log, tp, sample, "kepler.gl trips written")
	}
	if h := c.String("html"); h != "" {
		in := htmlreport.FromComparison(cmp, htmlreport.Meta{Version: version(), Command: os.Args})
		if err := writeFileAtomic(h, func(w io.Writer) error { return htmlreport.Write(w, in) }); err != nil {
			return err
		}
		log.Info().Str("file", h).Msg("HTML report written")
	}
	switch jsonOut {
	case "":
		return report.WriteTable(c.App.Writer, &cmp.Report)
	case "-":
		return report.WriteJSON(c.App.Writer, &cmp.Report)
	default:
		if err := writeFileAtomic(jsonOut, func(w io.Writer) error { return report.WriteJSON(w, &cmp.Report) }); err != nil {
			return err
		}
		log.Info().Str("file", jsonOut).Msg("JSON report written")
		return report.WriteTable(c.App.Writer, &cmp.Report)
	}
}

// runOptions reads the flags every run command shares into the entry point's options: the scenario, the
// policies, the seed, the design volume and the replayed orders.
func runOptions(c *cli.Context, pols []string) (dispatch.Options, error) {
	opt := dispatch.Options{Policies: pols, Seed: c.Uint64("seed"), ReplayPlatform: c.String("replay-platform"), Shift: c.String("shift")}
	sc, err := loadScenario(c.String("scenario"))
	if err != nil {
		return opt, err
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
		if errors.Is(err, replay.ErrOptions) {
			return opt, usageError("%s: a LaDe file's times have no year: give it with --year (e.g. --year 2021)", path)
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

// writeFileAtomic writes through a temporary file in the same directory and renames it into place, so a
// failed run never leaves a half-written file. write gets the file itself: it should buffer and stream.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := createTemp(path)
	if err != nil {
		return usageError("cannot write %s: %v", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	// On disk before the rename, so a crash cannot leave an empty file under the final name.
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// createTemp creates a new file next to path, named after it, with the permissions os.Create would give
// (0666 less the umask; os.CreateTemp's 0600 would make the renamed output unreadable to other users).
func createTemp(path string) (*os.File, error) {
	dir, base := filepath.Split(path)
	var err error
	for range 100 {
		name := filepath.Join(dir, "."+base+".tmp"+strconv.FormatUint(rand.Uint64()%1e10, 10))
		var f *os.File
		if f, err = os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666); !errors.Is(err, os.ErrExist) {
			return f, err
		}
	}
	return nil, err
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

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
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
	"github.com/carriersim/carriersim/fixtures"
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
		&cli.IntFlag{Name: "geojson-sample", Value: 0, DefaultText: "0, every order",
			Usage: "draw at most `N` orders per policy in --geojson, the same orders for every policy (picked by a hash of the seed and order id), and only the routes that serve them, in --trips too; sorting centres, stations and service areas stay complete"},
		&cli.StringFlag{Name: "orders-csv", Usage: "replay the orders in `FILE` (LaDe delivery CSV or the generic CSV of docs/orders-csv.md) instead of generating them"},
		&cli.IntFlag{Name: "year", Usage: "year of a LaDe file's dates (LaDe times have no year)"},
		&cli.BoolFlag{Name: "skip-bad-rows", Usage: "with --orders-csv: count, report and skip bad rows instead of stopping at the first"},
		&cli.StringFlag{Name: "replay-platform", Value: "taobao", Usage: "platform of replayed orders whose file names none (LaDe)"},
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
	sc, err := loadScenario(c.String("scenario"))
	if err != nil {
		return err
	}
	for _, p := range pols {
		if _, ok := sc.PolicyByName(p); !ok {
			return usageError("unknown policy %q: scenario %s has %s", p, sc.Name, policyList(sc))
		}
	}
	rep, err := readReplay(c, sc)
	if err != nil {
		return err
	}
	if c.IsSet("orders") {
		// The networks scale with demand: stations and fleets are sized from the order count.
		sc.Demand.Orders = c.Int("orders")
	}
	t0 := time.Now()
	w, err := dispatch.NewWorld(sc)
	if err != nil {
		return usageError("scenario %s: %v", sc.Name, err)
	}
	for _, nw := range w.Carriers {
		log.Info().Str("carrier", nw.Carrier.ID).Int("stations", len(nw.Stations)).
			Int("sorting_centers", len(nw.SortingCenters)).Msg("network placed")
	}
	var cmp *dispatch.Comparison
	ctx, stopProgress := startProgress(c.Context, c.App.ErrWriter, pols)
	c.Context = ctx
	if rep != nil {
		cmp, err = replayCompare(c, w, pols, rep)
	} else {
		cmp, err = dispatch.Compare(c.Context, w, pols, c.Uint64("seed"), sc.DayOrders())
	}
	stopProgress()
	if err != nil {
		return err
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

// logWritten logs an output file, with the sample size when the map is sampled.
func logWritten(log *zerolog.Logger, file string, sample *report.Sample, msg string) {
	ev := log.Info().Str("file", file)
	if sample != nil {
		ev = ev.Int("sampled_orders_per_policy", sample.Size())
	}
	ev.Msg(msg)
}

// readReplay reads --orders-csv, if given, and sizes the scenario's networks for the replayed daily volume
// (unless --orders says otherwise).
func readReplay(c *cli.Context, sc *dispatch.Scenario) (*replay.Result, error) {
	path := c.String("orders-csv")
	if path == "" {
		return nil, nil
	}
	rep, err := replay.ReadFile(path, replay.Options{Year: c.Int("year"), SkipBadRows: c.Bool("skip-bad-rows")})
	if errors.Is(err, replay.ErrOptions) {
		return nil, usageError("%s: a LaDe file's times have no year: give it with --year (e.g. --year 2021)", path)
	}
	if err != nil {
		return nil, usageError("%v", err)
	}
	if rep.Skipped > 0 {
		logger(c.Context).Warn().Int("skipped", rep.Skipped).Str("first", rep.Problems[0]).Msg("bad rows skipped")
	}
	if !c.IsSet("orders") && len(rep.Records) > 0 {
		sc.Demand.Orders = max(1, int(math.Round(float64(len(rep.Records))/replayDays(rep.Records))))
		sc.Demand.PeakMultiplier = 1
	}
	return rep, nil
}

// replayCompare runs the policies on replayed orders.
func replayCompare(c *cli.Context, w *dispatch.World, names []string, rep *replay.Result) (*dispatch.Comparison, error) {
	orders, start, err := dispatch.OrdersFromRecords(w, rep.Records, c.String("replay-platform"))
	if err != nil {
		return nil, usageError("%s: %v", c.String("orders-csv"), err)
	}
	inside := 0
	for _, o := range orders {
		if o.Zone >= 0 {
			inside++
		}
	}
	if inside == 0 {
		return nil, usageError("%s: none of its %d destinations lies in scenario %s's city (%s): use a scenario for that city",
			c.String("orders-csv"), len(orders), w.Scenario.Name, w.Scenario.City.Name)
	}
	var pols []*dispatch.Policy
	for _, n := range names {
		p, _ := w.Scenario.PolicyByName(n)
		pols = append(pols, p)
	}
	cmp, err := dispatch.CompareOrders(c.Context, w, pols, c.Uint64("seed"), orders)
	if err != nil {
		return nil, err
	}
	cmp.Report.Replay = &dispatch.ReplayInfo{File: filepath.Base(c.String("orders-csv")), Format: rep.Format,
		Start: start.Format(time.RFC3339), Orders: len(orders), Skipped: rep.Skipped, Problems: rep.Problems}
	return cmp, nil
}

// replayDays is the number of calendar days the records' creation times span (at least 1).
func replayDays(recs []replay.Record) float64 {
	days := map[string]bool{}
	for _, r := range recs {
		days[r.Created.Format("2006-01-02")] = true
	}
	return float64(max(1, len(days)))
}

func policyList(sc *dispatch.Scenario) string {
	var names []string
	for _, p := range sc.Policies {
		names = append(names, p.Name)
	}
	return strings.Join(names, ", ")
}

// loadScenario resolves an embedded scenario name or a file path.
func loadScenario(ref string) (*dispatch.Scenario, error) {
	if b, ok := fixtures.Scenario(ref); ok {
		sc, err := dispatch.DecodeScenario(bytes.NewReader(b), ref)
		if err != nil {
			return nil, fmt.Errorf("embedded scenario %s: %w", ref, err)
		}
		return sc, nil
	}
	f, err := os.Open(ref)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, usageError("--scenario: %q is neither an embedded scenario (%s) nor an existing file",
				ref, strings.Join(fixtures.ScenarioNames(), ", "))
		}
		return nil, usageError("--scenario: %v", err)
	}
	defer f.Close()
	sc, err := dispatch.DecodeScenario(f, ref)
	if err != nil {
		return nil, usageError("%v", err)
	}
	if err := sc.Validate(); err != nil {
		return nil, usageError("%s: %v", ref, err)
	}
	return sc, nil
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
			f, err := os.Open(path)
			if err != nil {
				return usageError("validate: %v", err)
			}
			defer f.Close()
			sc, err := dispatch.DecodeScenario(f, path)
			if err != nil {
				return usageError("%v", err)
			}
			if err := sc.Validate(); err != nil {
				var ve *dispatch.ValidationError
				if errors.As(err, &ve) {
					for _, p := range ve.Problems {
						fmt.Fprintf(c.App.ErrWriter, "%s: %s\n", path, p)
					}
					return cli.Exit(fmt.Sprintf("%s: %d problems", path, len(ve.Problems)), 2)
				}
				return usageError("%s: %v", path, err)
			}
			if _, err := dispatch.NewWorld(sc); err != nil {
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
			for _, name := range fixtures.ScenarioNames() {
				b, _ := fixtures.Scenario(name)
				sc, err := dispatch.DecodeScenario(bytes.NewReader(b), name)
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
				b, ok := fixtures.Scenario(c.Args().First())
				if !ok || c.NArg() != 1 {
					return usageError("scenarios show: expected one of %s", strings.Join(fixtures.ScenarioNames(), ", "))
				}
				_, err := c.App.Writer.Write(b)
				return err
			},
		}},
	}
}

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/carriersim/carriersim/dispatch/shard"
)

// failOnceEnv makes a shard fail once, for the Slurm test of retries only: "INDEX:MARKER" fails shard
// INDEX when file MARKER does not exist, after creating it.
const failOnceEnv = "CARRIERSIM_TEST_FAIL_SHARD_ONCE"

// shardCommand is `carriersim shard plan|run|run-all`; mergeCommand is `carriersim merge`.
func shardCommand() *cli.Command {
	return &cli.Command{
		Name:  "shard",
		Usage: "plan, run and run locally a national scenario split into shards of cities (docs/scale-out.md)",
		Subcommands: []*cli.Command{
			{
				Name:  "plan",
				Usage: "split a national scenario's cities into shards of balanced expected orders and write the plan",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "scenario", Value: "china-double11", Usage: "national scenario: embedded name or `FILE`"},
					&cli.IntFlag{Name: "shards", Required: true, Usage: "number of shards `N`"},
					&cli.Float64Flag{Name: "scale", Value: 1, Usage: "share `F` of real volume (e.g. 0.01)"},
					&cli.StringFlag{Name: "out", Required: true, Usage: "plan `FILE` to write"},
				},
				Action: shardPlan,
			},
			{
				Name:  "run",
				Usage: "run one shard of a plan and write its partial result into a folder",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "plan", Required: true, Usage: "plan `FILE`"},
					&cli.StringFlag{Name: "out", Required: true, Usage: "`DIR` for the partial (created if missing)"},
					&cli.StringFlag{Name: "index", Usage: "shard index `I` (default: $SLURM_ARRAY_TASK_ID, else $JOB_COMPLETION_INDEX)"},
					&cli.IntFlag{Name: "jobs", Usage: "cities run at once (0: all cores)"},
				},
				Action: shardRun,
			},
			{
				Name:  "run-all",
				Usage: "run every shard of a plan on the local cores, then merge them into DIR/national.json",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "plan", Required: true, Usage: "plan `FILE`"},
					&cli.StringFlag{Name: "out", Required: true, Usage: "`DIR` for the partials and the report"},
					&cli.IntFlag{Name: "jobs", Usage: "cities run at once (0: all cores)"},
					&cli.StringFlag{Name: "geojson", Usage: "also write the national map of cities to `FILE`"},
				},
				Action: shardRunAll,
			},
		},
	}
}

func mergeCommand() *cli.Command {
	return &cli.Command{
		Name:      "merge",
		Usage:     "merge every shard's partial result of one plan into the national report",
		ArgsUsage: "PARTIAL|DIR...",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Required: true, Usage: "national report `FILE` (JSON)"},
			&cli.StringFlag{Name: "geojson", Usage: "also write the national map of cities to `FILE`"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usageError("merge: no partial given (carriersim merge --out FILE PARTIAL...)")
			}
			return mergeFiles(c, c.Args().Slice(), c.String("out"), c.String("geojson"))
		},
	}
}

func shardError(err error) error {
	if errors.Is(err, shard.ErrInput) {
		return usageError("%v", err)
	}
	return err
}

func shardPlan(c *cli.Context) error {
	n, hash, err := shard.LoadNational(c.String("scenario"))
	if err != nil {
		return shardError(err)
	}
	p, err := shard.NewPlan(n, hash, c.Int("shards"), c.Float64("scale"))
	if err != nil {
		return shardError(err)
	}
	if err := p.Write(c.String("out")); err != nil {
		return err
	}
	total := 0
	for _, s := range p.Shards {
		total += s.DayOrders
	}
	logger(c.Context).Info().Str("plan", p.ID).Int("cities", len(p.Cities)).Int("shards", len(p.Shards)).
		Int("day_orders", total).Str("file", c.String("out")).Msg("plan written")
	return nil
}

// shardIndex is --index, else the scheduler's index variable.
func shardIndex(c *cli.Context) (int, error) {
	src, v := "--index", c.String("index")
	for _, env := range []string{"SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"} {
		if v == "" {
			src, v = "$"+env, os.Getenv(env)
		}
	}
	if v == "" {
		return 0, usageError("shard run: no shard index: give --index, or run as a Slurm array task or a Kubernetes Indexed Job")
	}
	i, err := strconv.Atoi(v)
	if err != nil {
		return 0, usageError("shard run: %s: expected a shard index, got %q", src, v)
	}
	return i, nil
}

func shardRun(c *cli.Context) error {
	p, err := shard.ReadPlan(c.String("plan"))
	if err != nil {
		return shardError(err)
	}
	i, err := shardIndex(c)
	if err != nil {
		return err
	}
	if err := failOnce(i); err != nil {
		return err
	}
	_, err = runOneShard(c, p, i, c.String("out"))
	return err
}

// failOnce honours failOnceEnv (tests only).
func failOnce(index int) error {
	spec := os.Getenv(failOnceEnv)
	if spec == "" {
		return nil
	}
	idx, marker, ok := strings.Cut(spec, ":")
	if !ok || idx != strconv.Itoa(index) {
		return nil
	}
	if _, err := os.Stat(marker); err == nil {
		return nil
	}
	if err := os.WriteFile(marker, nil, 0o644); err != nil {
		return err
	}
	return fmt.Errorf("shard %d: failing once as %s asks", index, failOnceEnv)
}

// runOneShard runs shard i and writes its partial into dir.
func runOneShard(c *cli.Context, p *shard.Plan, i int, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", usageError("--out: %v", err)
	}
	log := logger(c.Context)
	t := time.Now()
	part, err := shard.Run(c.Context, p, i, shard.Options{Jobs: c.Int("jobs"), CityDone: func(city shard.City, done, total int) {
		log.Debug().Int("shard", i).Str("city", city.Pinyin).Int("done", done).Int("of", total).Msg("city done")
	}})
	if err != nil {
		return "", shardError(err)
	}
	path, err := part.Write(dir)
	if err != nil {
		return "", err
	}
	log.Info().Int("shard", i).Int("cities", len(part.Cities)).Str("wall", time.Since(t).Round(time.Millisecond).String()).
		Str("file", path).Msg("partial written")
	return path, nil
}

func shardRunAll(c *cli.Context) error {
	p, err := shard.ReadPlan(c.String("plan"))
	if err != nil {
		return shardError(err)
	}
	dir := c.String("out")
	var paths []string
	for i := range p.Shards {
		path, err := runOneShard(c, p, i, dir)
		if err != nil {
			return err
		}
		paths = append(paths, path)
	}
	return mergeFiles(c, paths, filepath.Join(dir, "national.json"), c.String("geojson"))
}

// partialPaths expands each folder argument into the partials it holds (partial-*.json), in name order.
func partialPaths(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if st, err := os.Stat(a); err != nil || !st.IsDir() {
			out = append(out, a)
			continue
		}
		m, err := filepath.Glob(filepath.Join(a, "partial-*.json"))
		if err != nil {
			return nil, err
		}
		if len(m) == 0 {
			return nil, usageError("merge: folder %s holds no partial (partial-*.json)", a)
		}
		out = append(out, m...)
	}
	return out, nil
}

// mergeFiles reads the partials (files, or folders of them), merges them and writes the report (and the map).
func mergeFiles(c *cli.Context, args []string, out, geojson string) error {
	paths, err := partialPaths(args)
	if err != nil {
		return err
	}
	inputs := make([][2]string, len(paths))
	for i, p := range paths {
		inputs[i] = [2]string{"PARTIAL", p}
	}
	fs, err := newFiles(c.Context, c.App.Writer, inputs, [][2]string{{"--out", out}, {"--geojson", geojson}})
	if err != nil {
		return err
	}
	defer fs.Close()
	parts := make([]*shard.Partial, len(paths))
	for i, path := range paths {
		p, err := shard.ReadPartial(path)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return usageError("merge: %v", err)
			}
			return shardError(err)
		}
		parts[i] = p
	}
	r, err := shard.Merge(parts, paths)
	if err != nil {
		return shardError(err)
	}
	if err := fs.write(out, func(w io.Writer) error { return r.WriteJSON(w) }); err != nil {
		return err
	}
	if geojson != "" {
		if err := fs.write(geojson, func(w io.Writer) error { return r.WriteGeoJSON(w) }); err != nil {
			return err
		}
	}
	if err := fs.commit(); err != nil {
		return err
	}
	logger(c.Context).Info().Int("partials", len(parts)).Int("cities", r.CitiesSimulated).Str("file", out).Msg("national report written")
	return nil
}

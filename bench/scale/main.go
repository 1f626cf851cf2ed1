// Command scale runs the compare pipeline at city scale (10k to 10M orders a day) and prints, per size, the
// wall time of each phase (world build, order generation, compare with its dispatch and route parts, report),
// orders/s, time per order and peak RSS.
//
// Each size runs in a child process of its own (this binary re-executed with the hidden -child flag), so the
// peak RSS of a size is that child's ru_maxrss and no size inherits another's heap. The child prints one JSON
// line of figures to stdout; the parent prints the table to stdout and logs to stderr. A size that fails or
// times out shows its error in the table, the other sizes still run, and the command exits 1.
//
// The GeoJSON report is written whole up to -geojson-max and, above it, with -geojson-sample orders per policy
// (report.NewSample), so the report phase is measured at every size; the table says which sizes were sampled.
//
//	go run ./bench/scale [-sizes 10k,100k,1M,10M] [-policies closed,open] [-scenario beijing-default] [-timeout 20m]
//	                     [-geojson-max 1M] [-geojson-sample 100k] [-cpuprofile DIR] [-memprofile DIR]
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/carriersim/carriersim/dispatch"
)

// errFailed reports that at least one size failed; the table already shows why.
var errFailed = errors.New("scale: at least one size failed")

// usageError is a bad command line (exit status 2).
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func main() {
	// The children run the pipeline as the CLI does, with its garbage collector target.
	dispatch.TuneGC()
	if err := run(os.Stdout, os.Stderr, os.Args[1:]); err != nil {
		if !errors.Is(err, errFailed) && !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, err)
		}
		if errors.Is(err, flag.ErrHelp) || errors.As(err, new(usageError)) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// config is the parsed command line.
type config struct {
	sizes      []int
	policies   []string
	scenario   string
	seed       uint64
	timeout    time.Duration
	geojsonMax int
	// geojsonSample is the orders per policy of the GeoJSON above geojsonMax; 0 skips the GeoJSON there.
	geojsonSample int
	cpuprofile    string // directory for per-size CPU profiles; empty for none
	memprofile    string // directory for per-size heap profiles; empty for none
	child         int    // >0: measure this size and print its figures (the child process)
}

// run parses args and either measures one size (child) or runs every size in a child and prints the table.
func run(stdout, stderr io.Writer, args []string) error {
	cfg, err := parseArgs(stderr, args)
	if err != nil {
		return usageError{err}
	}
	for _, dir := range []string{cfg.cpuprofile, cfg.memprofile} {
		if dir == "" {
			continue
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return usageError{fmt.Errorf("scale: profile directory: %w", err)}
		}
	}
	log := zerolog.New(zerolog.ConsoleWriter{Out: stderr, NoColor: true, TimeFormat: time.TimeOnly}).With().Timestamp().Logger()
	if cfg.child > 0 {
		f, err := measure(context.Background(), cfg, cfg.child, log)
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(f)
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("scale: cannot re-execute myself: %w", err)
	}
	var rows []Figures
	failed := false
	for _, n := range cfg.sizes {
		log.Info().Str("size", sizeLabel(n)).Stringer("timeout", cfg.timeout).Msg("starting child")
		f := runChild(exe, cfg, n, stderr)
		if f.Err != "" {
			failed = true
			log.Error().Str("size", sizeLabel(n)).Str("err", f.Err).Msg("size failed")
		} else {
			log.Info().Str("size", sizeLabel(n)).Stringer("total", ms(f.Total)).Float64("peak_rss_mib", f.PeakRSSMiB()).Msg("size done")
		}
		rows = append(rows, f)
	}
	if err := writeTable(stdout, cfg, rows); err != nil {
		return err
	}
	if failed {
		return errFailed
	}
	return nil
}

func parseArgs(stderr io.Writer, args []string) (config, error) {
	fs := flag.NewFlagSet("scale", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sizes := fs.String("sizes", "10k,100k,1M,10M", "comma-separated order counts of the simulated day (k = 1,000, M = 1,000,000)")
	policies := fs.String("policies", "closed,open", "comma-separated policies to compare")
	var cfg config
	fs.StringVar(&cfg.scenario, "scenario", "beijing-default", "embedded scenario name or scenario JSON file")
	fs.Uint64Var(&cfg.seed, "seed", 1, "seed of the order stream")
	fs.DurationVar(&cfg.timeout, "timeout", 20*time.Minute, "time limit of each size's child process")
	geojsonMax := fs.String("geojson-max", "1M", "largest size whose whole GeoJSON report is written and timed")
	geojsonSample := fs.String("geojson-sample", "100k", "above -geojson-max, write and time a GeoJSON of this many orders per policy (0: no GeoJSON there)")
	fs.StringVar(&cfg.cpuprofile, "cpuprofile", "", "directory to write each size's CPU profile to (cpu-<size>.pprof); created if missing")
	fs.StringVar(&cfg.memprofile, "memprofile", "", "directory to write each size's heap profiles to: at the end of its run (mem-<size>.pprof) and at its largest live heap, sampled each second (mem-peak-<size>.pprof); created if missing")
	fs.IntVar(&cfg.child, "child", 0, "internal: measure this size in this process and print its figures as JSON")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("scale: unexpected argument %q", fs.Arg(0))
	}
	var err error
	if cfg.sizes, err = parseSizes(*sizes); err != nil {
		return cfg, err
	}
	if cfg.geojsonMax, err = parseSize(*geojsonMax); err != nil {
		return cfg, fmt.Errorf("scale: -geojson-max: %w", err)
	}
	if *geojsonSample != "0" {
		if cfg.geojsonSample, err = parseSize(*geojsonSample); err != nil {
			return cfg, fmt.Errorf("scale: -geojson-sample: %w (or 0)", err)
		}
	}
	for _, p := range strings.Split(*policies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			cfg.policies = append(cfg.policies, p)
		}
	}
	if len(cfg.policies) == 0 {
		return cfg, errors.New("scale: -policies is empty")
	}
	if cfg.timeout <= 0 {
		return cfg, fmt.Errorf("scale: -timeout must be positive, got %v", cfg.timeout)
	}
	return cfg, nil
}

// parseSizes parses a comma-separated list of sizes such as "10k,100k,1M".
func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := parseSize(f)
		if err != nil {
			return nil, fmt.Errorf("scale: -sizes: %w", err)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, errors.New("scale: -sizes is empty")
	}
	return out, nil
}

// parseSize parses an order count: digits with an optional k (thousand) or M (million) suffix.
func parseSize(s string) (int, error) {
	mult := 1
	switch {
	case strings.HasSuffix(s, "k"), strings.HasSuffix(s, "K"):
		mult, s = 1000, s[:len(s)-1]
	case strings.HasSuffix(s, "M"), strings.HasSuffix(s, "m"):
		mult, s = 1000000, s[:len(s)-1]
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("size %q is not a positive count like 10k or 1M", s)
	}
	return n * mult, nil
}

// sizeLabel writes n as 10k, 1M, 2.5M or plain digits.
func sizeLabel(n int) string {
	switch {
	case n >= 1000000 && n%100000 == 0:
		return strconv.FormatFloat(float64(n)/1e6, 'f', -1, 64) + "M"
	case n >= 1000 && n%100 == 0:
		return strconv.FormatFloat(float64(n)/1e3, 'f', -1, 64) + "k"
	}
	return strconv.Itoa(n)
}

// runChild measures size n in a child process and returns its figures, with PeakRSS and Err filled in by
// the parent. It never returns an error: a failure is recorded in Figures.Err.
func runChild(exe string, cfg config, n int, stderr io.Writer) Figures {
	f := Figures{Size: n}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.timeout)
	defer cancel()
	args := []string{
		"-child", strconv.Itoa(n),
		"-policies", strings.Join(cfg.policies, ","),
		"-scenario", cfg.scenario,
		"-seed", strconv.FormatUint(cfg.seed, 10),
		"-geojson-max", strconv.Itoa(cfg.geojsonMax),
		"-geojson-sample", strconv.Itoa(cfg.geojsonSample),
	}
	if cfg.cpuprofile != "" {
		args = append(args, "-cpuprofile", cfg.cpuprofile)
	}
	if cfg.memprofile != "" {
		args = append(args, "-memprofile", cfg.memprofile)
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	var out bytes.Buffer
	tail := &tailWriter{max: 4096}
	cmd.Stdout = &out
	cmd.Stderr = io.MultiWriter(stderr, tail)
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			f.PeakRSS = int64(ru.Maxrss) * 1024 // KiB on Linux
			f.CPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		f.Err = fmt.Sprintf("timed out after %v", cfg.timeout)
		return f
	case err != nil:
		f.Err = err.Error()
		if msg := lastLine(string(tail.buf)); msg != "" {
			f.Err = msg + " (" + f.Err + ")"
		}
		return f
	}
	var got Figures
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if line := bytes.TrimSpace(sc.Bytes()); len(line) > 0 && line[0] == '{' {
			if err := json.Unmarshal(line, &got); err != nil {
				f.Err = fmt.Sprintf("bad figures from child: %v", err)
				return f
			}
		}
	}
	if got.Size != n {
		f.Err = fmt.Sprintf("child printed no figures (ran %v)", wall.Round(time.Millisecond))
		return f
	}
	got.PeakRSS, got.CPU = f.PeakRSS, f.CPU
	return got
}

// tailWriter keeps the last max bytes written to it.
type tailWriter struct {
	buf []byte
	max int
}

func (t *tailWriter) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

// lastLine returns the last non-empty line of s.
func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return s
}

// profilePath is where the child of size n writes its profile of a kind ("cpu", "mem").
func profilePath(dir, kind string, n int) string {
	return filepath.Join(dir, kind+"-"+sizeLabel(n)+".pprof")
}

// Command carriersim simulates e-commerce delivery in a Chinese city under closed and open carrier access
// and compares cost and latency on the same orders. See README.md and CONTRACT.md for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"

	"github.com/mattn/go-isatty"
	"github.com/rs/zerolog"
	"github.com/urfave/cli/v2"

	"github.com/carriersim/carriersim/dispatch"
)

func main() {
	dispatch.TuneGC()
	ctx, stop := withSignals(context.Background())
	err := run(ctx, os.Stdout, os.Stderr, os.Args)
	stop()
	os.Exit(exitCode(os.Stderr, err))
}

// interrupted is the cause of a run stopped by a signal; it exits 128 + the signal's number (130 for
// SIGINT, 143 for SIGTERM).
type interrupted struct{ sig syscall.Signal }

func (e interrupted) Error() string {
	name := map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"}[e.sig]
	return "interrupted by " + name + ": the run stopped, wrote no output and left earlier files as they were"
}

// withSignals returns a context cancelled, with an interrupted cause, by the first SIGINT or SIGTERM.
// Later signals are ignored while the run cleans up (it removes its temporary files, which is quick).
func withSignals(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		select {
		case s := <-ch:
			cancel(interrupted{s.(syscall.Signal)})
		case <-ctx.Done():
		}
	}()
	return ctx, func() { cancel(nil) }
}

// exitCode prints err as one line on stderr and maps it to CONTRACT.md's exit codes: 2 for bad usage or
// bad input, 1 for a failed run.
func exitCode(stderr io.Writer, err error) int {
	if err == nil {
		return 0
	}
	code := 1
	var ec cli.ExitCoder
	var sig interrupted
	switch {
	case errors.As(err, &sig):
		code = 128 + int(sig.sig)
	case errors.As(err, &ec):
		code = ec.ExitCode()
	}
	if msg := strings.TrimSpace(err.Error()); msg != "" {
		fmt.Fprintln(stderr, "carriersim: "+msg)
	}
	return code
}

// usageError marks bad usage or bad input (exit code 2).
func usageError(format string, args ...any) error {
	return cli.Exit(fmt.Sprintf(format, args...), 2)
}

// run is the whole program, minus process exit, so tests can drive it.
func run(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	stopProfile := func() {}
	defer func() { stopProfile() }()
	app := &cli.App{
		Name:      "carriersim",
		Usage:     "compare delivery cost and latency under closed and open carrier access",
		Writer:    stdout,
		ErrWriter: stderr,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "log-level", Value: "info", Usage: "stderr log level: debug, info, warn, error or disabled"},
			&cli.StringFlag{Name: "cpuprofile", Usage: "write a CPU profile to `FILE` (for go tool pprof)"},
		},
		Version: version(),
		Before: func(c *cli.Context) error {
			if err := setLogLevel(c, stderr); err != nil {
				return err
			}
			if path := c.String("cpuprofile"); path != "" {
				f, err := os.Create(path)
				if err != nil {
					return usageError("--cpuprofile: %v", err)
				}
				if err := pprof.StartCPUProfile(f); err != nil {
					f.Close()
					return usageError("--cpuprofile: %v", err)
				}
				stopProfile = func() { pprof.StopCPUProfile(); f.Close() }
			}
			return nil
		},
		Commands: []*cli.Command{
			compareCommand(),
			simulateCommand(),
			solveCommand(),
			validateCommand(),
			scenariosCommand(),
			replayCheckCommand(),
			calibrateCommand(),
			reportCommand(),
			sweepCommand(),
			shardCommand(),
			mergeCommand(),
			completionCommand(),
		},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usageError("%v (see carriersim --help)", err)
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError("unknown command %q (want compare, simulate, solve, validate, scenarios, replay-check, report, sweep, shard, merge or completion)", c.Args().First())
			}
			return cli.ShowAppHelp(c)
		},
		ExitErrHandler: func(*cli.Context, error) {}, // exit codes are main's job
		// --vary PATH=V1,V2 and --set PATH=[1,2] carry commas of their own.
		DisableSliceFlagSeparator: true,
	}
	for _, cmd := range app.Commands {
		cmd.OnUsageError = func(c *cli.Context, err error, _ bool) error {
			return usageError("%s: %v (see carriersim %s --help)", c.Command.Name, err, c.Command.Name)
		}
		// --log-level after the command works too (compare --log-level warn).
		cmd.Flags = append(cmd.Flags, &cli.StringFlag{Name: "log-level", Usage: "stderr log level, as the global --log-level"})
		cmd.Before = func(c *cli.Context) error {
			if !c.IsSet("log-level") {
				return nil
			}
			return setLogLevel(c, stderr)
		}
	}
	err := app.RunContext(ctx, flagsFirst(app, args))
	var sig interrupted
	if err != nil && errors.As(context.Cause(ctx), &sig) {
		return sig // whatever the run returned, it stopped because of the signal
	}
	return err
}

type loggerKey struct{}

// newLogger logs to w in zerolog's console format, coloured only when w is a terminal.
func newLogger(w io.Writer, lvl zerolog.Level) zerolog.Logger {
	f, ok := w.(*os.File)
	colour := ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
	cw := zerolog.ConsoleWriter{Out: w, TimeFormat: "15:04:05", NoColor: !colour}
	return zerolog.New(cw).Level(lvl).With().Timestamp().Logger()
}

// setLogLevel makes the context's logger log at the level of the --log-level flag.
func setLogLevel(c *cli.Context, stderr io.Writer) error {
	lvl, err := zerolog.ParseLevel(c.String("log-level"))
	if err != nil || c.String("log-level") == "" {
		return usageError("--log-level: expected debug, info, warn, error or disabled, got %q", c.String("log-level"))
	}
	c.Context = withLogger(c.Context, newLogger(stderr, lvl))
	return nil
}

// flagsFirst moves a command's flags before its arguments (solve FILE --time-limit 5s reads the flag), as
// the command-line library stops reading flags at the first argument. A "--" ends the flags as usual;
// commands with subcommands are left as they are.
func flagsFirst(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	i := 1
	for i < len(args) && strings.HasPrefix(args[i], "-") { // global flags, each with a value but -h, -v
		if strings.Contains(args[i], "=") || args[i] == "-h" || args[i] == "--help" || args[i] == "-v" || args[i] == "--version" {
			i++
		} else {
			i += 2
		}
	}
	if i >= len(args) {
		return args
	}
	cmd := app.Command(args[i])
	if cmd == nil || len(cmd.Subcommands) > 0 {
		return args
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
	var flags, positional []string
	rest := args[i+1:]
	for k := 0; k < len(rest); k++ {
		a := rest[k]
		switch {
		case a == "--":
			positional = append(positional, rest[k:]...)
			k = len(rest)
		case strings.HasPrefix(a, "-") && a != "-":
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && takesValue[name] && k+1 < len(rest) {
				flags = append(flags, rest[k+1])
				k++
			}
		default:
			positional = append(positional, a)
		}
	}
	out := append(append([]string(nil), args[:i+1]...), flags...)
	return append(out, positional...)
}

func withLogger(ctx context.Context, l zerolog.Logger) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	return context.WithValue(ctx, loggerKey{}, l)
}

func logger(ctx context.Context) *zerolog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(zerolog.Logger); ok {
		return &l
	}
	nop := zerolog.Nop()
	return &nop
}

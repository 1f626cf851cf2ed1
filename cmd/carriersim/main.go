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

	"github.com/rs/zerolog"
	"github.com/urfave/cli/v2"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Stdout, os.Stderr, os.Args)
	stop()
	os.Exit(exitCode(os.Stderr, err))
}

// exitCode prints err as one line on stderr and maps it to CONTRACT.md's exit codes: 2 for bad usage or
// bad input, 1 for a failed run.
func exitCode(stderr io.Writer, err error) int {
	if err == nil {
		return 0
	}
	code := 1
	var ec cli.ExitCoder
	if errors.As(err, &ec) {
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
		Before: func(c *cli.Context) error {
			lvl, err := zerolog.ParseLevel(c.String("log-level"))
			if err != nil || c.String("log-level") == "" {
				return usageError("--log-level: expected debug, info, warn, error or disabled, got %q", c.String("log-level"))
			}
			c.Context = withLogger(c.Context, newLogger(stderr, lvl))
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
			reportCommand(),
			shardCommand(), mergeCommand(),
		},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usageError("%v (see carriersim --help)", err)
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError("unknown command %q (want compare, simulate, solve, validate, scenarios, replay-check or report)", c.Args().First())
			}
			return cli.ShowAppHelp(c)
		},
		ExitErrHandler:  func(*cli.Context, error) {}, // exit codes are main's job
		HideHelpCommand: true,
	}
	for _, cmd := range app.Commands {
		cmd.OnUsageError = func(c *cli.Context, err error, _ bool) error {
			return usageError("%s: %v (see carriersim %s --help)", c.Command.Name, err, c.Command.Name)
		}
	}
	return app.RunContext(ctx, args)
}

type loggerKey struct{}

func newLogger(w io.Writer, lvl zerolog.Level) zerolog.Logger {
	return zerolog.New(zerolog.ConsoleWriter{Out: w, TimeFormat: "15:04:05"}).Level(lvl).With().Timestamp().Logger()
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

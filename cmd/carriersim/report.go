package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/report/htmlreport"
	"github.com/carriersim/carriersim/dispatch/sim"
)

// reportCommand turns a JSON report (or a run folder holding report.json) into the HTML page.
func reportCommand() *cli.Command {
	return &cli.Command{
		Name:      "report",
		Usage:     "write the HTML report of a JSON report or a run folder",
		ArgsUsage: "REPORT.json|DIR",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "write the page to `FILE` (default: the report's name with .html, or DIR/report.html)"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError("report: expected one JSON report or run folder, got %d arguments", c.NArg())
			}
			arg := c.Args().First()
			path, out := arg, strings.TrimSuffix(arg, filepath.Ext(arg))+".html"
			fi, err := os.Stat(arg)
			if err != nil {
				return usageError("report: %v", err)
			}
			if fi.IsDir() {
				path, out = filepath.Join(arg, "report.json"), filepath.Join(arg, "report.html")
			}
			if o := c.String("out"); o != "" {
				out = o
			}
			fs, err := newFiles(c.Context, c.App.Writer, [][2]string{{"report", path}}, [][2]string{{"--out", out}})
			if err != nil {
				return err
			}
			defer fs.Close()
			f, err := os.Open(path)
			if err != nil {
				return usageError("report: %v", err)
			}
			defer f.Close()
			rep, err := htmlreport.DecodeReport(f, path)
			if err != nil {
				return usageError("%v", err)
			}
			// The map needs the scenario's districts and stations: rebuild its world when the scenario can be
			// found; without it the page has no map but every other section.
			var w *sim.World
			if sc, err := loadScenario(rep.Scenario); err != nil {
				logger(c.Context).Warn().Str("scenario", rep.Scenario).Msg("scenario not found: the page has no map")
			} else if w, err = dispatch.World(sc, htmlreport.DesignOrders(rep, sc)); err != nil {
				return runError(err)
			}
			in := htmlreport.FromReport(rep, w, htmlreport.Meta{Version: version(), Command: os.Args})
			if err := fs.write(out, func(wr io.Writer) error { return htmlreport.Write(wr, in) }); err != nil {
				return err
			}
			if err := fs.commit(); err != nil {
				return err
			}
			logger(c.Context).Info().Str("file", out).Msg("HTML report written")
			return nil
		},
	}
}

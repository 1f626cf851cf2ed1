package report

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/carriersim/carriersim/dispatch/metrics"
)

// WriteCalibration writes the calibration targets as a table: each metric's band, the simulated value and
// whether it holds, then the sources.
func WriteCalibration(out io.Writer, c *metrics.Calibration) error {
	fmt.Fprintf(out, "scenario %s, policy %s, seed %d\n\n", c.Scenario, c.Policy, c.Seed)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\tlow\thigh\tsimulated\tok\t")
	held := 0
	for _, t := range c.Targets {
		sim, ok := fmt.Sprintf("%.3g", t.Simulated), "no"
		switch {
		case t.Missing != "":
			sim, ok = "-", "missing"
		case t.OK:
			ok = "yes"
			held++
		}
		fmt.Fprintf(tw, "%s\t%.3g\t%.3g\t%s\t%s\t\n", t.Metric, t.Low, t.High, sim, ok)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%d of %d targets hold. Sources:\n", held, len(c.Targets))
	for _, t := range c.Targets {
		line := fmt.Sprintf("  %s: %s", t.Metric, t.Source)
		if t.Missing != "" {
			line += " (missing: " + t.Missing + ")"
		}
		fmt.Fprintln(out, line)
	}
	return nil
}

// WriteCalibrationJSON writes the calibration as indented JSON (calibrate --json).
func WriteCalibrationJSON(out io.Writer, c *metrics.Calibration) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(c)
}

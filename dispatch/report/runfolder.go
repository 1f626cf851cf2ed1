package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/carriersim/carriersim/dispatch"
	"github.com/carriersim/carriersim/dispatch/metrics"
)

// Names of a run folder's files (docs/outputs.md), in the order RunFolder lists them.
const (
	FileReport   = "report.json"
	FileSummary  = "summary.csv"
	FileGroups   = "groups.csv"
	FileOrders   = "orders.csv"
	FileRoutes   = "routes.csv"
	FileMap      = "map.geojson"
	FileTrips    = "trips.geojson"
	FileScenario = "scenario.json"
	FileRun      = "run.json"
)

// RunFolderNames returns the names of a run folder's files, in the order RunFolder lists them, so that a
// program can check every path before the run.
func RunFolderNames() []string {
	return []string{FileReport, FileSummary, FileGroups, FileOrders, FileRoutes, FileMap, FileTrips, FileScenario, FileRun}
}

// RunInfo is run.json: how a run folder was made. The program fills what only it knows; RunFolder fills
// ScenarioSHA256 and Start.
type RunInfo struct {
	// Version and Commit identify the program (its release and its source's VCS revision).
	Version string `json:"version"`
	Commit  string `json:"commit"`
	// Command is the command line, program name first.
	Command []string `json:"command"`
	// Seeds are the seeds of the run, one per replication.
	Seeds []uint64 `json:"seeds"`
	// ScenarioSHA256 is the hex SHA-256 of the folder's scenario.json.
	ScenarioSHA256 string `json:"scenario_sha256"`
	// Start is minute 0 of the simulation (see Origin), RFC 3339 in China Standard Time.
	Start string `json:"start"`
	// WallTimeS is the run's wall time in seconds, from start to the end of the simulation.
	WallTimeS float64 `json:"wall_time_s"`
	// Overrides are the scenario changes asked for on the command line, as given, in order.
	Overrides []string `json:"overrides"`
}

// RunFolderOptions say what goes into a run folder besides the comparison.
type RunFolderOptions struct {
	// Day0 is the simulated day's date, as for WriteGeoJSONOptions (zero: 2025-03-18).
	Day0 time.Time
	// Sample, when not nil, limits map.geojson and trips.geojson to its orders and their routes; the CSV
	// files always have every order and route.
	Sample *Sample
	// Report, when not nil, replaces the comparison's own report in report.json, summary.csv and
	// groups.csv (a program that summarises several replications passes theirs).
	Report *metrics.Report
	// Info is written as run.json.
	Info RunInfo
	// Stream, when not nil, is the stream that observed c's run (with Orders, Routes, Map and Trips): it
	// writes orders.csv, routes.csv, map.geojson and trips.geojson, byte for byte as c kept whole would
	// give them, and its own sample replaces Sample. A run that released its orders needs it.
	Stream *Stream
}

// RunFile is one file of a run folder: its name in the folder and the function that writes its content.
type RunFile struct {
	Name  string
	Write func(w io.Writer) error
}

// RunFolder returns the files of c's run folder, named as RunFolderNames lists them; the caller writes each
// with its Write (all or nothing, through dispatch/outputs). The scenario is c.Scenario as simulated, with
// every override applied and the design volume set; run.json records its SHA-256. Each Write may be called
// once; the comparison must not change until all have run.
func RunFolder(c *dispatch.Comparison, opt RunFolderOptions) ([]RunFile, error) {
	scen, err := c.Scenario.JSON()
	if err != nil {
		return nil, err
	}
	info := opt.Info
	info.ScenarioSHA256 = c.Scenario.SHA256()
	info.Start = Origin(c, opt.Day0).In(chinaTime).Format(time.RFC3339)
	// Lists are [] rather than null when empty, so scripts need not tell the two apart.
	info.Command = nonNil(info.Command)
	info.Seeds = nonNil(info.Seeds)
	info.Overrides = nonNil(info.Overrides)
	rep := opt.Report
	if rep == nil {
		rep = &c.Report
	}
	files := []RunFile{
		{FileReport, func(w io.Writer) error { return WriteJSON(w, rep) }},
		{FileSummary, func(w io.Writer) error { return WriteSummaryCSV(w, rep) }},
		{FileGroups, func(w io.Writer) error { return WriteGroupsCSV(w, rep) }},
		{FileOrders, func(w io.Writer) error { return WriteOrdersCSV(w, c, opt.Day0) }},
		{FileRoutes, func(w io.Writer) error { return WriteRoutesCSV(w, c, opt.Day0) }},
		{FileMap, func(w io.Writer) error {
			return WriteGeoJSONOptions(w, c, GeoJSONOptions{Sample: opt.Sample, Day0: opt.Day0})
		}},
		{FileTrips, func(w io.Writer) error { return WriteTripsSampled(w, c, opt.Day0, opt.Sample) }},
		{FileScenario, func(w io.Writer) error { _, err := w.Write(scen); return err }},
		{FileRun, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(info)
		}},
	}
	if st := opt.Stream; st != nil {
		for i := range files {
			switch files[i].Name {
			case FileOrders:
				files[i].Write = st.WriteOrdersCSV
			case FileRoutes:
				files[i].Write = st.WriteRoutesCSV
			case FileMap:
				files[i].Write = st.WriteGeoJSON
			case FileTrips:
				files[i].Write = st.WriteTrips
			}
		}
	}
	return files, nil
}

// nonNil returns s, or an empty slice for nil.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Package metrics owns the report: its types (the JSON report of docs/CONTRACT.md: totals, groups by
// platform x carrier x category, districts, installs, fleets) and their computation from a simulation run
// (Summarize), and the replay check that sets a replayed file's real figures beside the simulated ones
// (CheckReplay). The report writers read these types, not the simulation.
//
// Cost parts and per-order figures are over delivered orders; on-time rates are over all orders (an
// unserved order is never on time); quantiles are nearest-rank; figures are rounded as documented per field
// so reports compare byte for byte.
package metrics

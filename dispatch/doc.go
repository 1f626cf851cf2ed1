// Package dispatch is carriersim's entry point: Compare runs several carrier-access policies on the same
// orders of one scenario and returns the runs and their report. The CLI, the benchmarks and the tests all
// go through it.
//
// The data flows one way through its sub-packages:
//
//	scenario  configuration: decode, validate, load by name or path
//	sim       the world (zones, networks, fleets), demand (generated or replayed orders), the event loop
//	          that quotes, chooses and reserves capacity (ledger), and the station-waves routed by route
//	metrics   the report types and their computation from a run
//	report    writers: table, JSON, GeoJSON, kepler.gl trips
//
// ledger (the B-tree capacity ledger), route (the VRPTW solver) and replay (order files) are self-contained
// models the simulation uses. docs/ARCHITECTURE.md says where to add a policy, a carrier, a metric or an
// output.
package dispatch

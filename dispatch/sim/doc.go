// Package sim owns the simulation of one policy over one order stream: the World built from a scenario
// (district zones, every carrier's sorting centres, stations placed from demand, fleets and crews sized for
// it), the demand (the seeded order generator, warm-up installs, and orders converted from replayed
// records), the event loop that quotes every allowed carrier for each order, lets the policy choose and
// reserves the slot in the capacity ledger, and the station-waves routed by the VRPTW solver at their start.
// A Run records every order's final state (Outcome), every route and the ledger.
//
// Conventions:
//   - Time is simulation minutes as float64; minute 0 is 00:00 of day 0 (the day orders are created),
//     scenario.Day minutes a day. Capacity slots use whole minutes (int64) as keys in the ledger.
//   - Positions are orb.Point in (lon, lat) order, WGS84; distances come from package geo (great circle
//     times a circuity factor), never from flat degrees.
//   - Money is CNY; distances in reports are km.
//   - Every random draw comes from a math/rand/v2 PCG stream seeded from the run seed and the concern it
//     serves, so one seed gives byte-identical output, and every policy consumes the same orders.
//   - A run is single-threaded; routing of independent station-waves may run in parallel but its results
//     are applied in a fixed order, so the result does not depend on Options.Workers.
package sim

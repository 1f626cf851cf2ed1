// Package dispatch is carriersim's domain: scenarios, orders, carrier networks, access policies, the
// event-driven simulation that quotes, chooses and reserves capacity for every order, the wave routing that
// turns reservations into van and crew routes, and the metrics that compare policies.
//
// Conventions:
//   - Time is simulation minutes as float64; minute 0 is 00:00 of day 0 (the day orders are created).
//     Capacity slots use whole minutes (int64) as keys in the ledger.
//   - Positions are orb.Point in (lon, lat) order, WGS84; distances come from package geo (great circle
//     times a circuity factor), never from flat degrees.
//   - Money is CNY; distances in reports are km.
//   - Every random draw comes from a math/rand/v2 PCG stream seeded from the run seed and the concern it
//     serves, so one seed gives byte-identical output, and open and closed runs consume the same orders.
//   - A Simulation is single-threaded; routing of independent station-waves may run in parallel but its
//     results are merged in a fixed order.
package dispatch

// Package scenario owns what a simulated world is made of before it is built: the scenario's configuration
// types (city, demand, goods and products, platforms, carriers and their fleets, access policies, travel and
// routing), the order categories and the clock, strict JSON decoding with line numbers, validation with a
// JSON path on every problem (one check per section of the file), and loading by embedded name or file
// path. No other package decodes scenarios.
//
// Conventions: money is CNY, distances are km or metres as the field name says, times of day are Clock
// ("HH:MM") and simulation time is minutes since 00:00 China Standard Time of the simulated day (Day
// minutes a day). Every default of the embedded scenarios is listed with its source in docs/parameters.md.
package scenario

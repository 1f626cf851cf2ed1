// Package shard runs a national day as independent shards of prefecture cities and merges their results.
//
// A national scenario (National, embedded in fixtures/national) names the cities, the template city
// scenario and how demand follows population. NewPlan derives every city's volume, circle and seeds at a
// scale and splits the cities into shards of balanced expected orders (biggest first, each to the least
// loaded shard). Run simulates one shard: each city is one dispatch.Compare of the plan's policies whose
// orders are folded, as they finish, into a Partial of counts, sums (the city's fixed daily costs among them)
// and latency sketches (dispatch/metrics.Cell) and then released. Merge checks that the
// partials are exactly the plan's shards and adds them, city by city in code order, into the national
// Report; floating sums are therefore added in one order whatever the shards, and the merged bytes are the
// same for any split and any order of the partials. The same binary runs a shard under Slurm (a job array),
// Kubernetes (an Indexed Job) or locally (every shard in one process); see docs/scale-out.md.
//
// Cities are independent: line-haul from other cities enters each city as a lead time by distance, as in
// a single-city run. Partials and plans are written through a temporary file and a rename, so a rerun
// shard replaces its partial whole. Nothing here keeps package state; Run is safe to call concurrently.
package shard

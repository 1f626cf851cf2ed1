// Package route solves vehicle routing problems with time windows (VRPTW) for
// carriersim: a station's wave of parcel deliveries (vans, 50-1,500 stops) and
// install crews (long service times, skills).
//
// # Model
//
// A Problem has jobs (stops with a demand, a service duration and a window for
// the start of service), vehicles (start and end depot, capacity, shift, skills,
// cost rates) and a Matrix of travel distances and times between locations. A
// vehicle may arrive early and wait until a job's Ready time; service must start
// no later than Due. A vehicle leaves its Start no earlier than ShiftStart and
// reaches its End no later than ShiftEnd. Units are the caller's (metres and
// minutes in the simulation, Euclidean units in benchmarks): time and distance
// only need to agree with the Matrix.
//
// The objective is the sum over used vehicles of Fixed + PerDist*distance +
// PerTime*duration, where duration runs from departure to return. Every job that
// can be routed is routed first: an unassigned job costs more than any route.
// With Options.MinimizeVehicles the number of vehicles comes before cost.
//
// # Algorithm
//
// Feasibility and cost of a move are evaluated in O(1) by concatenating cached
// route segments (earliest and latest start, minimum duration, time warp,
// distance and load of each route prefix and suffix; Vidal et al. 2013). The
// search builds a solution by greedy insertion (by the savings method for 150
// or more jobs on identical vehicles), improves it with a granular
// local search (relocate, swap, 2-opt*, or-opt over each job's nearest
// neighbours) and then runs slack-induced string removals with greedy
// re-insertion and blinks (SISR, Christiaens and Vanden Berghe 2020) under
// simulated annealing. From 150 jobs, re-insertion tries only the positions next
// to a job's 40 nearest neighbours and an empty vehicle, and scans every route
// only when none of those is feasible, so an iteration's cost does not grow
// with the number of jobs. A blink never leaves a job out, nor opens a
// vehicle when vehicles are minimised: the skipped positions are then tried
// again. After a search of 10 or more iterations per job, the best solution
// gets a last local search on the routes ruin and recreate changed.
//
// The Matrix may compute each entry on demand, so the search reads it
// sparingly. The nearest-neighbour lists come from a metric search rather
// than all n^2 distances: distances from and to a few pivot jobs bound every
// distance by the triangle inequality, jobs are bucketed by their distances
// from two pivots, and a distance is read only when the bounds cannot rule
// it out (the lists are exact when the Matrix obeys the triangle inequality
// up to float32 rounding). Each route keeps the trips between its
// consecutive visits, a change re-joins only the segments it affects, and
// a small cache keeps recent trips, which the moves of the local search on
// the same jobs and the route changes after them read again (unless the
// Matrix is a TripMatrix, a table read directly, a trip's time and distance
// in one call). Swaps and
// 2-opt* moves are first bounded by the routes' travel and service time (a
// duration cannot be shorter), which on routes with little waiting rules
// out most of them without concatenating segments.
//
// With Options.MinimizeVehicles, a route elimination phase (Nagata and
// Bräysy 2009) comes first: it empties a random route into an ejection pool
// and inserts the pool's jobs one by one, last in first out, at their
// cheapest feasible position in the other routes. A job with none gets its
// penalty counter raised and goes in by ejecting 1, else 2, else 3 jobs of
// the receiving route (those within 12 positions of it) back into the pool,
// the position and jobs chosen for the least sum of the ejected jobs'
// counters: jobs that were hard to place tend to stay placed. Random
// feasible relocations and swaps then perturb the routes. When the pool
// empties, the route is gone and the next one is tried; after a budget of
// pool steps (2 per job, at least 500, doubled after each failure) the
// attempt is undone. From 150 jobs, when the routes of a job's nearest
// neighbours have many more positions than those next to the neighbours,
// insertions with ejections are sought next to the neighbours first, and
// in the whole of the routes only when none is found. The phase ends when the vehicle
// count reaches a bound by capacity, at half of the search's time or
// Iterations, or (without a time limit) when an attempt with 8 times the
// first budget fails; with a time limit, attempts go on with up to 64
// times the first budget until half of it. Ruin and recreate then runs at
// that vehicle count, which it never exceeds: a candidate whose
// re-insertion opened a vehicle is repaired by the same pool insertion with
// ejections (4 steps per job of the new routes, only next to each job's
// nearest neighbours from 150 jobs) and rejected if that fails. The
// annealing threshold of such a candidate is drawn first and the repair
// tried only if the candidate without its new routes is under it: a repair
// costs as much as many iterations.
//
// Over-subscribed waves (more jobs than the fleet can serve in its shifts)
// leave jobs unassigned iteration after iteration. Two devices keep them from
// costing a scan of every route each time. A memo: after a scan that found no
// position for a job (and skipped none by a blink), only routes that have
// since lost jobs are scanned again for it, since an insertion cannot make
// room for another job when travel times obey the triangle inequality (the
// memo is put back with the tours when an iteration is rejected). And bounds:
// a route, or a block of 8 of its positions, is skipped when its largest gap
// between two visits, plus their travel times from the start and to the end
// depot, is too small for the job's service and its travel times from the
// start and to the end depot (triangle inequality again); each position is
// checked by the same bound and by the exact time to the next visit before
// the full evaluation. With a matrix that violates the triangle inequality
// both may miss a few insertions, never admit an infeasible one; removing
// visits may then make a route late, and such removals are refused (or,
// in a ruin, the route is emptied).
//
// # Time limit
//
// Options.TimeLimit is one deadline, counted from the call of Solve, that
// every phase checks between small units of work: the neighbour lists (per
// job), the construction (per 64 candidate merges of the savings method, per
// job inserted), every local search (per job whose moves are tried), route
// elimination and repair (per pool step) and ruin and recreate (per
// iteration). A phase stopped by the deadline leaves a feasible solution: a
// construction stopped part-way keeps the routes it built and lists every
// job it did not try as unassigned with ReasonTimeLimit, so no job is
// dropped. Cancelling the context stops Solve at the same points.
//
// The margin: Solve returns within TimeLimit plus one unit of work (well
// under a millisecond on 1,000 jobs), plus the work before the first check
// and after the last, which is linear in the jobs and vehicles (validating
// the Problem, allocating, writing the Solution): about 1 µs per job, some
// 15 to 50 ms for 50,000 jobs. Measured: at most 1 ms past a 200 ms limit on
// the 1,000-customer Homberger instances and a 1 s limit on the Solomon
// instances, with and without MinimizeVehicles, on an idle machine; a busy
// one adds its scheduling delays (up to 45 ms seen on 2 shared cores).
//
// # Determinism and concurrency
//
// Solve runs in the calling goroutine and draws random numbers from one PCG
// stream seeded by Options.Seed, so with Iterations > 0 and TimeLimit == 0 the
// result depends only on the Problem and the Options. Solve does not modify the
// Problem; different Problems may be solved concurrently. The Matrix must be
// safe for concurrent reads if shared.
package route

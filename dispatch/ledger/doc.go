// Package ledger keeps the remaining capacity of time slots of resources and
// answers "what is the earliest slot with room for this order?".
//
// A resource is one capacity pool chosen by the caller: a delivery station's
// van fleet (slots are delivery waves, capacity is parcels and litres), an
// install crew (slots are appointment windows, capacity is crew-minutes), a
// sorting centre (slots are hours, capacity is throughput).
//
// # Design
//
// The ledger is a single btree.BTreeG ordered by the key (resource, slot
// start). Each tree item carries its key by value and a pointer to the slot's
// mutable state, so Reserve and Release change Remaining in place: keys never
// change once a slot is added, the tree is never restructured after Add, and
// neither queries nor reservations allocate. The core query, Earliest, seeks
// to (resource, t) with AscendGreaterOrEqual and walks forward over the
// resource's slots, skipping full ones, until one has room; a resource
// typically has a few dozen slots at most, so the walk is short. One tree for
// all resources (rather than a map of per-resource slices) keeps slot
// insertion O(log n) in any order and makes a full in-order walk, as done by
// Ascend and Check, trivial.
//
// # Invariant
//
// The ledger is never oversold: for every slot and every dimension of
// Amount, 0 <= Remaining <= Capacity. Add rejects negative capacity, Reserve
// fails with ErrNoRoom rather than overdraw, Release fails with
// ErrOverRelease rather than return more than was taken, and both reject
// negative amounts with ErrBadAmount. A failed call changes nothing. Check
// verifies the invariant over the whole ledger.
//
// # Complexity
//
// With n slots in the ledger and k slots of the resource walked over:
//
//	Add                  O(log n), one allocation for the slot
//	Get, Reserve,
//	Release              O(log n), no allocation
//	Earliest, EarliestBy O(log n + k), no allocation
//	Len                  O(1)
//	Ascend, Check        O(n)
//
// # Concurrency
//
// A Ledger is not safe for concurrent mutation: it has a single writer.
// Add, Reserve and Release must not run concurrently with any other method.
// Get, Earliest, EarliestBy, Len, Ascend and Check only read, so any number
// of them may run concurrently when no writer is active.
//
// # Units
//
// Times are simulation minutes as int64; a slot covers [Start, End). Amount
// dimensions are counts (parcels or jobs), litres and crew-minutes.
package ledger

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
// neither queries nor reservations allocate. One tree for all resources keeps
// slot insertion O(log n) in any order and makes a full in-order walk, as done
// by Ascend and Check, trivial.
//
// The per-order calls touch one resource at a time, so each resource also has
// a run: its slot starts in order and pointers to the same states the tree's
// items hold. The core query, Earliest, binary-searches the run for the first
// slot at or after t and walks forward over the resource's slots, skipping
// full ones, until one has room; a resource typically has a few dozen slots at
// most, so the search and the walk are short. Reserve, Release and Get find
// their slot the same way. A descent of the whole tree from its root costs
// several times more once the ledger holds the thousands of slots of a city's
// stations, and the dispatcher makes several of these calls for every order.
// Runs of the ids 0..2^20-1 sit in a slice indexed by the id; other ids, in a
// map.
//
// # Invariant
//
// The ledger is never oversold: for every slot and every dimension of
// Amount, 0 <= Remaining <= Capacity. Add rejects negative capacity, Reserve
// fails with ErrNoRoom rather than overdraw, Release fails with
// ErrOverRelease rather than return more than was taken, and both reject
// negative amounts with ErrBadAmount. A failed call changes nothing. Check
// verifies the invariant over the whole ledger. Earliest finds no slot for a
// negative need, so a slot it returns can always be reserved.
//
// # Overflow
//
// No method overflows on any int64 amounts: Reserve subtracts only what
// Remaining covers and Release adds only what Capacity - Remaining covers.
// Overflow happens before the ledger, where a caller turns a float64 quantity
// or a fleet's size into int64 units: such a conversion of 1e19 litres wraps
// to a negative amount. Ceil and Amount.Times do these conversions checked:
// they refuse with ErrTooLarge what is above MaxQuantity (2^53) and with
// ErrBadAmount what is negative or NaN, so the caller can report the order or
// the scenario as an error instead of failing later.
//
// # Complexity
//
// With n slots in the ledger, k slots of the resource and w of them walked
// over:
//
//	Add                  O(log n + k); O(log n) amortised when a resource's
//	                     slots come in start order; allocates, amortised, a
//	                     chunk of slot states and the growth of its run
//	Get, Reserve,
//	Release              O(log k), no allocation
//	Earliest, EarliestBy O(log k + w), no allocation
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

package ledger

// Resource identifies one capacity pool (e.g. a station's van fleet), assigned by the caller.
type Resource int32

// Slot is one (resource, time slot) entry; times are simulation minutes and the slot covers [Start, End).
type Slot struct {
	Resource  Resource // key together with Start
	Start     int64    // key together with Resource
	End       int64    // first minute after the slot
	Capacity  Amount   // capacity the slot was added with
	Remaining Amount   // capacity not yet reserved
}

// item is what the B-tree stores: the immutable key by value and the mutable
// state behind a pointer, so reservations update the slot in place.
type item struct {
	res   Resource
	start int64
	s     *state
}

// state is the part of a slot that is not its key.
type state struct {
	end       int64
	capacity  Amount
	remaining Amount
}

// lessItem orders items by (resource, start).
func lessItem(a, b item) bool {
	if a.res != b.res {
		return a.res < b.res
	}
	return a.start < b.start
}

// slot returns the exported view of it.
func (it item) slot() Slot {
	return Slot{
		Resource:  it.res,
		Start:     it.start,
		End:       it.s.end,
		Capacity:  it.s.capacity,
		Remaining: it.s.remaining,
	}
}

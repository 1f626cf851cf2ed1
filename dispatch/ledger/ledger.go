package ledger

import (
	"fmt"
	"math"

	"github.com/google/btree"
)

// DefaultDegree is the B-tree degree New uses when given a degree <= 0.
const DefaultDegree = 32

// Ledger holds the slots of all resources and their remaining capacity; the zero value is not usable, use New.
type Ledger struct {
	tree *btree.BTreeG[item]
}

// New returns an empty ledger backed by a B-tree of the given degree (<= 0 means 32); degree 1 panics.
func New(degree int) *Ledger {
	if degree <= 0 {
		degree = DefaultDegree
	}
	if degree == 1 {
		panic("ledger: B-tree degree must be 0 or at least 2")
	}
	return &Ledger{tree: btree.NewG(degree, lessItem)}
}

// Add creates a slot with full capacity. ErrBadSlot if end <= start or capacity negative; ErrDuplicate if (res,start) exists.
//
// Slots of one resource may overlap in time; the ledger orders them by start
// only. Add is O(log n) and allocates the slot's state once.
func (l *Ledger) Add(res Resource, start, end int64, capacity Amount) error {
	if end <= start {
		return fmt.Errorf("%w: resource %d start %d: end %d is not after start", ErrBadSlot, res, start, end)
	}
	if capacity.isNegative() {
		return fmt.Errorf("%w: resource %d start %d: negative capacity %+v", ErrBadSlot, res, start, capacity)
	}
	key := item{res: res, start: start}
	if l.tree.Has(key) {
		return fmt.Errorf("%w: resource %d start %d", ErrDuplicate, res, start)
	}
	key.s = &state{end: end, capacity: capacity, remaining: capacity}
	l.tree.ReplaceOrInsert(key)
	return nil
}

// Earliest returns the earliest slot of res with Start >= t whose Remaining covers need.
//
// Earliest is O(log n + k), k being the number of slots of res it walks past,
// and does not allocate.
func (l *Ledger) Earliest(res Resource, t int64, need Amount) (Slot, bool) {
	return l.EarliestBy(res, t, math.MaxInt64, need)
}

// EarliestBy is Earliest limited to slots with Start <= latest.
//
// EarliestBy is O(log n + k), k being the number of slots of res it walks
// past, and does not allocate.
func (l *Ledger) EarliestBy(res Resource, t, latest int64, need Amount) (Slot, bool) {
	if latest < t {
		return Slot{}, false
	}
	var found item
	l.tree.AscendGreaterOrEqual(item{res: res, start: t}, func(it item) bool {
		if it.res != res || it.start > latest {
			return false
		}
		if it.s.remaining.Covers(need) {
			found = it
			return false
		}
		return true
	})
	if found.s == nil {
		return Slot{}, false
	}
	return found.slot(), true
}

// Reserve takes need from slot (res,start): ErrNoSlot if absent, ErrNoRoom if it does not cover need (nothing changes then).
//
// A need with a negative dimension fails with ErrBadAmount. Reserve is
// O(log n) and does not allocate, even when it fails.
func (l *Ledger) Reserve(res Resource, start int64, need Amount) error {
	if need.isNegative() {
		return ErrBadAmount
	}
	it, ok := l.tree.Get(item{res: res, start: start})
	if !ok {
		return ErrNoSlot
	}
	if !it.s.remaining.Covers(need) {
		return ErrNoRoom
	}
	it.s.remaining = it.s.remaining.Sub(need)
	return nil
}

// Release gives need back; ErrOverRelease if Remaining would exceed Capacity (nothing changes then).
//
// Release fails with ErrNoSlot if the slot is absent and with ErrBadAmount if
// need has a negative dimension. It is O(log n) and does not allocate, even
// when it fails.
func (l *Ledger) Release(res Resource, start int64, need Amount) error {
	if need.isNegative() {
		return ErrBadAmount
	}
	it, ok := l.tree.Get(item{res: res, start: start})
	if !ok {
		return ErrNoSlot
	}
	// Capacity - Remaining cannot overflow while the invariant holds, whereas
	// Remaining + need could.
	if !it.s.capacity.Sub(it.s.remaining).Covers(need) {
		return ErrOverRelease
	}
	it.s.remaining = it.s.remaining.Add(need)
	return nil
}

// Get returns the slot (res, start) in O(log n) without allocating.
func (l *Ledger) Get(res Resource, start int64) (Slot, bool) {
	it, ok := l.tree.Get(item{res: res, start: start})
	if !ok {
		return Slot{}, false
	}
	return it.slot(), true
}

// Len returns the number of slots in O(1).
func (l *Ledger) Len() int {
	return l.tree.Len()
}

// Ascend calls fn for every slot in (resource, start) order until fn returns false.
//
// Ascend is O(n); fn must not call Add, Reserve or Release.
func (l *Ledger) Ascend(fn func(Slot) bool) {
	l.tree.Ascend(func(it item) bool {
		return fn(it.slot())
	})
}

// Check verifies 0 <= Remaining <= Capacity in every dimension for every slot (the never-oversold invariant); the error names the slot.
//
// Check also verifies that every slot ends after it starts. It is O(n) and
// reports the first bad slot in (resource, start) order.
func (l *Ledger) Check() error {
	var err error
	l.tree.Ascend(func(it item) bool {
		err = it.check()
		return err == nil
	})
	return err
}

// check verifies one slot's invariants.
func (it item) check() error {
	if it.s.end <= it.start {
		return fmt.Errorf("ledger: slot (resource %d, start %d): end %d is not after start", it.res, it.start, it.s.end)
	}
	dims := [...]struct {
		name     string
		cap, rem int64
	}{
		{"count", it.s.capacity.Count, it.s.remaining.Count},
		{"volume", it.s.capacity.Volume, it.s.remaining.Volume},
		{"minutes", it.s.capacity.Minutes, it.s.remaining.Minutes},
	}
	for _, d := range dims {
		if d.rem < 0 {
			return fmt.Errorf("ledger: slot (resource %d, start %d): %s remaining %d is negative (oversold)", it.res, it.start, d.name, d.rem)
		}
		if d.rem > d.cap {
			return fmt.Errorf("ledger: slot (resource %d, start %d): %s remaining %d exceeds capacity %d", it.res, it.start, d.name, d.rem, d.cap)
		}
	}
	return nil
}

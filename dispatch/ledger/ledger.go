package ledger

import (
	"fmt"
	"math"
	"slices"

	"github.com/google/btree"
)

// DefaultDegree is the B-tree degree New uses when given a degree <= 0.
const DefaultDegree = 32

// Ledger holds the slots of all resources and their remaining capacity; the zero value is not usable, use New.
type Ledger struct {
	tree *btree.BTreeG[item]
	// Each resource's slots also sit in a run in start order, sharing their state with the tree's items:
	// the per-order calls (Earliest, Reserve, Release, Get) binary-search one resource's starts instead of
	// descending the whole tree, which costs several times more once the ledger has thousands of slots.
	// near holds the runs of resources 0..len(near)-1 (the usual dense ids); far those of any other id.
	near []*run
	far  map[Resource]*run
	// chunk is where Add takes new slots' states from: a run allocates hundreds of thousands of slots, and
	// one allocation each scattered a resource's consecutive slots over the heap (Earliest walks them) and
	// gave the collector as many objects to mark. In chunks, a resource's slots, added in start order, sit
	// side by side, and the chunks hold no pointers.
	chunk []state
}

// stateChunk is the number of states a chunk holds (28 KiB).
const stateChunk = 512

// newState returns a new slot state holding st.
func (l *Ledger) newState(st state) *state {
	if len(l.chunk) == cap(l.chunk) {
		l.chunk = make([]state, 0, stateChunk)
	}
	l.chunk = append(l.chunk, st)
	return &l.chunk[len(l.chunk)-1]
}

// maxNear bounds the ids kept in Ledger.near, so a stray large id cannot make it huge.
const maxNear = 1 << 20

// run is one resource's slots in start order.
type run struct {
	starts []int64
	states []*state
}

// search returns the index of the first slot starting at or after t.
func (r *run) search(t int64) int {
	lo, hi := 0, len(r.starts)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if r.starts[m] < t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// find returns the state of the slot starting at start, or nil.
func (r *run) find(start int64) *state {
	if r == nil {
		return nil
	}
	if i := r.search(start); i < len(r.starts) && r.starts[i] == start {
		return r.states[i]
	}
	return nil
}

// run returns res's run, or nil when it has no slots.
func (l *Ledger) run(res Resource) *run {
	if uint(res) < uint(len(l.near)) {
		return l.near[res]
	}
	return l.far[res]
}

// addToRun puts a new slot's state into its resource's run.
func (l *Ledger) addToRun(res Resource, start int64, s *state) {
	r := l.run(res)
	if r == nil {
		r = &run{}
		switch {
		case res >= 0 && res < maxNear:
			if int(res) >= len(l.near) {
				l.near = append(l.near, make([]*run, int(res)+1-len(l.near))...)
			}
			l.near[res] = r
		default:
			if l.far == nil {
				l.far = map[Resource]*run{}
			}
			l.far[res] = r
		}
	}
	i := r.search(start)
	r.starts = slices.Insert(r.starts, i, start)
	r.states = slices.Insert(r.states, i, s)
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
// only. Add is O(log n + k), k being the number of slots of res (the run
// insertion; O(log n) amortised when a resource's slots come in start order).
// It allocates now and then: a chunk of slot states, a larger run.
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
	key.s = l.newState(state{end: end, capacity: capacity, remaining: capacity})
	l.tree.ReplaceOrInsert(key)
	l.addToRun(res, start, key.s)
	return nil
}

// Earliest returns the earliest slot of res with Start >= t whose Remaining covers need.
//
// A need with a negative dimension, which Reserve would refuse, has no slot:
// a found slot can always be reserved.
//
// Earliest is O(log k + w), k being the number of slots of res and w the
// number it walks past, and does not allocate.
func (l *Ledger) Earliest(res Resource, t int64, need Amount) (Slot, bool) {
	return l.EarliestBy(res, t, math.MaxInt64, need)
}

// EarliestBy is Earliest limited to slots with Start <= latest.
//
// EarliestBy is O(log k + w), k being the number of slots of res and w the
// number it walks past, and does not allocate.
func (l *Ledger) EarliestBy(res Resource, t, latest int64, need Amount) (Slot, bool) {
	r := l.run(res)
	if latest < t || r == nil || need.isNegative() {
		return Slot{}, false
	}
	for i := r.search(t); i < len(r.starts) && r.starts[i] <= latest; i++ {
		if s := r.states[i]; s.remaining.Covers(need) {
			return item{res: res, start: r.starts[i], s: s}.slot(), true
		}
	}
	return Slot{}, false
}

// Reserve takes need from slot (res,start): ErrNoSlot if absent, ErrNoRoom if it does not cover need (nothing changes then).
//
// A need with a negative dimension fails with ErrBadAmount. Reserve is
// O(log k), k being the number of slots of res, and does not allocate, even
// when it fails.
func (l *Ledger) Reserve(res Resource, start int64, need Amount) error {
	if need.isNegative() {
		return ErrBadAmount
	}
	st := l.run(res).find(start)
	if st == nil {
		return ErrNoSlot
	}
	if !st.remaining.Covers(need) {
		return ErrNoRoom
	}
	st.remaining = st.remaining.Sub(need)
	return nil
}

// Release gives need back; ErrOverRelease if Remaining would exceed Capacity (nothing changes then).
//
// Release fails with ErrNoSlot if the slot is absent and with ErrBadAmount if
// need has a negative dimension. It is O(log k), k being the number of slots
// of res, and does not allocate, even when it fails.
func (l *Ledger) Release(res Resource, start int64, need Amount) error {
	if need.isNegative() {
		return ErrBadAmount
	}
	st := l.run(res).find(start)
	if st == nil {
		return ErrNoSlot
	}
	// Capacity - Remaining cannot overflow while the invariant holds, whereas
	// Remaining + need could.
	if !st.capacity.Sub(st.remaining).Covers(need) {
		return ErrOverRelease
	}
	st.remaining = st.remaining.Add(need)
	return nil
}

// Get returns the slot (res, start) in O(log k), k being the number of slots
// of res, without allocating.
func (l *Ledger) Get(res Resource, start int64) (Slot, bool) {
	st := l.run(res).find(start)
	if st == nil {
		return Slot{}, false
	}
	return item{res: res, start: start, s: st}.slot(), true
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

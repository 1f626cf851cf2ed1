package ledger

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// model is the reference implementation the property and fuzz tests compare
// the Ledger with: a map of slots and linear scans, as simple as possible.
type model struct {
	slots map[modelKey]*Slot
}

type modelKey struct {
	res   Resource
	start int64
}

func newModel() *model {
	return &model{slots: make(map[modelKey]*Slot)}
}

func (m *model) add(res Resource, start, end int64, capacity Amount) error {
	if end <= start || capacity.Count < 0 || capacity.Volume < 0 || capacity.Minutes < 0 {
		return ErrBadSlot
	}
	k := modelKey{res, start}
	if m.slots[k] != nil {
		return ErrDuplicate
	}
	m.slots[k] = &Slot{Resource: res, Start: start, End: end, Capacity: capacity, Remaining: capacity}
	return nil
}

func (m *model) earliestBy(res Resource, t, latest int64, need Amount) (Slot, bool) {
	if need.Count < 0 || need.Volume < 0 || need.Minutes < 0 {
		return Slot{}, false // Reserve would refuse it
	}
	var best *Slot
	for _, s := range m.slots {
		fits := s.Remaining.Count >= need.Count && s.Remaining.Volume >= need.Volume && s.Remaining.Minutes >= need.Minutes
		if s.Resource == res && s.Start >= t && s.Start <= latest && fits && (best == nil || s.Start < best.Start) {
			best = s
		}
	}
	if best == nil {
		return Slot{}, false
	}
	return *best, true
}

func (m *model) reserve(res Resource, start int64, need Amount) error {
	if need.Count < 0 || need.Volume < 0 || need.Minutes < 0 {
		return ErrBadAmount
	}
	s := m.slots[modelKey{res, start}]
	switch {
	case s == nil:
		return ErrNoSlot
	case s.Remaining.Count < need.Count || s.Remaining.Volume < need.Volume || s.Remaining.Minutes < need.Minutes:
		return ErrNoRoom
	}
	s.Remaining.Count -= need.Count
	s.Remaining.Volume -= need.Volume
	s.Remaining.Minutes -= need.Minutes
	return nil
}

func (m *model) release(res Resource, start int64, need Amount) error {
	if need.Count < 0 || need.Volume < 0 || need.Minutes < 0 {
		return ErrBadAmount
	}
	s := m.slots[modelKey{res, start}]
	switch {
	case s == nil:
		return ErrNoSlot
	case s.Remaining.Count+need.Count > s.Capacity.Count ||
		s.Remaining.Volume+need.Volume > s.Capacity.Volume ||
		s.Remaining.Minutes+need.Minutes > s.Capacity.Minutes:
		return ErrOverRelease
	}
	s.Remaining.Count += need.Count
	s.Remaining.Volume += need.Volume
	s.Remaining.Minutes += need.Minutes
	return nil
}

func (m *model) get(res Resource, start int64) (Slot, bool) {
	if s := m.slots[modelKey{res, start}]; s != nil {
		return *s, true
	}
	return Slot{}, false
}

// sorted returns the model's slots in (resource, start) order.
func (m *model) sorted() []Slot {
	out := make([]Slot, 0, len(m.slots))
	for _, s := range m.slots {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b Slot) int {
		if a.Resource != b.Resource {
			return int(a.Resource) - int(b.Resource)
		}
		switch {
		case a.Start < b.Start:
			return -1
		case a.Start > b.Start:
			return 1
		}
		return 0
	})
	return out
}

// source supplies the choices of a random operation sequence.
type source interface {
	// intn returns a value in [0, n).
	intn(n int) int
	// done reports whether the source is exhausted.
	done() bool
}

// randSource draws choices from a seeded PCG stream.
type randSource struct{ r *rand.Rand }

func (s randSource) intn(n int) int { return s.r.IntN(n) }
func (s randSource) done() bool     { return false }

// byteSource draws choices from fuzz input, one byte each, then zeros.
type byteSource struct{ b []byte }

func (s *byteSource) intn(n int) int {
	if len(s.b) == 0 {
		return 0
	}
	v := int(s.b[0]) % n
	s.b = s.b[1:]
	return v
}

func (s *byteSource) done() bool { return len(s.b) == 0 }

// outcome names the result of one operation, for coverage counting.
type outcome string

// harness applies the same operations to a Ledger and a model.
type harness struct {
	l    *Ledger
	m    *model
	seen map[outcome]int
}

func newHarness(degree int) *harness {
	return &harness{l: New(degree), m: newModel(), seen: make(map[outcome]int)}
}

// The operations use a small grid of resources and hour-aligned starts so
// that duplicates, hits and misses all happen often.
const (
	opResources = 4
	opStarts    = 12
)

func pickRes(src source) Resource { return Resource(src.intn(opResources+1)) - 1 } // -1 .. 3
func pickStart(src source) int64  { return int64(src.intn(opStarts))*60 - 60 }     // -60 .. 600

// pickTime returns a query time on, between or around the slot starts.
func pickTime(src source) int64 { return int64(src.intn(opStarts+2))*60 - 120 + int64(src.intn(3))*20 }

// pickAmount returns a small amount, with a negative dimension one time in
// negEvery when negEvery > 0.
func pickAmount(src source, max, negEvery int) Amount {
	a := Amount{Count: int64(src.intn(max + 1)), Volume: int64(src.intn(max*10 + 1)), Minutes: int64(src.intn(3)) * int64(src.intn(max*10+1))}
	if negEvery > 0 && src.intn(negEvery) == 0 {
		switch src.intn(3) {
		case 0:
			a.Count = -1 - a.Count
		case 1:
			a.Volume = -1 - a.Volume
		default:
			a.Minutes = -1 - a.Minutes
		}
	}
	return a
}

// sameErr reports whether got is the sentinel want (or both are nil).
func sameErr(got, want error) bool {
	if want == nil {
		return got == nil
	}
	return errors.Is(got, want)
}

// step applies one random operation to both sides and returns a description
// of it and a mismatch message ("" if they agree).
func (h *harness) step(src source) (op, mismatch string) {
	switch src.intn(8) {
	case 0: // Add
		res, start := pickRes(src), pickStart(src)
		end := start + int64(src.intn(5))*30 - 30
		capacity := pickAmount(src, 6, 12)
		op = fmt.Sprintf("Add(%d, %d, %d, %+v)", res, start, end, capacity)
		got, want := h.l.Add(res, start, end, capacity), h.m.add(res, start, end, capacity)
		h.seen[outcome(fmt.Sprintf("Add %v", want))]++
		if !sameErr(got, want) {
			return op, fmt.Sprintf("got %v, want %v", got, want)
		}
	case 1: // Earliest
		res, t, need := pickRes(src), pickTime(src), pickAmount(src, 3, 0)
		op = fmt.Sprintf("Earliest(%d, %d, %+v)", res, t, need)
		got, gotOK := h.l.Earliest(res, t, need)
		want, wantOK := h.m.earliestBy(res, t, 1<<62, need)
		h.seen[outcome(fmt.Sprintf("Earliest %v", wantOK))]++
		if got != want || gotOK != wantOK {
			return op, fmt.Sprintf("got %+v, %v; want %+v, %v", got, gotOK, want, wantOK)
		}
	case 2: // EarliestBy
		res, t, latest, need := pickRes(src), pickTime(src), pickTime(src), pickAmount(src, 3, 0)
		op = fmt.Sprintf("EarliestBy(%d, %d, %d, %+v)", res, t, latest, need)
		got, gotOK := h.l.EarliestBy(res, t, latest, need)
		want, wantOK := h.m.earliestBy(res, t, latest, need)
		h.seen[outcome(fmt.Sprintf("EarliestBy %v", wantOK))]++
		if got != want || gotOK != wantOK {
			return op, fmt.Sprintf("got %+v, %v; want %+v, %v", got, gotOK, want, wantOK)
		}
	case 3, 4: // Reserve, at an arbitrary start
		res, start, need := pickRes(src), pickStart(src), pickAmount(src, 3, 16)
		op = fmt.Sprintf("Reserve(%d, %d, %+v)", res, start, need)
		got, want := h.l.Reserve(res, start, need), h.m.reserve(res, start, need)
		h.seen[outcome(fmt.Sprintf("Reserve %v", want))]++
		if !sameErr(got, want) {
			return op, fmt.Sprintf("got %v, want %v", got, want)
		}
	case 5: // Earliest then Reserve there, as the dispatcher does
		res, t, need := pickRes(src), pickTime(src), pickAmount(src, 3, 16)
		op = fmt.Sprintf("Earliest+Reserve(%d, %d, %+v)", res, t, need)
		s, ok := h.l.Earliest(res, t, need)
		want, wantOK := h.m.earliestBy(res, t, 1<<62, need)
		if s != want || ok != wantOK {
			return op, fmt.Sprintf("Earliest got %+v, %v; want %+v, %v", s, ok, want, wantOK)
		}
		if ok {
			got, want := h.l.Reserve(res, s.Start, need), h.m.reserve(res, s.Start, need)
			h.seen[outcome(fmt.Sprintf("Earliest+Reserve %v", want))]++
			if got != nil || want != nil {
				return op, fmt.Sprintf("Reserve of a found slot: got %v, model %v; want nil", got, want)
			}
		}
	case 6: // Release
		res, start, need := pickRes(src), pickStart(src), pickAmount(src, 3, 16)
		op = fmt.Sprintf("Release(%d, %d, %+v)", res, start, need)
		got, want := h.l.Release(res, start, need), h.m.release(res, start, need)
		h.seen[outcome(fmt.Sprintf("Release %v", want))]++
		if !sameErr(got, want) {
			return op, fmt.Sprintf("got %v, want %v", got, want)
		}
	case 7: // Get and Len
		res, start := pickRes(src), pickStart(src)
		op = fmt.Sprintf("Get(%d, %d)", res, start)
		got, gotOK := h.l.Get(res, start)
		want, wantOK := h.m.get(res, start)
		h.seen[outcome(fmt.Sprintf("Get %v", wantOK))]++
		if got != want || gotOK != wantOK {
			return op, fmt.Sprintf("got %+v, %v; want %+v, %v", got, gotOK, want, wantOK)
		}
		if h.l.Len() != len(h.m.slots) {
			return op, fmt.Sprintf("Len() = %d, want %d", h.l.Len(), len(h.m.slots))
		}
	}
	return op, ""
}

// verify checks the never-oversold invariant and that the whole ledger equals
// the model.
func (h *harness) verify() string {
	if err := h.l.Check(); err != nil {
		return fmt.Sprintf("Check() = %v", err)
	}
	got, want := snapshot(h.l), h.m.sorted()
	if len(got) != len(want) {
		return fmt.Sprintf("Ascend saw %d slots, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			return fmt.Sprintf("Ascend slot %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	return ""
}

func TestLedgerMatchesModel(t *testing.T) {
	const ops = 20000
	for _, tc := range []struct {
		seed   uint64
		degree int
	}{{1, 2}, {2, 3}, {3, 32}, {4, 0}, {5, 2}, {6, 4}, {7, 64}, {8, 2}} {
		t.Run(fmt.Sprintf("seed=%d/degree=%d", tc.seed, tc.degree), func(t *testing.T) {
			src := randSource{rand.New(rand.NewPCG(tc.seed, 0x1ed9e4))}
			h := newHarness(tc.degree)
			for i := range ops {
				op, bad := h.step(src)
				if bad == "" {
					bad = h.verify()
				}
				if bad != "" {
					t.Fatalf("op %d %s: %s", i, op, bad)
				}
			}
			// Every outcome must have happened, or the test proves little.
			for _, o := range []outcome{
				"Add <nil>", "Add " + outcome(ErrBadSlot.Error()), "Add " + outcome(ErrDuplicate.Error()),
				"Earliest true", "Earliest false", "EarliestBy true", "EarliestBy false",
				"Reserve <nil>", "Reserve " + outcome(ErrNoRoom.Error()), "Reserve " + outcome(ErrNoSlot.Error()),
				"Reserve " + outcome(ErrBadAmount.Error()), "Earliest+Reserve <nil>",
				"Release <nil>", "Release " + outcome(ErrOverRelease.Error()), "Release " + outcome(ErrNoSlot.Error()),
				"Release " + outcome(ErrBadAmount.Error()), "Get true", "Get false",
			} {
				if h.seen[o] == 0 {
					t.Errorf("outcome %q never happened in %d ops; seen %v", o, ops, h.seen)
				}
			}
		})
	}
}

func FuzzLedgerOps(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte("\x00\x01\x02\x03\x04\x05\x06\x07 adds reserves releases, then more of them \xff\xfe\xfd"))
	seed := make([]byte, 512)
	r := rand.New(rand.NewPCG(9, 9))
	for i := range seed {
		seed[i] = byte(r.Uint32())
	}
	f.Add(seed)
	f.Fuzz(func(t *testing.T, data []byte) {
		const maxLen = 4 << 10 // about 500 operations; longer inputs only slow the fuzzer
		if len(data) > maxLen {
			data = data[:maxLen]
		}
		src := &byteSource{b: data}
		h := newHarness(2 + src.intn(5)) // small degrees split nodes often
		for i := 0; !src.done(); i++ {
			op, bad := h.step(src)
			if bad == "" {
				bad = h.verify()
			}
			if bad != "" {
				t.Fatalf("op %d %s: %s", i, op, bad)
			}
		}
	})
}

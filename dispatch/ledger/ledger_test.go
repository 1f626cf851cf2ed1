package ledger

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
)

// fixture returns a small ledger with full, partly used and untouched slots
// over several resources:
//
//	resource 0: [500, 560)  capacity {5 parcels, 500 l}
//	resource 1: [0, 60)     capacity {2, 100}, full
//	            [60, 120)   capacity {2, 100}, remaining {1, 50}
//	            [120, 180)  capacity {10, 1000}, untouched
//	resource 2: [30, 90)    capacity {5, 500}
//	resource 3: [480, 720)  capacity {2 jobs, 240 crew-minutes}
func fixture(t testing.TB) *Ledger {
	t.Helper()
	l := New(0)
	adds := []struct {
		res        Resource
		start, end int64
		capacity   Amount
	}{
		{1, 120, 180, Amount{Count: 10, Volume: 1000}},
		{1, 0, 60, Amount{Count: 2, Volume: 100}},
		{2, 30, 90, Amount{Count: 5, Volume: 500}},
		{1, 60, 120, Amount{Count: 2, Volume: 100}},
		{0, 500, 560, Amount{Count: 5, Volume: 500}},
		{3, 480, 720, Amount{Count: 2, Minutes: 240}},
	}
	for _, a := range adds {
		if err := l.Add(a.res, a.start, a.end, a.capacity); err != nil {
			t.Fatalf("Add(%d, %d, %d, %+v) = %v", a.res, a.start, a.end, a.capacity, err)
		}
	}
	if err := l.Reserve(1, 0, Amount{Count: 2, Volume: 100}); err != nil {
		t.Fatal(err)
	}
	if err := l.Reserve(1, 60, Amount{Count: 1, Volume: 50}); err != nil {
		t.Fatal(err)
	}
	return l
}

// snapshot returns every slot of l in order.
func snapshot(l *Ledger) []Slot {
	var out []Slot
	l.Ascend(func(s Slot) bool {
		out = append(out, s)
		return true
	})
	return out
}

// diffSlots reports the first difference between two snapshots, or "".
func diffSlots(got, want []Slot) string {
	if len(got) != len(want) {
		return "different lengths"
	}
	for i := range got {
		if got[i] != want[i] {
			return fmt.Sprintf("got %+v, want %+v", got[i], want[i])
		}
	}
	return ""
}

func TestNew(t *testing.T) {
	for _, degree := range []int{-5, 0, 2, 3, 32, 64} {
		l := New(degree)
		if l.Len() != 0 {
			t.Errorf("New(%d).Len() = %d, want 0", degree, l.Len())
		}
		for i := range 200 {
			if err := l.Add(Resource(i%7), int64(i), int64(i)+1, Amount{Count: 1}); err != nil {
				t.Fatalf("New(%d): Add #%d: %v", degree, i, err)
			}
		}
		if l.Len() != 200 {
			t.Errorf("New(%d): Len() = %d after 200 adds, want 200", degree, l.Len())
		}
		if err := l.Check(); err != nil {
			t.Errorf("New(%d): Check() = %v", degree, err)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("New(1) did not panic")
		}
	}()
	New(1)
}

func TestAdd(t *testing.T) {
	tests := []struct {
		name       string
		res        Resource
		start, end int64
		capacity   Amount
		wantErr    error
	}{
		{"new resource", 7, 0, 60, Amount{Count: 3}, nil},
		{"same start as another resource", 2, 0, 30, Amount{Count: 1}, nil},
		{"between existing starts, overlapping", 1, 30, 90, Amount{Count: 1}, nil},
		{"before all", -1, math.MinInt64, 0, Amount{Count: 1}, nil},
		{"zero capacity", 1, 200, 260, Amount{}, nil},
		{"one minute long", 1, 300, 301, Amount{Minutes: 1}, nil},
		{"end equals start", 1, 200, 200, Amount{Count: 1}, ErrBadSlot},
		{"end before start", 1, 200, 100, Amount{Count: 1}, ErrBadSlot},
		{"negative count", 1, 200, 260, Amount{Count: -1}, ErrBadSlot},
		{"negative volume", 1, 200, 260, Amount{Count: 1, Volume: -1}, ErrBadSlot},
		{"negative minutes", 1, 200, 260, Amount{Minutes: -1}, ErrBadSlot},
		{"duplicate", 1, 60, 90, Amount{Count: 9}, ErrDuplicate},
		{"duplicate of full slot", 1, 0, 60, Amount{Count: 2, Volume: 100}, ErrDuplicate},
		{"duplicate and bad: bad wins", 1, 60, 60, Amount{Count: 9}, ErrBadSlot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := fixture(t)
			before := snapshot(l)
			err := l.Add(tt.res, tt.start, tt.end, tt.capacity)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("Add(%d, %d, %d, %+v) = %v, want %v", tt.res, tt.start, tt.end, tt.capacity, err, tt.wantErr)
			}
			if err != nil {
				if !strings.HasPrefix(err.Error(), "ledger: ") {
					t.Errorf("error %q lacks the package prefix", err)
				}
				if d := diffSlots(snapshot(l), before); d != "" {
					t.Errorf("failed Add changed the ledger: %s", d)
				}
				return
			}
			if got, want := l.Len(), len(before)+1; got != want {
				t.Errorf("Len() = %d, want %d", got, want)
			}
			want := Slot{Resource: tt.res, Start: tt.start, End: tt.end, Capacity: tt.capacity, Remaining: tt.capacity}
			if got, ok := l.Get(tt.res, tt.start); !ok || got != want {
				t.Errorf("Get after Add = %+v, %v; want %+v, true", got, ok, want)
			}
			if err := l.Check(); err != nil {
				t.Errorf("Check() = %v", err)
			}
		})
	}
}

func TestEarliest(t *testing.T) {
	one := Amount{Count: 1, Volume: 1}
	tests := []struct {
		name      string
		res       Resource
		t         int64
		need      Amount
		wantStart int64
		wantOK    bool
	}{
		{"skips full slot", 1, 0, one, 60, true},
		{"t before all slots", 1, -100, one, 60, true},
		{"t at MinInt64", 1, math.MinInt64, one, 60, true},
		{"zero need fits full slot", 1, 0, Amount{}, 0, true},
		{"t exactly at start, exact fit", 1, 60, Amount{Count: 1, Volume: 50}, 60, true},
		{"volume short moves on", 1, 60, Amount{Count: 1, Volume: 51}, 120, true},
		{"count short moves on", 1, 0, Amount{Count: 2}, 120, true},
		{"t just after a start", 1, 61, one, 120, true},
		{"stops at end of resource", 1, 121, one, 0, false},
		{"t at MaxInt64", 1, math.MaxInt64, Amount{}, 0, false},
		{"nothing big enough", 1, 0, Amount{Count: 11}, 0, false},
		{"absent resource between others", 4, 0, Amount{}, 0, false},
		{"absent negative resource", -1, 0, Amount{}, 0, false},
		{"first resource", 0, 0, one, 500, true},
		{"resource in the middle", 2, 0, one, 30, true},
		{"crew minutes fit", 3, 0, Amount{Count: 1, Minutes: 240}, 480, true},
		{"crew minutes short", 3, 0, Amount{Count: 1, Minutes: 241}, 0, false},
		{"negative need has no slot", 1, 0, Amount{Count: -1}, 0, false},
		{"wrapped-around volume has no slot", 1, 0, Amount{Count: 1, Volume: math.MinInt64}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := fixture(t)
			got, ok := l.Earliest(tt.res, tt.t, tt.need)
			if ok != tt.wantOK || (ok && got.Start != tt.wantStart) || (ok && got.Resource != tt.res) {
				t.Fatalf("Earliest(%d, %d, %+v) = %+v, %v; want start %d, %v", tt.res, tt.t, tt.need, got, ok, tt.wantStart, tt.wantOK)
			}
			if !ok {
				if got != (Slot{}) {
					t.Errorf("Earliest not found returned non-zero slot %+v", got)
				}
				return
			}
			if want, _ := l.Get(tt.res, tt.wantStart); got != want {
				t.Errorf("Earliest = %+v, want the whole slot %+v", got, want)
			}
		})
	}
}

func TestEarliestBy(t *testing.T) {
	one := Amount{Count: 1, Volume: 1}
	tests := []struct {
		name      string
		res       Resource
		t, latest int64
		need      Amount
		wantStart int64
		wantOK    bool
	}{
		{"found before latest", 1, 0, 120, one, 60, true},
		{"latest excludes the only fit", 1, 0, 59, one, 0, false},
		{"latest is inclusive", 1, 0, 60, one, 60, true},
		{"latest inclusive at later slot", 1, 0, 120, Amount{Count: 1, Volume: 51}, 120, true},
		{"latest just before later slot", 1, 0, 119, Amount{Count: 1, Volume: 51}, 0, false},
		{"latest before t", 1, 100, 50, Amount{}, 0, false},
		{"t equals latest equals start", 1, 60, 60, Amount{}, 60, true},
		{"t equals latest between starts", 1, 61, 61, Amount{}, 0, false},
		{"unbounded", 1, 0, math.MaxInt64, one, 60, true},
		{"does not spill into next resource", 1, 121, math.MaxInt64, one, 0, false},
		{"absent resource", 9, 0, math.MaxInt64, Amount{}, 0, false},
		{"other resource", 2, math.MinInt64, 30, one, 30, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := fixture(t)
			got, ok := l.EarliestBy(tt.res, tt.t, tt.latest, tt.need)
			if ok != tt.wantOK || (ok && got.Start != tt.wantStart) || (ok && got.Resource != tt.res) {
				t.Fatalf("EarliestBy(%d, %d, %d, %+v) = %+v, %v; want start %d, %v", tt.res, tt.t, tt.latest, tt.need, got, ok, tt.wantStart, tt.wantOK)
			}
			if ok {
				if want, _ := l.Get(tt.res, tt.wantStart); got != want {
					t.Errorf("EarliestBy = %+v, want the whole slot %+v", got, want)
				}
			}
		})
	}
}

// mutation is a table row for Reserve and Release: on success the slot
// (res, start) must end with wantRemaining and nothing else may change; on
// failure nothing may change.
type mutation struct {
	name          string
	res           Resource
	start         int64
	need          Amount
	wantErr       error
	wantRemaining Amount
}

func runMutations(t *testing.T, method string, op func(*Ledger, Resource, int64, Amount) error, tests []mutation) {
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := fixture(t)
			want := snapshot(l)
			err := op(l, tt.res, tt.start, tt.need)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("%s(%d, %d, %+v) = %v, want %v", method, tt.res, tt.start, tt.need, err, tt.wantErr)
			}
			if err == nil {
				for i := range want {
					if want[i].Resource == tt.res && want[i].Start == tt.start {
						want[i].Remaining = tt.wantRemaining
					}
				}
			}
			if d := diffSlots(snapshot(l), want); d != "" {
				t.Errorf("after %s: %s", method, d)
			}
			if err := l.Check(); err != nil {
				t.Errorf("Check() = %v", err)
			}
		})
	}
}

func TestReserve(t *testing.T) {
	huge := Amount{Count: math.MaxInt64, Volume: math.MaxInt64, Minutes: math.MaxInt64}
	runMutations(t, "Reserve", (*Ledger).Reserve, []mutation{
		{"untouched slot", 1, 120, Amount{Count: 3, Volume: 300}, nil, Amount{Count: 7, Volume: 700}},
		{"exact fill", 1, 60, Amount{Count: 1, Volume: 50}, nil, Amount{}},
		{"zero need on full slot", 1, 0, Amount{}, nil, Amount{}},
		{"crew minutes", 3, 480, Amount{Count: 1, Minutes: 90}, nil, Amount{Count: 1, Minutes: 150}},
		{"absent start", 1, 30, Amount{Count: 1}, ErrNoSlot, Amount{}},
		{"absent resource", 9, 0, Amount{Count: 1}, ErrNoSlot, Amount{}},
		{"full slot", 1, 0, Amount{Count: 1}, ErrNoRoom, Amount{}},
		{"count short", 1, 60, Amount{Count: 2}, ErrNoRoom, Amount{}},
		{"volume short", 1, 60, Amount{Count: 1, Volume: 51}, ErrNoRoom, Amount{}},
		{"minutes short", 3, 480, Amount{Minutes: 241}, ErrNoRoom, Amount{}},
		{"huge need", 1, 120, huge, ErrNoRoom, Amount{}},
		{"negative count", 1, 120, Amount{Count: -1}, ErrBadAmount, Amount{}},
		{"negative volume on full slot", 1, 0, Amount{Volume: -1}, ErrBadAmount, Amount{}},
		{"negative minutes", 3, 480, Amount{Minutes: -1}, ErrBadAmount, Amount{}},
		{"negative and absent: bad amount wins", 9, 0, Amount{Count: -1}, ErrBadAmount, Amount{}},
	})
}

func TestRelease(t *testing.T) {
	runMutations(t, "Release", (*Ledger).Release, []mutation{
		{"all of a full slot", 1, 0, Amount{Count: 2, Volume: 100}, nil, Amount{Count: 2, Volume: 100}},
		{"part of a full slot", 1, 0, Amount{Count: 1}, nil, Amount{Count: 1}},
		{"partly used slot", 1, 60, Amount{Count: 1}, nil, Amount{Count: 2, Volume: 50}},
		{"zero on untouched slot", 1, 120, Amount{}, nil, Amount{Count: 10, Volume: 1000}},
		{"count over", 1, 60, Amount{Count: 2}, ErrOverRelease, Amount{}},
		{"volume over", 1, 60, Amount{Volume: 51}, ErrOverRelease, Amount{}},
		{"untouched slot", 1, 120, Amount{Count: 1}, ErrOverRelease, Amount{}},
		{"minutes over", 3, 480, Amount{Minutes: 1}, ErrOverRelease, Amount{}},
		{"huge need does not overflow", 1, 0, Amount{Count: math.MaxInt64}, ErrOverRelease, Amount{}},
		{"absent start", 1, 30, Amount{Count: 1}, ErrNoSlot, Amount{}},
		{"absent resource", 9, 0, Amount{}, ErrNoSlot, Amount{}},
		{"negative count", 1, 0, Amount{Count: -1}, ErrBadAmount, Amount{}},
		{"negative volume", 1, 0, Amount{Volume: -1}, ErrBadAmount, Amount{}},
		{"negative minutes", 3, 480, Amount{Minutes: -1}, ErrBadAmount, Amount{}},
	})
}

func TestReserveThenRelease(t *testing.T) {
	l := fixture(t)
	need := Amount{Count: 4, Volume: 400}
	for range 2 {
		if err := l.Reserve(1, 120, need); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Reserve(1, 120, need); !errors.Is(err, ErrNoRoom) {
		t.Fatalf("third Reserve = %v, want ErrNoRoom", err)
	}
	for range 2 {
		if err := l.Release(1, 120, need); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Release(1, 120, Amount{Count: 1}); !errors.Is(err, ErrOverRelease) {
		t.Fatalf("extra Release = %v, want ErrOverRelease", err)
	}
	if got, _ := l.Get(1, 120); got.Remaining != got.Capacity {
		t.Errorf("Remaining = %+v after releasing everything, want capacity %+v", got.Remaining, got.Capacity)
	}
}

func TestGet(t *testing.T) {
	tests := []struct {
		name   string
		res    Resource
		start  int64
		want   Slot
		wantOK bool
	}{
		{"full slot", 1, 0, Slot{1, 0, 60, Amount{Count: 2, Volume: 100}, Amount{}}, true},
		{"partly used", 1, 60, Slot{1, 60, 120, Amount{Count: 2, Volume: 100}, Amount{Count: 1, Volume: 50}}, true},
		{"crew slot", 3, 480, Slot{3, 480, 720, Amount{Count: 2, Minutes: 240}, Amount{Count: 2, Minutes: 240}}, true},
		{"start inside a slot", 1, 30, Slot{}, false},
		{"start of another resource", 1, 500, Slot{}, false},
		{"absent resource", 9, 0, Slot{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := fixture(t).Get(tt.res, tt.start)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Get(%d, %d) = %+v, %v; want %+v, %v", tt.res, tt.start, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestLen(t *testing.T) {
	if got := New(0).Len(); got != 0 {
		t.Errorf("empty Len() = %d, want 0", got)
	}
	l := fixture(t)
	if got := l.Len(); got != 6 {
		t.Errorf("fixture Len() = %d, want 6", got)
	}
	_ = l.Add(1, 0, 60, Amount{})    // duplicate
	_ = l.Add(1, 900, 900, Amount{}) // bad
	_ = l.Reserve(1, 120, Amount{})  // no structural change
	if got := l.Len(); got != 6 {
		t.Errorf("Len() = %d after failed adds, want 6", got)
	}
}

func TestAscend(t *testing.T) {
	l := fixture(t)
	type key struct {
		res   Resource
		start int64
	}
	want := []key{{0, 500}, {1, 0}, {1, 60}, {1, 120}, {2, 30}, {3, 480}}
	var got []key
	l.Ascend(func(s Slot) bool {
		got = append(got, key{s.Resource, s.Start})
		return true
	})
	if len(got) != len(want) {
		t.Fatalf("Ascend visited %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Ascend visited %v, want %v", got, want)
		}
	}
	calls := 0
	l.Ascend(func(Slot) bool {
		calls++
		return calls < 3
	})
	if calls != 3 {
		t.Errorf("Ascend called fn %d times after it returned false on the 3rd, want 3", calls)
	}
	New(0).Ascend(func(Slot) bool {
		t.Error("Ascend on an empty ledger called fn")
		return true
	})
}

func TestCheck(t *testing.T) {
	if err := fixture(t).Check(); err != nil {
		t.Fatalf("fixture Check() = %v", err)
	}
	if err := New(0).Check(); err != nil {
		t.Fatalf("empty Check() = %v", err)
	}
	// Corrupt one slot behind the API's back, as a bug would.
	tests := []struct {
		name    string
		corrupt func(*state)
		want    []string
	}{
		{"oversold count", func(s *state) { s.remaining.Count = -1 }, []string{"resource 1, start 60", "count", "negative"}},
		{"oversold minutes", func(s *state) { s.remaining.Minutes = -5 }, []string{"resource 1, start 60", "minutes", "negative"}},
		{"volume above capacity", func(s *state) { s.remaining.Volume = 101 }, []string{"resource 1, start 60", "volume", "exceeds capacity 100"}},
		{"count above capacity", func(s *state) { s.remaining.Count = 3 }, []string{"count remaining 3 exceeds capacity 2"}},
		{"negative capacity", func(s *state) { s.capacity.Minutes = -1 }, []string{"minutes", "exceeds capacity -1"}},
		{"empty interval", func(s *state) { s.end = 60 }, []string{"resource 1, start 60", "end 60 is not after start"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := fixture(t)
			it, ok := l.tree.Get(item{res: 1, start: 60})
			if !ok {
				t.Fatal("fixture lacks slot (1, 60)")
			}
			tt.corrupt(it.s)
			err := l.Check()
			if err == nil {
				t.Fatal("Check() = nil on a corrupt ledger")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Check() = %q, want it to contain %q", err, w)
				}
			}
			if !strings.HasPrefix(err.Error(), "ledger: ") {
				t.Errorf("Check() = %q lacks the package prefix", err)
			}
		})
	}
}

func TestSentinelErrors(t *testing.T) {
	errs := []error{ErrNoRoom, ErrNoSlot, ErrDuplicate, ErrOverRelease, ErrBadSlot, ErrBadAmount}
	for i, e := range errs {
		if !strings.HasPrefix(e.Error(), "ledger: ") {
			t.Errorf("%q lacks the package prefix", e)
		}
		for j, f := range errs {
			if i != j && errors.Is(e, f) {
				t.Errorf("errors.Is(%q, %q) = true, want distinct sentinels", e, f)
			}
		}
	}
}

// TestZeroAllocs guards the hot path: queries and reservations must not
// allocate, whether they succeed or fail.
func TestZeroAllocs(t *testing.T) {
	l := New(0)
	for r := range Resource(100) {
		for s := range int64(8) {
			if err := l.Add(r, s*120, s*120+120, Amount{Count: 4, Volume: 400}); err != nil {
				t.Fatal(err)
			}
		}
		for s := range int64(4) { // fill the first half so Earliest walks
			if err := l.Reserve(r, s*120, Amount{Count: 4}); err != nil {
				t.Fatal(err)
			}
		}
	}
	need := Amount{Count: 1, Volume: 10}
	var sink Slot
	var sinkErr error
	tests := []struct {
		name string
		fn   func()
	}{
		{"Earliest found", func() { sink, _ = l.Earliest(50, 0, need) }},
		{"Earliest not found", func() { sink, _ = l.Earliest(50, 0, Amount{Count: 5}) }},
		{"EarliestBy", func() { sink, _ = l.EarliestBy(50, 0, 600, need) }},
		{"Get", func() { sink, _ = l.Get(50, 480) }},
		{"Reserve and Release", func() {
			sinkErr = l.Reserve(50, 480, need)
			sinkErr = l.Release(50, 480, need)
		}},
		{"Reserve ErrNoRoom", func() { sinkErr = l.Reserve(50, 0, need) }},
		{"Reserve ErrNoSlot", func() { sinkErr = l.Reserve(50, 1, need) }},
		{"Release ErrOverRelease", func() { sinkErr = l.Release(50, 960, need) }},
		{"Earliest then Reserve then Release", func() {
			s, ok := l.Earliest(50, 0, need)
			if ok {
				sinkErr = l.Reserve(50, s.Start, need)
				sinkErr = l.Release(50, s.Start, need)
			}
		}},
	}
	for _, tt := range tests {
		if got := testing.AllocsPerRun(1000, tt.fn); got != 0 {
			t.Errorf("%s: %v allocations per call, want 0", tt.name, got)
		}
	}
	_, _ = sink, sinkErr
	if err := l.Check(); err != nil {
		t.Fatal(err)
	}
}

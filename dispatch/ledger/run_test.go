package ledger

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestRunsAgreeWithTree checks the per-resource runs against the tree for ids on both sides of the dense
// range (negative, small, at and past maxNear, the extremes of int32), with slots added in random order:
// every slot the tree holds must be found by Get, and Earliest must return the tree's next slot with room.
func TestRunsAgreeWithTree(t *testing.T) {
	ids := []Resource{math.MinInt32, -5, -1, 0, 1, 7, maxNear - 1, maxNear, 1 << 30, math.MaxInt32}
	rng := rand.New(rand.NewPCG(4, 2))
	l := New(3)
	for _, k := range rng.Perm(len(ids) * 20) {
		res, start := ids[k%len(ids)], int64(k/len(ids))*90-600
		if err := l.Add(res, start, start+60, Amount{Count: int64(1 + k%3)}); err != nil {
			t.Fatal(err)
		}
	}
	for range 2000 {
		res := ids[rng.IntN(len(ids))]
		if err := l.Reserve(res, int64(rng.IntN(20))*90-600, Amount{Count: 1}); err != nil && err != ErrNoRoom {
			t.Fatal(err)
		}
	}
	all := snapshot(l)
	if len(all) != len(ids)*20 {
		t.Fatalf("Ascend saw %d slots, want %d", len(all), len(ids)*20)
	}
	for i, s := range all {
		if got, ok := l.Get(s.Resource, s.Start); !ok || got != s {
			t.Fatalf("Get(%d, %d) = %+v, %v; want %+v", s.Resource, s.Start, got, ok, s)
		}
		// The tree's next slot of the resource with room, from just after the previous slot's start.
		var want Slot
		found := false
		for _, n := range all[i:] {
			if n.Resource == s.Resource && n.Remaining.Count >= 1 {
				want, found = n, true
				break
			}
		}
		if got, ok := l.Earliest(s.Resource, s.Start-1, Amount{Count: 1}); ok != found || got != want {
			t.Fatalf("Earliest(%d, %d) = %+v, %v; want %+v, %v", s.Resource, s.Start-1, got, ok, want, found)
		}
	}
	if err := l.Check(); err != nil {
		t.Fatal(err)
	}
}

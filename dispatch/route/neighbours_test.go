package route

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestNthSmallest(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 1; n <= 40; n++ {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = float64(r.IntN(8)) // many ties
		}
		want := slices.Sorted(slices.Values(xs))
		for k := range n {
			ys := slices.Clone(xs)
			if got := nthSmallest(ys, k); got != want[k] {
				t.Fatalf("n=%d rank %d: got %v, want %v", n, k, got, want[k])
			}
		}
	}
}

func TestBestHeap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, k := range []int{0, 1, 5, 40} {
		h := newBest(k)
		type entry struct {
			key float64
			id  int32
		}
		var all []entry
		for id := range int32(100) {
			d := float64(r.IntN(20))
			all = append(all, entry{d, id})
			if h.admits(d) {
				h.push(id, d)
			}
		}
		slices.SortStableFunc(all, func(a, b entry) int {
			switch {
			case a.key < b.key:
				return -1
			case a.key > b.key:
				return 1
			}
			return 0
		})
		got := h.sorted(nil)
		if len(got) != k {
			t.Fatalf("k=%d: got %d ids", k, len(got))
		}
		for i, id := range got {
			if all[i].id != id {
				t.Fatalf("k=%d: position %d: got id %d, want %d", k, i, id, all[i].id)
			}
		}
	}
}

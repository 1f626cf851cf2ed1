package route

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortSavings checks the specialised sort against slices.SortFunc on candidates with many equal values
// and repeated entries, through the quicksort and through its depth fallback.
func TestSortSavings(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cmp := func(a, b saving) int {
		switch {
		case a.value > b.value:
			return -1
		case a.value < b.value:
			return 1
		case a.from != b.from:
			return int(a.from - b.from)
		}
		return int(a.to - b.to)
	}
	for _, n := range []int{0, 1, 2, 3, 12, 13, 50, 1000, 20000} {
		for _, depth := range []int{0, 1, 64} {
			c := make([]saving, n)
			for i := range c {
				c[i] = saving{float64(r.IntN(n/4 + 1)), int32(r.IntN(30)), int32(r.IntN(30))}
			}
			want := slices.Clone(c)
			slices.SortFunc(want, cmp)
			sortSavings(c, depth)
			if !slices.Equal(c, want) {
				t.Fatalf("n=%d depth=%d: order differs from slices.SortFunc", n, depth)
			}
		}
	}
}

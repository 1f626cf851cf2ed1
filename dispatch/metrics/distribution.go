package metrics

import (
	"math"
	"slices"
)

// Distribution counts values at a resolution of places decimals and gives their exact nearest-rank
// quantiles at that resolution (rounding is monotone, see roundedCounts): a distribution folded as orders
// finish, whose memory grows with the range of the values, not with their number, and which gives the same
// quantiles whatever order the values came in. The zero value is not usable: use NewDistribution.
type Distribution struct{ c roundedCounts }

// NewDistribution returns an empty distribution of values rounded to places decimals.
func NewDistribution(places int) *Distribution {
	return &Distribution{c: newRoundedCounts(places)}
}

// Add counts one value.
func (d *Distribution) Add(v float64) { d.c.add(v) }

// Len is the number of values counted.
func (d *Distribution) Len() int { return d.c.n }

// Quantiles returns the k nearest-rank quantiles at 1/k, 2/k, ..., 1 of the rounded values (element j
// is the value at rank ceil((j+1)/k × n)); nil when there are none.
func (d *Distribution) Quantiles(k int) []float64 {
	c := &d.c
	if c.n == 0 || k <= 0 {
		return nil
	}
	keys := make([]int64, 0, len(c.blocks))
	for bk := range c.blocks {
		keys = append(keys, bk)
	}
	slices.Sort(keys)
	q := make([]float64, k)
	j, seen := 0, 0
	for _, bk := range keys {
		for i, n := range c.blocks[bk] {
			seen += int(n)
			for ; j < k; j++ {
				rank := max(0, min(int(math.Ceil(float64(j+1)/float64(k)*float64(c.n)))-1, c.n-1))
				if rank >= seen {
					break
				}
				q[j] = float64(bk*countBlock+int64(i)) / c.scale
			}
		}
	}
	return q
}

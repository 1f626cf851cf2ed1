package metrics

import (
	"math"
	"slices"
)

// roundedCounts counts values at the resolution a report shows them (round(v, places)) and gives exact
// nearest-rank quantiles of them. Rounding is monotone, so the value at rank k of the rounded values is the
// rounded value at rank k: round(quantile(sorted values, q), places) exactly, without keeping the values.
// Its memory grows with the range of the values over their resolution, in blocks of 256 counts, not with
// their number; the counts merge exactly in any order. The zero value is not usable: use newRoundedCounts.
type roundedCounts struct {
	scale  float64 // 10^places, as round computes it
	n      int
	blocks map[int64]*[countBlock]uint32
}

const countBlock = 256

func newRoundedCounts(places int) roundedCounts {
	return roundedCounts{scale: math.Pow(10, float64(places)), blocks: map[int64]*[countBlock]uint32{}}
}

// add counts one value.
func (c *roundedCounts) add(v float64) {
	k := int64(math.Round(v * c.scale))
	b := c.blocks[k>>8] // floor division: negative keys fall in negative blocks
	if b == nil {
		b = new([countBlock]uint32)
		c.blocks[k>>8] = b
	}
	b[k&(countBlock-1)]++
	c.n++
}

// quantile is the nearest-rank q-quantile of the rounded values, 0 when there are none.
func (c *roundedCounts) quantile(q float64) float64 {
	if c.n == 0 {
		return 0
	}
	rank := max(0, min(int(math.Ceil(q*float64(c.n)))-1, c.n-1))
	seen := 0
	keys := make([]int64, 0, len(c.blocks))
	for k := range c.blocks {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, bk := range keys {
		b := c.blocks[bk]
		for i, n := range b {
			if seen += int(n); seen > rank {
				return float64(bk*countBlock+int64(i)) / c.scale
			}
		}
	}
	panic("metrics: rounded counts lost a value") // seen reaches c.n > rank
}

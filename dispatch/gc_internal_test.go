package dispatch

import "testing"

func TestGCPercentFor(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, GCPercent},
		{100 << 20, GCPercent},
		{1 << 30, GCPercent},    // 25% of 1 GiB is the headroom exactly
		{2 << 30, 12},           // 256 MiB of 2 GiB
		{4 << 30, 6},            // 256 MiB of 4 GiB
		{8 << 30, minGCPercent}, // bounded below
	} {
		if got := gcPercentFor(c.live); got != c.want {
			t.Errorf("gcPercentFor(%d MiB) = %d, want %d", c.live>>20, got, c.want)
		}
	}
}

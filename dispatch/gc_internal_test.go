package dispatch

import (
	"runtime"
	"testing"
	"time"
)

func TestGCPercentFor(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, GCPercent},
		{100 << 20, GCPercent},
		{512 << 20, GCPercent},  // 25% of 512 MiB is the headroom exactly
		{1 << 30, 12},           // 128 MiB of 1 GiB
		{2 << 30, 6},            // 128 MiB of 2 GiB
		{4 << 30, minGCPercent}, // bounded below
	} {
		if got := gcPercentFor(c.live); got != c.want {
			t.Errorf("gcPercentFor(%d MiB) = %d, want %d", c.live>>20, got, c.want)
		}
	}
}

// The tuner runs after every collection: told of a 2 GiB live heap, it sets 6% after the next one.
func TestGCTunerRunsAfterCollections(t *testing.T) {
	got := make(chan int, 16)
	gcTuner{live: func() uint64 { return 2 << 30 }, set: func(p int) {
		select {
		case got <- p:
		default:
		}
	}}.arm(GCPercent)
	deadline := time.After(10 * time.Second)
	for {
		runtime.GC()
		select {
		case p := <-got:
			if p != 6 {
				t.Fatalf("target %d%% for a 2 GiB live heap, want 6%%", p)
			}
			return
		case <-deadline:
			t.Fatal("the tuner did not run within 10 s of collections")
		case <-time.After(10 * time.Millisecond):
		}
	}
}

package dispatch

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// GCHeadroom is the most, in bytes, the carriersim programs let the heap grow above its live data between
// collections once GCPercent of the live heap would be more (live heaps above 512 MiB): the live heap of a
// large run is the orders in flight, which hold no pointers, so a collection marks little and a tighter
// target costs little CPU, while 25% of a 3 GiB heap would be 750 MiB of peak memory (bench/RESULTS.md).
const GCHeadroom = 128 << 20

// minGCPercent bounds how far TuneGC lowers the target, so a huge heap still collects at a sane rate.
const minGCPercent = 5

var tuneOnce sync.Once

// TuneGC sets the garbage collector as the carriersim programs run it, unless the environment sets GOGC:
// GCPercent, lowered after each collection while the live heap is large so that the heap grows at most
// GCHeadroom above it (never below minGCPercent). Programs call it once at start; a library never does.
func TuneGC() {
	if os.Getenv("GOGC") != "" {
		return
	}
	tuneOnce.Do(func() {
		debug.SetGCPercent(GCPercent)
		gcTuner{live: liveHeap, set: func(p int) { debug.SetGCPercent(p) }}.arm(GCPercent)
	})
}

// gcSentinel is garbage as soon as it is made; its finalizer runs after the collection that finds it. It is
// 16 bytes so that it is not packed into a block with other small objects, which would delay its finalizer.
type gcSentinel struct{ _ [2]int64 }

// gcTuner sets the collector's target for the live heap after each collection.
type gcTuner struct {
	live func() uint64 // the heap the last collection left live
	set  func(int)     // sets the target
}

// arm makes a sentinel whose finalizer, after the next collection, sets the target for the live heap that
// collection left (when it changed) and arms the next one.
func (t gcTuner) arm(current int) {
	runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) {
		p := gcPercentFor(t.live())
		if p != current {
			t.set(p)
		}
		t.arm(p)
	})
}

// gcPercentFor is the target for a live heap of live bytes: GCPercent, or less so the growth stays within
// GCHeadroom.
func gcPercentFor(live uint64) int {
	if live == 0 {
		return GCPercent
	}
	p := uint64(GCHeadroom) * 100 / live
	return int(max(minGCPercent, min(GCPercent, p)))
}

// liveHeap is the heap the last collection found live, in bytes (0 if the runtime does not say).
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
